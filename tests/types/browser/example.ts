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
