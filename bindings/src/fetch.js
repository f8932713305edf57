// The runtime's fetch for the transport (transport.rs), which hands the Response to gloo-net: whatever fetch
// does (throws, rejects with a string or nothing, answers something else), this resolves to a Response or
// rejects with what fetch threw, so nothing reaches gloo-net's send(), which panics on a rejection that is not
// an Error and keeps only its message.
export function fetchResponse(request) {
  let answer;
  try {
    answer = fetch(request);
  } catch (e) {
    return Promise.reject(e);
  }
  return Promise.resolve(answer).then((response) =>
    response instanceof Response ? response : Promise.reject(new TypeError('fetch answered something other than a Response')),
  );
}
