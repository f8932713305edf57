// Every type the browser client takes and returns, imported from the browser entry (`moduleResolution: bundler`,
// the "browser" condition): they must all be there, as in the server entries. Checked with
// `npx tsc -p tests/types/browser --noEmit` (never run).
import {
  AiccClient,
  AiccError,
  CallWatch,
  init,
  ready,
  type AiccClientOptions,
  type AiccErrorFields,
  type AiccErrorKind,
  type BasicCallInfo,
  type CallInfo,
  type CallOptions,
  type CallPlaced,
  type CallRecord,
  type CallRecords,
  type CallState,
  type CallStateName,
  type CallStateNumber,
  type CalledInfo,
  type Code,
  type CodeCategory,
  type OperationName,
  type RequestEvent,
  type Resolution,
  type ResolveOutcomeOptions,
  type ResponseEvent,
  type RetryEvent,
  type RetryOptions,
  type WasmSource,
  type WatchCallOptions,
} from 'aicc-call';

const retry: RetryOptions = { maxRetries: 1, baseDelayMs: 100, maxDelayMs: 1000 };
const seen: Array<RetryEvent | RequestEvent | ResponseEvent> = [];
const options: AiccClientOptions = {
  baseUrl: '/aicc',
  token: async () => 'session',
  retry,
  onRetry: (event: RetryEvent) => { seen.push(event); },
  onRequest: (event: RequestEvent) => { seen.push(event); },
  onResponse: (event: ResponseEvent) => {
    const failed: AiccErrorKind | undefined = event.error;
    if (failed === undefined) seen.push(event);
  },
};
const source: WasmSource = new URL('/aicc_call_bg.wasm', 'https://crm.example');

export async function everything(signal: AbortSignal): Promise<Array<unknown>> {
  await init(source);
  await ready;
  const client = new AiccClient(options);
  const perCall: CallOptions = { signal, timeoutMs: 5000 };
  const out: unknown[] = [];
  try {
    const placed: CallPlaced = await client.createCall({ caller: '88889050', called: '13800000000' }, perCall);
    out.push(placed.callSerialNo);
  } catch (e) {
    if (!(e instanceof AiccError)) throw e;
    const fields: AiccErrorFields = e;
    const wait: ResolveOutcomeOptions = { maxWaitMs: 1000 };
    const resolution: Resolution = await client.resolveOutcome(e, wait);
    if (resolution.status === 'placed') out.push(resolution.callSerialNo);
    out.push(fields.kind);
  }
  const state: CallState = await client.queryCallState({ callSerialNo: '1' }, perCall);
  const name: CallStateName | undefined = state.stateName;
  const number: CallStateNumber | number | undefined = state.state;
  const reason: Code | undefined = state.reason;
  const category: CodeCategory | undefined = reason?.category;
  const called: CalledInfo = await client.getCalledInfo({ caller: '88889050', called: '13800000000' });
  const info: CallInfo = await client.queryCallInfoByCallId({ callId: 'c', userId: 'u', tenantId: 't', agentId: '101' });
  const basic: BasicCallInfo = await client.queryBasicCallInfo({ ccId: 1, vdn: 1, callId: '1-1' });
  const records: CallRecords = await client.queryCallDetailRecord({ startTime: 0, endTime: 1, caller: '88889050' });
  const first: CallRecord | undefined = records.callInfo[0];
  const watching: WatchCallOptions = { intervalMs: 500, signal };
  const watch: CallWatch = client.watchCall('1', watching);
  for await (const step of watch) out.push(step.stateName);
  const operation: OperationName = 'createCall';
  client.free();
  return [...out, name, number, category, called, info, basic, first?.callSerialNo, operation, seen.length];
}
