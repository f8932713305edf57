// What every runtime entry shares: `watchCall` returns an object usable in `for await`.
export function makeAsyncIterable(CallWatch) {
  CallWatch.prototype[Symbol.asyncIterator] = function asyncIterator() {
    return this;
  };
}
