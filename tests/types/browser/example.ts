// What a browser page sees (the "browser" condition): the client, never the gateway's helpers.
// Checked with `npx tsc -p tests/types/browser --noEmit` (never run).
import { AiccClient, AiccError, codes, type CallState, type CodeName, type ReasonName } from 'aicc-call';
// @ts-expect-error the gateway is not part of the browser entry
import { createGateway } from 'aicc-call';

const client = new AiccClient({ baseUrl: '/aicc', token: async () => 'session' });

export async function follow(customer: string): Promise<CallState | undefined> {
  let last: CallState | undefined;
  try {
    const { callSerialNo } = await client.createCall({ caller: '88889050', called: customer });
    if (callSerialNo === null) return undefined;
    for await (const state of client.watchCall(callSerialNo, { intervalMs: 500 })) last = state;
  } catch (e) {
    if (e instanceof AiccError && e.kind === 'validation') return undefined;
    throw e;
  }
  return last;
}

export const unused = createGateway;

// A page translates the platform's messages and branches on typed names.
export function label(e: AiccError, state: CallState): string {
  const name: CodeName | undefined = e.codeName;
  const reason: ReasonName | undefined = state.reason?.name;
  const own = new Map<string, string>(codes().map((row) => [row.name, row.message]));
  return `${name ?? reason ?? ''}: ${own.get(name ?? '') ?? ''}`;
}
// placeCall: a call session, iterated and listened to.
export async function session(customer: string): Promise<string> {
  const call = client.placeCall({ caller: '88889050', called: customer }, { intervalMs: 500 });
  call.addEventListener('placed', (e) => console.log(e.detail.callSerialNo.length));
  call.addEventListener('failed', (e) => console.log(e.detail.error.kind, e.detail.mayTryAgain));
  for await (const update of call) {
    if (update.type === 'ended') return update.state.stateName ?? 'ended';
    if (update.type === 'resolved' && update.resolution.status === 'placed') console.log(update.resolution.callSerialNo);
  }
  await call.stop();
  return call.phase;
}

// The widget: its element type, properties and typed events.
import 'aicc-call/widget';
const widget = document.createElement('aicc-click-to-call');
widget.labels = { call: 'Dial', userBusy: 'Busy' };
widget.token = async () => 'session';
widget.addEventListener('aicc-placed', (e) => console.log(e.detail.callSerialNo.length));
widget.addEventListener('aicc-ended', (e) => console.log(e.detail.reason?.name));
widget.addEventListener('aicc-error', (e) => console.log(e.detail.kind));
export const found: HTMLElementTagNameMap['aicc-click-to-call'] | null = document.querySelector('aicc-click-to-call');
