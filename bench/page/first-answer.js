// The start-up pages' one call (first-answer*.html): the plain fetch of call-sides.js, or the package's
// queryCallState when the page passes its AiccClient. The simulator's URL and token come in the page's query;
// the time is from the navigation's start (performance.now()) to the answer, in globalThis.firstAnswer.
import { callSides } from './call-sides.js';

class NoClient {}

export async function firstAnswer(AiccClient) {
  const query = new URLSearchParams(location.search);
  try {
    const sides = callSides({ AiccClient: AiccClient ?? NoClient, simUrl: query.get('sim'), token: query.get('token'), firstNumber: 70_000_000 });
    await sides.queryCallState[AiccClient ? 'package' : 'baseline']();
    globalThis.firstAnswer = { ms: performance.now() };
  } catch (e) {
    globalThis.firstAnswer = { error: String(e?.stack ?? e) };
  }
}
