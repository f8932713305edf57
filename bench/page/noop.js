// The baseline of the Chromium start-up benchmark: a module that does nothing.
export const noop = true;
