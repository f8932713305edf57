// The simulator's clocks. Everything time-based in the simulator (call states, token expiry, release callbacks,
// delay faults, recorded timestamps) reads the time and sets its timers through one of these, so that a test can
// drive time itself instead of racing the wall clock.
//
// - RealClock (clock: 'real', the default): Date.now() and the global timers.
// - ManualClock (clock: 'manual'): starts at the real time of the simulator's start (or `startTime`) and moves
//   only when the test calls advance(ms); timers that fall due on the way run in order, at their own time.
// - PollClock (clock: 'poll'): real time, but each call moves one state per queryCallState about it (see calls.mjs).

export class RealClock {
  kind = 'real';
  now() { return Date.now(); }
  setTimeout(fn, ms) { return setTimeout(fn, ms); }
  clearTimeout(handle) { clearTimeout(handle); }
}

export class PollClock extends RealClock {
  kind = 'poll';
}

export class ManualClock {
  kind = 'manual';
  #now;
  #timers = new Map(); // id -> { at, fn, id }
  #seq = 0;
  #moving = Promise.resolve();

  constructor(startTime = Date.now()) {
    if (!Number.isFinite(startTime)) throw new Error('startTime must be a number of milliseconds');
    this.#now = Math.round(startTime);
  }

  now() { return this.#now; }

  setTimeout(fn, ms) {
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#now + Math.max(0, Number(ms) || 0), fn, id });
    return id;
  }

  clearTimeout(id) { this.#timers.delete(id); }

  /** Timers not run yet. */
  get pending() { return this.#timers.size; }

  /**
   * Moves the time forward by `ms`, running every timer that falls due on the way, in order (the time reads as
   * each timer's own when it runs). Resolves once they have run and their immediate work (a release callback
   * being sent, a held answer going out) has started. Calls are serialised: an advance waits for the previous one.
   */
  advance(ms) {
    const step = Number(ms);
    if (!(step >= 0) || !Number.isFinite(step)) return Promise.reject(new Error('advance(ms) needs a finite ms >= 0'));
    this.#moving = this.#moving.then(async () => {
      const target = this.#now + step;
      for (;;) {
        let due = null;
        for (const t of this.#timers.values()) {
          if (t.at <= target && (!due || t.at < due.at || (t.at === due.at && t.id < due.id))) due = t;
        }
        if (!due) break;
        this.#timers.delete(due.id);
        this.#now = Math.max(this.#now, due.at);
        due.fn();
        await new Promise((resolve) => setImmediate(resolve));
      }
      this.#now = Math.round(target);
    });
    return this.#moving;
  }

  /** Drops every timer (close and reset). */
  clearAll() { this.#timers.clear(); }
}

/** The clock named by the `clock` option. */
export function makeClock(kind = 'real', startTime) {
  if (kind === 'real') return new RealClock();
  if (kind === 'manual') return new ManualClock(startTime ?? Date.now());
  if (kind === 'poll') return new PollClock();
  throw new Error(`clock must be 'real', 'manual' or 'poll' (got ${kind})`);
}
