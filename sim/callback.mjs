// Release callback: POSTed to the createCall's decoded callBackUrl when the call ends.
// Only loopback receivers are contacted; anything else is logged and skipped.
import http from 'node:http';
import { ACCESS_CODE } from './seed.mjs';
import { RealClock } from './clock.mjs';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The release callback body for an ended call: every field is a string. */
export function releaseBody(call) {
  const t = call.timeline;
  const s = (v) => (v === null || v === undefined ? '' : String(v));
  const secs = (from, to) => (from === null ? '0' : String(Math.max(0, Math.round((to - from) / 1000))));
  return {
    callSerialNo: call.serial,
    serviceNo: ACCESS_CODE,
    called: call.called,
    caller: call.caller,
    callerPresent: s(call.callerPresent),
    callData: s(call.callData),
    createCallTime: s(call.startTime),
    alertingTime: s(t.alertingAt),
    talkingTime: s(t.talkingAt),
    releaseTime: s(call.endTime),
    talkDuration: secs(t.talkingAt, call.endTime),
    recordfile: '',
    locationId: '0',
    releaseReason: call.outcome.releaseReason,
    agentAlertingTime: s(t.agentAlertingAt),
    agentTalkingTime: s(t.agentTalkingAt),
    agentReleaseTime: s(call.endTime),
    agentTalkDuration: secs(t.agentTalkingAt, call.endTime),
  };
}

export class Callbacks {
  #timers = new Set();
  #requests = new Set();
  #log;
  #clock;
  #onSettled;

  /** onSettled({callSerialNo, status, error?}) is told of each delivery once it is answered or has failed. */
  constructor({ log, clock = new RealClock(), onSettled = () => {} }) {
    this.#log = log;
    this.#clock = clock;
    this.#onSettled = onSettled;
  }

  /** Sends the call's release callback when it ends, on the simulator's clock. */
  schedule(call) {
    const timer = this.#clock.setTimeout(() => {
      this.#timers.delete(timer);
      this.deliver(call.callBackUrl, releaseBody(call));
    }, Math.max(0, call.endTime - this.#clock.now()));
    this.#timers.add(timer);
  }

  deliver(url, body) {
    let target;
    try { target = new URL(url); } catch { this.#log(`callback skipped: unparsable URL`); return; }
    if (target.protocol !== 'http:' || !LOOPBACK.has(target.hostname)) {
      this.#log(`callback skipped: only http://127.0.0.1 or http://localhost receivers are contacted (got ${target.protocol}//${target.host})`);
      return;
    }
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    const req = http.request(target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': payload.length },
      timeout: 5000,
    }, (res) => {
      res.resume();
      res.on('end', () => {
        this.#requests.delete(req);
        this.#onSettled({ callSerialNo: body.callSerialNo, status: res.statusCode });
      });
      if (res.statusCode < 200 || res.statusCode >= 300) this.#log(`callback to ${target.host}${target.pathname} answered HTTP ${res.statusCode}`);
    });
    this.#requests.add(req);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => {
      const cancelled = !this.#requests.has(req);
      this.#requests.delete(req);
      if (cancelled) return; // cancelAll() (close or reset)
      this.#log(`callback to ${target.host}${target.pathname} failed: ${err.message}`);
      this.#onSettled({ callSerialNo: body.callSerialNo, status: null, error: err.message });
    });
    req.on('close', () => this.#requests.delete(req));
    req.end(payload);
  }

  /** Cancel pending callbacks and abort in-flight deliveries. */
  cancelAll() {
    for (const t of this.#timers) this.#clock.clearTimeout(t);
    this.#timers.clear();
    for (const r of this.#requests) r.destroy();
    this.#requests.clear();
  }
}
