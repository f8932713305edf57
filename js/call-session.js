// CallSession, what client.placeCall() returns: one call's life, as an async iterable of updates and an
// EventTarget of the same updates as events. Which phase follows which, and what to do next, is the core's
// (`sessionStep`, src/client/session.rs); this relays: it performs the action the core names (createCall,
// watchCall, resolveOutcome, freeing the watch) and reports what came of it.
const PHASES = ['idle', 'placing', 'placed', 'following', 'ended', 'unknown', 'notPlaced', 'unresolved', 'failed', 'lost', 'stopped'];
const [START, CREATED, CREATE_FAILED, STATE, WATCH_ENDED, WATCH_FAILED, RESOLVED, RESOLVE_FAILED, STOP] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const [, PLACE, FOLLOW, RESOLVE, RELEASE] = [0, 1, 2, 3, 4];
const OVER = new Set(['ended', 'notPlaced', 'unresolved', 'failed', 'lost', 'stopped']);

/** An update of a call session, dispatched as an event of its `type` whose `detail` is the update. */
export class CallSessionEvent extends Event {
  constructor(detail) {
    super(detail.type);
    this.detail = detail;
  }
}

export class CallSession extends EventTarget {
  #client;
  #request;
  #options;
  #stepper; // () => the core's sessionStep, or a promise of it while the wasm loads
  #phase = 0;
  #watch;
  #chain = Promise.resolve();
  #updates = [];
  #wake = new Set();
  #finish;
  #onAbort = () => this.stop();

  /** 'placing' … 'ended' | 'notPlaced' | 'unresolved' | 'failed' | 'lost' | 'stopped' */
  phase = 'idle';
  callSerialNo = undefined;
  state = undefined;
  error = undefined;
  resolution = undefined;
  mayTryAgain = false;
  /** Settles with the last update once the session is over. */
  finished;

  constructor(client, request, options, stepper) {
    super();
    this.#client = client;
    this.#request = request;
    this.#options = options ?? {};
    this.#stepper = stepper;
    this.finished = new Promise((resolve) => (this.#finish = resolve));
    this.#options.signal?.addEventListener?.('abort', this.#onAbort, { once: true });
    this.#relay(START);
    if (this.#options.signal?.aborted) this.stop();
  }

  /** Stops following the call (the call itself goes on: the pages have no hang-up) and frees its watch. */
  stop() {
    return this.#relay(STOP);
  }

  [Symbol.dispose]() {
    this.stop();
  }

  // Each update from the first, then done once the session is over; leaving a `for await` loop stops it.
  [Symbol.asyncIterator]() {
    let index = 0;
    const next = async () => {
      while (index >= this.#updates.length && !OVER.has(this.phase)) await new Promise((wake) => this.#wake.add(wake));
      return index < this.#updates.length ? { value: this.#updates[index++], done: false } : { value: undefined, done: true };
    };
    return {
      next,
      return: async () => {
        index = Infinity;
        await this.stop();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  #relay(event, detail) {
    this.#chain = this.#chain
      .then(() => this.#stepper())
      .then((step) => this.#apply(step, event, detail))
      .catch((error) => this.#broken(error));
    return this.#chain;
  }

  #apply(step, event, detail) {
    const code = step(this.#phase, event, detail);
    if (!(code & 0x100)) return;
    this.#phase = code & 15;
    this.phase = PHASES[this.#phase];
    this.mayTryAgain = Boolean(code & 0x200);
    if (event === CREATED) this.callSerialNo = detail?.callSerialNo;
    if (event === CREATE_FAILED || event === WATCH_FAILED || event === RESOLVE_FAILED) this.error = detail;
    if (event === RESOLVED) {
      this.resolution = detail;
      this.callSerialNo = detail?.callSerialNo;
      this.#publish({ type: 'resolved', resolution: detail });
    }
    if (event === STATE) {
      this.state = detail;
      this.#publish({ type: 'state', state: detail });
    }
    if (this.phase !== 'following') this.#publish(this.#update());
    this.#perform((code >> 4) & 15);
    if (OVER.has(this.phase)) this.#end();
  }

  #update() {
    const update = { type: this.phase };
    if (this.phase === 'placed') update.callSerialNo = this.callSerialNo;
    if (this.phase === 'ended') update.state = this.state;
    if (['unknown', 'failed', 'lost', 'unresolved'].includes(this.phase) && this.error) update.error = this.error;
    if (this.phase === 'unresolved' || this.phase === 'notPlaced') update.resolution = this.resolution;
    if (this.phase === 'failed') update.mayTryAgain = this.mayTryAgain;
    return update;
  }

  #perform(action) {
    const { intervalMs, maxWaitMs } = this.#options;
    if (action === PLACE) this.#place(intervalMs);
    if (action === FOLLOW) this.#follow(intervalMs);
    if (action === RESOLVE) {
      this.#client.resolveOutcome(this.error, maxWaitMs === undefined ? undefined : { maxWaitMs })
        .then((resolution) => this.#relay(RESOLVED, resolution), (error) => this.#relay(RESOLVE_FAILED, error));
    }
    if (action === RELEASE) this.#release();
  }

  // The watch's options are checked (by the core, on a watch that never polls) before the createCall is sent.
  async #place(intervalMs) {
    try {
      const probe = this.#client.watchCall('0', { intervalMs });
      await probe.return();
      probe.free();
    } catch (error) {
      return this.#relay(CREATE_FAILED, error);
    }
    this.#client.createCall(this.#request)
      .then((answer) => this.#relay(CREATED, answer), (error) => this.#relay(CREATE_FAILED, error));
  }

  async #follow(intervalMs) {
    let watch;
    try {
      watch = this.#watch = this.#client.watchCall(this.callSerialNo, { intervalMs });
      for (;;) {
        const { value, done } = await watch.next();
        if (this.#watch !== watch) return;
        if (done) return this.#relay(WATCH_ENDED);
        await this.#relay(STATE, value);
      }
    } catch (error) {
      if (this.#watch === watch) this.#relay(WATCH_FAILED, error);
    }
  }

  #release() {
    const watch = this.#watch;
    this.#watch = undefined;
    watch?.return().finally(() => watch.free());
  }

  // The core could not be reached (the wasm did not load): the session fails with that error.
  #broken(error) {
    if (OVER.has(this.phase)) return;
    this.phase = 'failed';
    this.error = error;
    this.#publish(this.#update());
    this.#end();
  }

  #publish(update) {
    this.#updates.push(update);
    for (const wake of this.#wake) wake();
    this.#wake.clear();
    this.dispatchEvent(new CallSessionEvent(update));
  }

  #end() {
    this.#release();
    this.#options.signal?.removeEventListener?.('abort', this.#onAbort);
    for (const wake of this.#wake) wake();
    this.#wake.clear();
    this.#finish(this.#updates.at(-1));
  }
}
