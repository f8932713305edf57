// Types of 'aicc-call/widget': importing it defines <aicc-click-to-call> (a no-op when it is already defined).
import type { AiccClient, AiccError, CallState, CallStateName, Resolution } from './browser.js';

/** The texts the element shows (see js/widget-labels.js), and the page's own text per end reason or return code (its name or code). */
export type AiccClickToCallLabels = Partial<Record<
  | 'call' | 'stop' | 'tryAgain' | 'timeline' | 'talkTime' | 'idle' | 'placing' | 'placed' | CallStateName
  | 'unknown' | 'resolvedPlaced' | 'notPlaced' | 'unresolved' | 'failed' | 'lost' | 'stopped' | 'missing',
  string>> & Record<string, string>;

/** The events the element dispatches (they bubble and cross the shadow root) and their `detail`. */
export interface AiccClickToCallEventMap {
  'aicc-placed': CustomEvent<{ callSerialNo: string }>;
  'aicc-state': CustomEvent<CallState>;
  'aicc-ended': CustomEvent<{ state: CallState; reason: CallState['reason'] }>;
  'aicc-unknown': CustomEvent<{ error: AiccError }>;
  'aicc-resolved': CustomEvent<Resolution>;
  'aicc-error': CustomEvent<AiccError>;
}

/**
 * `<aicc-click-to-call caller called base-url? call-data? lang?>`: a call button that places one call and
 * follows it to its end (`client.placeCall`). Parts: `widget`, `button`, `stop`, `retry`, `timer`, `status`,
 * `error`, `timeline`. Custom properties: `--aicc-accent`, `--aicc-on-accent`, `--aicc-radius`, `--aicc-font`,
 * `--aicc-background`, `--aicc-color`, `--aicc-error`, `--aicc-padding`.
 */
export interface AiccClickToCallElement extends HTMLElement {
  /**
   * An AiccClient to place calls with; without it, the element makes one from `base-url` and `token`. A new
   * `client`, `token` or `base-url` applies to the next call; a call going on keeps its client to its end.
   */
  client: AiccClient | undefined;
  /** The bearer-token source of the client the element makes (the same function again changes nothing). */
  token: (() => string | Promise<string>) | undefined;
  /** Overrides of the texts shown. */
  labels: AiccClickToCallLabels;
  addEventListener<K extends keyof AiccClickToCallEventMap>(type: K, listener: (this: AiccClickToCallElement, event: AiccClickToCallEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

/** The element's attributes and properties as JSX sees them (React 19 sets the properties). */
export interface AiccClickToCallAttributes {
  caller?: string;
  called?: string;
  'base-url'?: string;
  'call-data'?: string;
  lang?: 'en' | 'zh-CN' | (string & {});
  client?: AiccClient;
  token?: () => string | Promise<string>;
  labels?: AiccClickToCallLabels;
  id?: string;
  class?: string;
  className?: string;
  hidden?: boolean;
  ref?: unknown;
  children?: never;
}

declare global {
  interface HTMLElementTagNameMap {
    'aicc-click-to-call': AiccClickToCallElement;
  }
  interface HTMLElementEventMap extends AiccClickToCallEventMap {}
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'aicc-click-to-call': AiccClickToCallAttributes;
    }
  }
}

export {};
