// Waits for a watch: one 'abort' listener on the caller's signal for the watch's whole life, removed by
// dispose(). Each wait settles on its timer, on abort, or on release(), so nothing is left pending.
export class AbortWait {
  #signal = null;
  #stopped = false;
  #wakers = new Set();
  #onAbort = () => this.#wakeAll(true);

  // Throws (a validation error for the caller) on a signal that is not an AbortSignal-like event target.
  constructor(signal) {
    if (signal === undefined || signal === null) return;
    if (typeof signal.addEventListener !== 'function' || typeof signal.removeEventListener !== 'function') {
      throw new TypeError('signal must be an AbortSignal');
    }
    this.#signal = signal;
    signal.addEventListener('abort', this.#onAbort);
  }

  get aborted() {
    return this.#stopped || this.#signal?.aborted === true;
  }

  // Resolves to true when the signal aborts, false after `ms` (never, when `ms` is undefined) or on release().
  wait(ms) {
    return new Promise((resolve) => {
      let timer;
      const wake = (aborted) => {
        if (timer !== undefined) clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve(aborted);
      };
      this.#wakers.add(wake);
      if (this.aborted) wake(true);
      else if (ms !== undefined) timer = setTimeout(() => wake(false), ms);
    });
  }

  // Settles every wait still pending (the future awaiting it was dropped).
  release() {
    this.#wakeAll(false);
  }

  // Ends every wait as aborted, now and later (the watch's return()).
  stop() {
    this.#stopped = true;
    this.#wakeAll(true);
    this.#detach();
  }

  // The watch has ended: nothing waits any more and the listener is removed.
  dispose() {
    this.release();
    this.#detach();
  }

  #detach() {
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#signal = null;
  }

  #wakeAll(aborted) {
    for (const wake of [...this.#wakers]) wake(aborted);
  }
}
