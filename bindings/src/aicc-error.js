// The error every aicc-call operation throws. Imported by the wasm glue, which creates the instances.
export class AiccError extends Error {
  constructor(fields) {
    super(fields.message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = 'AiccError';
    this.kind = fields.kind;
    this.operation = fields.operation;
    this.retryable = fields.retryable;
    for (const key of ['field', 'rule', 'retCode', 'codeName', 'codeMessage', 'category', 'status', 'outcomeUnknown', 'attempts', 'retryAfterMs', 'call']) {
      if (fields[key] !== undefined) this[key] = fields[key];
    }
  }

  toJSON() {
    const { name, message, kind, operation, field, rule, retCode, codeName, codeMessage, category, status, retryable, outcomeUnknown, attempts, retryAfterMs, call } = this;
    return { name, message, kind, operation, field, rule, retCode, codeName, codeMessage, category, status, retryable, outcomeUnknown, attempts, retryAfterMs, call };
  }
}

export function createAiccError(fields) {
  return new AiccError(fields);
}

export function errorClass() {
  return AiccError;
}
