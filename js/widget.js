// <aicc-click-to-call>: a click-to-call button that places one call through the page's gateway and follows it
// (client.placeCall, whose phases are the core's), in a shadow root. Browser only; importing it again, or where
// the element is already defined, does nothing. It loads the browser entry (the client), never the gateway.
import { AiccClient } from './browser.js';
import { LABELS } from './widget-labels.js';

const TAG = 'aicc-click-to-call';
const UPDATES = ['placing', 'placed', 'state', 'ended', 'unknown', 'resolved', 'notPlaced', 'unresolved', 'failed', 'lost', 'stopped'];
const OVER = new Set(['ended', 'notPlaced', 'unresolved', 'failed', 'lost', 'stopped']);

const STYLE = `
:host{all:initial;display:inline-block;font-family:var(--aicc-font,system-ui,sans-serif);font-size:1rem;line-height:1.4;
--bg:var(--aicc-background,#fff);--fg:var(--aicc-color,#1a1a1a);--muted:#4d4d4d;--accent:var(--aicc-accent,#0b5cad);
--on-accent:var(--aicc-on-accent,#fff);--error:var(--aicc-error,#a4001d);color:var(--fg);background:var(--bg)}
@media (prefers-color-scheme:dark){:host{--bg:var(--aicc-background,#1b1b1f);--fg:var(--aicc-color,#ececec);--muted:#c4c4c4;
--accent:var(--aicc-accent,#8ab4f8);--on-accent:var(--aicc-on-accent,#0b1a2a);--error:var(--aicc-error,#ff9e9e)}}
:host([hidden]){display:none}
.w{display:grid;gap:.5em;padding:var(--aicc-padding,.75em);border-radius:var(--aicc-radius,.5em)}
.row{display:flex;gap:.5em;align-items:center;flex-wrap:wrap}
button{font:inherit;border-radius:var(--aicc-radius,.5em);padding:.45em 1em;cursor:pointer;border:2px solid var(--accent)}
button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
[part=button]{background:var(--accent);color:var(--on-accent);font-weight:600}
[part=button][aria-disabled=true]{cursor:not-allowed;background:var(--bg);color:var(--fg);border-style:dashed}
[part=stop],[part=retry]{background:var(--bg);color:var(--fg)}
[part=timer]{font-variant-numeric:tabular-nums;color:var(--muted)}
[part=timeline]{margin:0;padding-left:1.2em;color:var(--muted)}
[part=error]{margin:0;color:var(--error)}
[hidden]{display:none!important}
p{margin:0}`;

let sheet; // one stylesheet for every instance; constructed, so a strict CSP (no inline styles) allows it

function define() {
  class AiccClickToCall extends HTMLElement {
    static observedAttributes = ['lang', 'base-url'];
    #client; // given by the page
    #made; // made by the element from base-url and token, for the next call
    #uses; // the client the element made that the current call uses
    #token;
    #labels = {};
    #session;
    #ticker;
    #parts = {};

    constructor() {
      super();
      const root = this.attachShadow({ mode: 'open' });
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(STYLE);
      }
      root.adoptedStyleSheets = [sheet];
      root.innerHTML = '<div class="w" part="widget"><div class="row">' +
        '<button type="button" part="button"></button><button type="button" part="stop" hidden></button>' +
        '<button type="button" part="retry" hidden></button><span part="timer" role="timer" hidden></span></div>' +
        '<p part="status" role="status" aria-live="polite"></p><p part="error" hidden></p><ol part="timeline"></ol></div>';
      for (const el of root.querySelectorAll('[part]')) this.#parts[el.getAttribute('part')] = el;
      this.#parts.button.addEventListener('click', () => this.#place());
      this.#parts.retry.addEventListener('click', () => this.#place());
      this.#parts.stop.addEventListener('click', () => this.#session?.stop());
    }

    /** An AiccClient to place calls with (else the element makes one from `base-url` and `token`). */
    get client() {
      return this.#client;
    }
    set client(client) {
      if ((client ??= undefined) === this.#client) return;
      this.#client = client;
      this.#drop();
    }

    /** The bearer-token source of the client the element makes: `() => Promise<string>`. */
    get token() {
      return this.#token;
    }
    set token(token) {
      if ((token ??= undefined) === this.#token) return;
      this.#token = token;
      this.#drop();
    }

    /** Overrides of the texts shown, by key, end reason or return code name (see LABELS). */
    get labels() {
      return this.#labels;
    }
    set labels(labels) {
      this.#labels = { ...labels };
      this.#render();
    }

    connectedCallback() {
      this.#render();
    }

    // A move in the document (disconnected and connected in one task) keeps the call; a removal releases it.
    disconnectedCallback() {
      queueMicrotask(() => {
        if (this.isConnected) return;
        this.#session?.stop();
        this.#tick(false);
        this.#drop();
      });
    }

    attributeChangedCallback(name, old, value) {
      if (name === 'base-url' && old !== value) this.#drop();
      this.#render();
    }

    // The made client no longer fits (new token, base-url or client, or removed): the next call makes another.
    #drop() {
      const made = this.#made;
      this.#made = undefined;
      this.#free(made);
    }

    // Frees a client the element made unless the next call or a call still going on uses it (that call frees it
    // when it is over).
    #free(made) {
      if (made !== this.#made && !(made === this.#uses && this.#busy())) made?.free();
    }

    #text(key) {
      const own = LABELS[this.getAttribute('lang')] ?? LABELS.en;
      return this.#labels[key] ?? own[key] ?? LABELS.en[key] ?? key;
    }

    // The platform's message for a reason or an error, or the page's own text for its name or code.
    #message(named) {
      for (const key of [named?.name, named?.codeName, named?.code, named?.retCode]) {
        if (key !== undefined && this.#labels[key] !== undefined) return this.#labels[key];
      }
      return named?.message ?? '';
    }

    #busy() {
      return Boolean(this.#session) && !OVER.has(this.#session.phase);
    }

    #render() {
      const { button, stop, retry, timeline, timer, widget, status } = this.#parts;
      widget.lang = this.getAttribute('lang') || 'en';
      button.textContent = this.#text('call');
      stop.textContent = this.#text('stop');
      retry.textContent = this.#text('tryAgain');
      timeline.setAttribute('aria-label', this.#text('timeline'));
      timer.setAttribute('aria-label', this.#text('talkTime'));
      button.setAttribute('aria-disabled', String(this.#busy()));
      stop.hidden = !this.#busy();
      if (!this.#session) status.textContent = this.#text('idle');
    }

    #place() {
      if (this.#busy()) return;
      const caller = this.getAttribute('caller');
      const called = this.getAttribute('called');
      const { status, error, timeline, retry, timer } = this.#parts;
      retry.hidden = error.hidden = timer.hidden = true;
      if (!caller || !called) {
        status.textContent = this.#text('missing');
        return;
      }
      const request = { caller, called };
      const callData = this.getAttribute('call-data');
      if (callData) request.callData = callData;
      timeline.replaceChildren();
      const made = (this.#uses = this.#client ? undefined : (this.#made ??= new AiccClient({ baseUrl: this.getAttribute('base-url') || '/aicc', token: this.#token })));
      const session = (this.#session = (this.#client ?? made).placeCall(request));
      session.finished.then(() => this.#free(made));
      for (const type of UPDATES) session.addEventListener(type, (event) => this.#show(session, event.detail));
      this.#render();
    }

    #show(session, update) {
      if (session !== this.#session) return;
      const { status, error, retry } = this.#parts;
      let line;
      switch (update.type) {
        case 'placed':
          this.#emit('aicc-placed', { callSerialNo: update.callSerialNo });
          line = this.#text('placed');
          break;
        case 'state':
          this.#tick(update.state.stateName === 'talking');
          this.#emit('aicc-state', update.state);
          if (update.state.stateName === 'ended') return; // told with its reason by the 'ended' update
          line = this.#text(update.state.stateName);
          break;
        case 'ended':
          line = `${this.#text('ended')}: ${this.#message(update.state.reason)}`;
          this.#emit('aicc-ended', { state: update.state, reason: update.state.reason });
          break;
        case 'unknown':
          this.#emit('aicc-unknown', { error: update.error });
          line = this.#text('unknown');
          break;
        case 'resolved':
          this.#emit('aicc-resolved', update.resolution);
          this.#add(this.#text({ placed: 'resolvedPlaced', notPlaced: 'notPlaced' }[update.resolution.status] ?? 'unresolved'));
          return;
        case 'failed':
        case 'lost':
          error.textContent = this.#message(update.error);
          error.hidden = false;
          retry.hidden = !update.mayTryAgain;
          this.#emit('aicc-error', update.error);
          line = this.#text(update.type);
          break;
        default:
          line = this.#text(update.type);
      }
      status.textContent = line;
      if (!update.resolution) this.#add(line); // a resolution's answer is already in the timeline
      if (OVER.has(update.type)) this.#tick(false);
      this.#render();
    }

    #add(text) {
      const item = document.createElement('li');
      item.textContent = text;
      this.#parts.timeline.append(item);
    }

    #tick(on) {
      const { timer } = this.#parts;
      if (!on) {
        clearInterval(this.#ticker);
        this.#ticker = undefined;
        return;
      }
      if (this.#ticker !== undefined) return;
      const since = Date.now();
      const show = () => {
        const s = Math.floor((Date.now() - since) / 1000);
        timer.textContent = `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
      };
      show();
      timer.hidden = false;
      this.#ticker = setInterval(show, 1000);
    }

    #emit(type, detail) {
      this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    }
  }
  customElements.define(TAG, AiccClickToCall);
}

if (globalThis.customElements && !customElements.get(TAG)) define();
