// JSON.parse for answers and inputs, keeping every digit of a whole number beyond 2^53 (an 18-digit call
// serial sent as a bare number): such a number becomes a BigInt, which the core reads exactly. The number's
// source text comes from the reviver's `context.source` where the runtime has it; elsewhere (Node 20) from a
// scan of the text for the number tokens that are not exact as doubles, matched to the parsed values.
const MIN = -(2n ** 63n);
const LIMIT = 2n ** 64n;
const WHOLE = /^-?\d+$/;
// No whole number beyond 2^53 without 16 digits in a row, and a number (unlike digits inside a string) starts the
// text or follows `:`, `,` or `[`: text without one needs no more than JSON.parse (a quoted serial, say).
const LONG_NUMBER = /(?:^|[:,[])\s*-?\d{16}/;
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const hasSource = (() => {
  let seen = false;
  try {
    JSON.parse('1', (key, value, context) => {
      seen = context?.source === '1';
      return value;
    });
  } catch {
    // no reviver context
  }
  return seen;
})();

function exact(value, source) {
  if (typeof value !== 'number' || Number.isSafeInteger(value) || !WHOLE.test(source)) return value;
  const big = BigInt(source);
  return big >= MIN && big < LIMIT ? big : value;
}

// Parses `text`; a syntax error is rethrown as `{ cutShort }`, true when the text ended too early.
export function parseJson(text) {
  try {
    if (!LONG_NUMBER.test(text)) return JSON.parse(text);
    if (hasSource) return JSON.parse(text, (key, value, context) => exact(value, context?.source));
    const inexact = new Map();
    for (const [token] of text.matchAll(TOKENS)) {
      if (token[0] === '"' || !WHOLE.test(token) || Number.isSafeInteger(Number(token))) continue;
      const same = inexact.get(Number(token));
      if (same) same.push(token);
      else inexact.set(Number(token), [token]);
    }
    if (!inexact.size) return JSON.parse(text);
    return JSON.parse(text, (key, value) => {
      const source = typeof value === 'number' ? inexact.get(value)?.shift() : undefined;
      return source === undefined ? value : exact(value, source);
    });
  } catch {
    throw { cutShort: endsEarly(text) };
  }
}

// Whether text that JSON.parse refused ends inside a string or an open object or array (the engines' messages
// differ too much to tell).
function endsEarly(text) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return inString || depth > 0;
}
