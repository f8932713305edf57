// What a browser page sees (the "browser" condition): the client, never the gateway's helpers.
// Checked with `npx tsc -p tests/types/browser --noEmit` (never run).
import { AiccClient, AiccError, type CallState } from 'aicc-call';
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
