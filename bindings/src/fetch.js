// The runtime's fetch for the transport (transport.rs), which hands the Response to gloo-net: whatever fetch
// does (throws, rejects with a string or nothing, answers something else), this resolves to a Response or
// rejects with what fetch threw, so nothing reaches gloo-net's send(), which panics on a rejection that is not
// an Error and keeps only its message.
//
// fetch is given the URL and the init, not a Request: fetch copies a Request it is given (in Node that copy and
// the Request cost about as much as the rest of the call). What a Request's constructor would refuse before
// anything is sent, a URL the runtime cannot resolve or one with credentials, is refused here the same way: a
// rejection marked `aiccRefused`, which the transport reports as refused (nothing sent), not as a network error.
export function fetchResponse(url, init) {
  const base = globalThis.document?.baseURI ?? globalThis.location?.href;
  const key = base === undefined ? url : `${base}\n${url}`;
  if (!accepted.has(key)) {
    let parsed;
    try {
      parsed = new URL(url, base);
    } catch {
      return Promise.reject(refusal('the URL could not be parsed')); // not shown: it may hold credentials
    }
    if (parsed.username !== '' || parsed.password !== '') return Promise.reject(refusal('the URL includes credentials'));
    if (accepted.size >= ACCEPTED_MAX) accepted.clear();
    accepted.add(key);
  }
  let answer;
  try {
    answer = fetch(url, init);
  } catch (e) {
    return Promise.reject(e);
  }
  return Promise.resolve(answer).then((response) =>
    response instanceof Response ? response : Promise.reject(new TypeError('fetch answered something other than a Response')),
  );
}

// The URLs found acceptable, each with the base it was resolved against: a client sends its few URLs again and
// again, and parsing one is a call into the runtime (about 16 µs a call in workerd).
const accepted = new Set();
const ACCEPTED_MAX = 256;

function refusal(message) {
  const error = new TypeError(message);
  error.aiccRefused = true;
  return error;
}
