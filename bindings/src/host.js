// The one door through which JS calls back into the wasm (host.rs): the executor's microtasks, settled
// promises and timers. A callback of an abandoned instance (one that trapped, then was replaced) is dropped,
// and a trap inside a callback is handed to the handler js/runtime.js installs instead of escaping uncaught.
let instance = 0;
let onTrap = () => {};

/** Sets the function told about a trap inside a callback (js/runtime.js). */
export function setTrapHandler(handler) {
  onTrap = handler;
}

/** From now on, callbacks scheduled before are dropped (the instance trapped). */
export function abandonInstance() {
  instance += 1;
}

function enter(at, callback, ...args) {
  if (at !== instance) return;
  try {
    callback(...args);
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    abandonInstance();
    onTrap(e);
  }
}

export function schedule(callback) {
  const at = instance;
  queueMicrotask(() => enter(at, callback));
}

export function settle(promise, callback) {
  const at = instance;
  Promise.resolve(promise).then((value) => enter(at, callback, true, value), (reason) => enter(at, callback, false, reason));
}

export function startTimer(callback, ms) {
  const at = instance;
  return setTimeout(() => enter(at, callback), ms);
}

/** What js/runtime.js needs of this module, handed out by the wasm (the module's path carries a hash). */
export function hooks() {
  return { setTrapHandler, abandonInstance };
}
