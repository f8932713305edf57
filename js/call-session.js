// CallSession, what client.placeCall() returns: one call's life, as an async iterable of updates and an
// EventTarget of the same updates. Which phase follows which, and what to do next, is the core's (sessionStep,
// src/client/session.rs); this performs the action it names (createCall, watchCall, resolveOutcome, freeing
// the watch) and reports what came of it.
const PHASES = ['idle', 'placing', 'placed', 'following', 'unknown', 'ended', 'notPlaced', 'unresolved', 'failed', 'lost', 'stopped'];
// The core's event codes: start, created, createFailed, state, watchEnded, watchFailed, resolved, resolveFailed, stop.
const [START, CREATED, CREATE_FAILED, STATE, WATCH_ENDED, WATCH_FAILED, RESOLVED, RESOLVE_FAILED, STOP] = PHASES.keys();
// Its actions: nothing, place, follow, resolve, release.
const [, PLACE, FOLLOW, RESOLVE, RELEASE] = PHASES.keys();
const OVER = 5; // the first phase that is over: ended, notPlaced, unresolved, failed, lost, stopped

// What the core reads of an event's object: the error's flags, the state's number, the resolution's status.
function code(event, detail) {
  if (event === CREATE_FAILED) return (detail?.outcomeUnknown ? 1 : 0) | (detail?.retryable ? 2 : 0);
  if (event === STATE) return detail?.state;
  if (event === RESOLVED) return ['placed', 'notPlaced'].indexOf(detail?.status) >>> 0;
  return 0;
}

/** An update, as an event of its `type` whose `detail` is the update. */
class CallSessionEvent extends Event {
  constructor(detail) {
    super(detail.type);
    this.detail = detail;
  }
}

export class CallSession extends EventTarget {
  #client;
  #request;
  #options;
  #step; // () => the core's sessionStep, or a promise of it while the wasm loads
  #check; // () => throws the validation error of the options (the core's checkPlaceCallOptions)
  #code = 0;
  #watch;
  #chain = Promise.resolve();
  #updates = [];
  #wake = [];
  #over;
  #stop = () => this.stop();

  phase = 'idle';
  callSerialNo;
  state;
  error;
  resolution;
  mayTryAgain = false;
  finished = new Promise((resolve) => (this.#over = resolve));

  constructor(client, request, options, step, check) {
    super();
    this.#client = client;
    this.#request = request;
    this.#options = options ?? {};
    this.#step = step;
    this.#check = check;
    this.#options.signal?.addEventListener?.('abort', this.#stop);
    this.#relay(START);
    if (this.#options.signal?.aborted) this.stop();
  }

  /** Stops following the call and frees its watch; the call itself goes on (the pages have no hang-up). */
  stop() {
    return this.#relay(STOP);
  }

  [Symbol.dispose]() {
    this.stop();
  }

  // Every update from the first, then done once the session is over; leaving a `for await` loop stops it.
  [Symbol.asyncIterator]() {
    let i = 0;
    return {
      next: async () => {
        while (i >= this.#updates.length && this.#code < OVER) await new Promise((wake) => this.#wake.push(wake));
        return i < this.#updates.length ? { value: this.#updates[i++], done: false } : { value: undefined, done: true };
      },
      return: async () => {
        i = Infinity;
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
      .then(this.#step)
      .then((step) => this.#apply(step(this.#code, event, code(event, detail)), event, detail))
      .catch((error) => this.#apply(0x108, CREATE_FAILED, error)); // the wasm could not be loaded: failed
    return this.#chain;
  }

  #apply(code, event, detail) {
    if (!(code & 0x100) || this.#code >= OVER) return;
    this.#code = code & 15;
    this.phase = PHASES[this.#code];
    this.mayTryAgain = Boolean(code & 0x200);
    if (event === CREATED) this.callSerialNo = detail?.callSerialNo;
    if (event === CREATE_FAILED || event === WATCH_FAILED || event === RESOLVE_FAILED) this.error = detail;
    if (event === RESOLVED) {
      this.callSerialNo = detail?.callSerialNo;
      this.#publish({ type: 'resolved', resolution: (this.resolution = detail) });
    }
    if (event === STATE) this.#publish({ type: 'state', state: (this.state = detail) });
    if (this.phase !== 'following') this.#publish(this.#update());
    const action = (code >> 4) & 15;
    if (action === PLACE) this.#place();
    if (action === FOLLOW) this.#follow();
    if (action === RESOLVE) {
      this.#client.resolveOutcome(this.error, { maxWaitMs: this.#options.maxWaitMs })
        .then((resolution) => this.#relay(RESOLVED, resolution), (error) => this.#relay(RESOLVE_FAILED, error));
    }
    if (action === RELEASE || this.#code >= OVER) this.#release();
    if (this.#code >= OVER) {
      this.#options.signal?.removeEventListener?.('abort', this.#stop);
      this.#over(this.#updates.at(-1));
    }
    this.#wake.splice(0).forEach((wake) => wake());
  }

  #update() {
    const { phase, error, resolution } = this;
    const update = { type: phase };
    if (phase === 'placed') update.callSerialNo = this.callSerialNo;
    if (phase === 'ended') update.state = this.state;
    if (phase === 'notPlaced' || phase === 'unresolved') update.resolution = resolution;
    if (error && ['unknown', 'unresolved', 'failed', 'lost'].includes(phase)) update.error = error;
    if (phase === 'failed') update.mayTryAgain = this.mayTryAgain;
    return update;
  }

  // The options are checked by the core before createCall is sent.
  #place() {
    try {
      this.#check();
    } catch (error) {
      return this.#relay(CREATE_FAILED, error);
    }
    this.#client.createCall(this.#request)
      .then((answer) => this.#relay(CREATED, answer), (error) => this.#relay(CREATE_FAILED, error));
  }

  async #follow() {
    let watch;
    try {
      watch = this.#watch = this.#client.watchCall(this.callSerialNo, { intervalMs: this.#options.intervalMs });
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

  #publish(update) {
    this.#updates.push(update);
    this.dispatchEvent(new CallSessionEvent(update));
  }
}
