// The per-call comparison inside workerd (bench/calls-runtimes.mjs drives it): each request is one step,
// { action: 'start', simUrl, token, firstNumber } | { action: 'warm', operation, count }
// | { action: 'round', operation, n, block } (answers the block times) | { action: 'free' }.
import { AiccClient } from '../js/workerd.js';
import { callSides, warm, blockRound } from './page/call-sides.js';

let sides;

async function step({ action, operation, ...args }) {
  if (action === 'start') {
    sides = callSides({ AiccClient, ...args });
    return {};
  }
  if (!sides) throw new Error('no start step yet');
  if (action === 'warm') return warm(sides[operation], args.count);
  if (action === 'round') return blockRound(sides[operation], args);
  if (action === 'free') {
    sides.client.free();
    sides = undefined;
    return {};
  }
  throw new Error(`unknown action ${action}`);
}

export default {
  async fetch(request) {
    try {
      return Response.json((await step(await request.json())) ?? {});
    } catch (e) {
      return Response.json({ error: String(e?.stack ?? e) }, { status: 500 });
    }
  },
};
