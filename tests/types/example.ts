// The whole public surface, typed. Checked with `npx tsc -p tests/types --noEmit` (never run).
import {
  AiccClient,
  AiccError,
  CallWatch,
  AiccGatewayState,
  createGateway,
  createMemoryState,
  durableObjectState,
  handleCallback,
  signCallbackUrl,
  toNodeListener,
  codes,
  type CodeName,
  type CodeRow,
  type ReasonName,
  type StateName,
  type NodeListener,
  type MemoryStateOptions,
  type AiccStateNamespace,
  type GatewayState,
  type AiccClientOptions,
  type AiccErrorKind,
  type AuthorizeVerdict,
  type BasicCallInfo,
  type CallInfo,
  type CallPlaced,
  type CallState,
  type CalledInfo,
  type CallbackEvent,
  type Code,
  type Gateway,
  type RetryEvent,
} from 'aicc-call';

const options: AiccClientOptions = {
  baseUrl: 'https://service.besclouds.com',
  cmsBaseUrl: 'https://10.22.26.181:28080',
  credentials: { appKey: 'app-key', appSecret: 'app-secret', tokenTtlSeconds: 600 },
  cmsCredentials: { ak: 'ak', sk: 'sk' },
  headers: { 'X-TenantSpaceID': '202205116084' },
  timeoutMs: 10_000,
  retry: { maxRetries: 2, baseDelayMs: 200, maxDelayMs: 5_000 },
  onRetry: (event: RetryEvent) => console.log(event.operation, event.attempt, event.delayMs, event.error.kind),
};
const client = new AiccClient(options);
const browserClient = new AiccClient({ baseUrl: '/aicc' });
const ownToken = new AiccClient({ baseUrl: 'https://service.besclouds.com', appKey: 'k', token: async () => 'token' });

async function placeAndFollow(): Promise<string | undefined> {
  const placed: CallPlaced = await client.createCall({
    caller: '88889050',
    called: 13800000000,
    agentWorkNo: 123,
    callData: 'order-42',
    callerPresent: '640003',
    agentPresent: 640060,
    callBackUrl: signCallbackUrl('https://crm.example.com/aicc/release', 'a-long-enough-secret'),
  });
  const serial: string | null = placed.callSerialNo;
  if (serial === null) return placed.retMsg;

  const state: CallState = await client.queryCallState({ callSerialNo: serial });
  const name: 'toBeCalled' | 'calling' | 'talking' | 'ended' | 'unknown' | undefined = state.stateName;
  const started: number | undefined = state.startTime;
  void name;
  void started;

  const ac = new AbortController();
  const watch: CallWatch = client.watchCall(serial, { intervalMs: 500, signal: ac.signal });
  for await (const s of watch) {
    if (s.state === 3 && s.reason) {
      const reason: Code = s.reason;
      const retry: boolean = reason.retryable;
      return `${reason.code} ${reason.name} ${reason.category} ${reason.message} ${retry}`;
    }
  }
  const iter: AsyncIterableIterator<CallState> = browserClient.watchCall(serial);
  const first = await iter.next();
  if (!first.done) {
    const s: CallState = first.value;
    void s;
  }
  return undefined;
}

async function lookups(): Promise<void> {
  const info: CalledInfo = await client.getCalledInfo({ caller: 8888888, called: '6666601' });
  const skill: string | undefined = info.skillName;
  const byId: CallInfo = await client.queryCallInfoByCallId({ callId: '1652317325-339', userId: '1652268429538866153', tenantId: 202205116084, agentId: 109 });
  const basic: BasicCallInfo = await client.queryBasicCallInfo({ ccId: 1, vdn: 1, callId: '1453723531-574' });
  const time: number | undefined = basic.time;
  void skill;
  void byId.callSkill;
  void time;
  await ownToken.queryCallState({ callSerialNo: '645735364434067472' });
}

function explain(e: unknown): string {
  if (!(e instanceof AiccError)) return String(e);
  const kind: AiccErrorKind = e.kind;
  const parts: Array<string | number | boolean | undefined> = [
    e.name, e.message, e.operation, e.field, e.rule, e.retCode, e.codeName, e.codeMessage, e.category, e.status,
    e.retryable, e.outcomeUnknown, e.attempts,
  ];
  if (kind === 'timeout' && e.outcomeUnknown) return 'check whether the call was placed before trying again';
  const json = e.toJSON();
  return `${json.kind} ${parts.join(' ')}`;
}

const gateway: Gateway = createGateway({
  clientOptions: { baseUrl: 'https://service.besclouds.com', credentials: { appKey: 'k', appSecret: 's' } },
  prefix: '/aicc',
  operations: ['createCall', 'queryCallState'],
  cors: { origins: ['https://crm.example.com'] },
  authorize: async (request: Request, { operation }): Promise<AuthorizeVerdict | boolean> => {
    if (!request.headers.get('Cookie')) return false;
    return { allow: true, agentWorkNo: 123, callers: ['88889050'], operations: [operation] };
  },
});
const sharing: Gateway = createGateway({ client, authorize: () => true });

// Shared state: in memory for one process, or a Durable Object per key on Workers.
const memory: GatewayState = createMemoryState();
const memoryOptions: MemoryStateOptions = { maxRecords: 10_000, now: () => Date.now() };
const capped: GatewayState & { readonly size: number } = createMemoryState(memoryOptions);
const listener: NodeListener = toNodeListener(sharing, { trustProxy: true });
void capped;
void listener;
declare const namespace: AiccStateNamespace;
const durable: GatewayState = durableObjectState(namespace);
export { AiccGatewayState };
const scoped: Gateway = createGateway({
  client,
  state: durable,
  allowUnknownSerials: false,
  createCallPerMinute: 3,
  createCallPerDay: 10,
  callTtlMs: 86_400_000,
  stateTimeoutMs: 3000,
  authorize: (): AuthorizeVerdict => ({ agentWorkNo: '101', session: 'crm-user-7', createCallPerMinute: 1 }),
});
void memory;
void scoped;
async function waitForLimit(): Promise<number | undefined> {
  try {
    await client.createCall({ caller: '88889050', called: '13800000000' });
    return 0;
  } catch (e) {
    return e instanceof AiccError && e.status === 429 ? e.retryAfterMs : undefined;
  }
}
void waitForLimit;

export default {
  async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname.startsWith('/callbacks')) {
      return handleCallback(request, {
        secret: 'a-long-enough-secret',
        state: memory,
        onRelease: async (event: CallbackEvent) => {
          const serial: string | null = event.callSerialNo;
          const reason: string | undefined = event.releaseReason?.name;
          const fields: Record<string, string> = event.fields;
          void serial;
          void reason;
          void fields;
        },
        onConnect: (event) => {
          void event.kind;
        },
      });
    }
    return (request.headers.has('x-shared') ? sharing : gateway).fetch(request);
  },
  placeAndFollow,
  lookups,
  explain,
};

// The types refuse what the runtime would refuse (or silently get wrong).
// @ts-expect-error caller is required
void client.createCall({ called: '13800000000' });
// @ts-expect-error a serial as a JS number has already lost digits: only strings are accepted
void client.queryCallState({ callSerialNo: 645735364434067472 });
// @ts-expect-error baseUrl is required
void new AiccClient({ credentials: { appKey: 'k', appSecret: 's' } });
// @ts-expect-error kind is a closed union
const wrongKind: AiccErrorKind = 'fatal';
void wrongKind;
// @ts-expect-error createGateway needs authorize
void createGateway({ client });

// The names a user branches on are the core's: a name no table has is a type error.
function branch(e: AiccError, state: CallState): string {
  const code: CodeName | undefined = e.codeName;
  if (code === 'callerNotInSoftphoneRange') return 'pick one of your own numbers';
  // @ts-expect-error: not a return code of any table
  if (code === 'callerNotInSoftPhoneRange') return 'never';
  const reason: ReasonName | undefined = state.reason?.name;
  if (reason === 'calledHungUp' || reason === 'userBusy') return 'the customer';
  // @ts-expect-error: not an end reason
  const wrongReason: ReasonName = 'hungUp';
  const stateName: StateName | undefined = state.stateName;
  // @ts-expect-error: not a state
  const wrongState: StateName = 'ringing';
  void wrongReason;
  void wrongState;
  const rows: CodeRow[] = codes();
  const translated = new Map(rows.map((row) => [`${row.table}/${row.name}`, row.message]));
  return `${stateName ?? ''} ${translated.size}`;
}
void branch;
// placeCall in server code: the session's updates and phase.
export async function placeAndFollowSession(client: import('aicc-call').AiccClient): Promise<import('aicc-call').CallSessionPhase> {
  const call = client.placeCall({ caller: '88889050', called: '13800000000' }, { maxWaitMs: 5000, signal: AbortSignal.timeout(60_000) });
  const last = await call.finished;
  if (last.type === 'failed' && last.mayTryAgain) return 'failed';
  return call.phase;
}

// Every record of every page.
async function allRecords(client: AiccClient): Promise<string[]> {
  const serials: string[] = [];
  for await (const record of client.callRecords({ startTime: 0, endTime: 1000, limit: 50 })) serials.push(record.callSerialNo ?? '');
  return serials;
}
void allRecords;
