// Bidirectional calls: createCall validation, serial numbers, the state machine and queryCallState.
// States are computed from elapsed time (scaled by speed) on the simulator's clock (clock.mjs); only the release
// callback uses a timer. With the 'poll' clock a call moves one state per queryCallState about it instead.
import { randomInt } from 'node:crypto';
import { json, rawJson, gatewayError } from './respond.mjs';
import { OUTCOMES, PHASE_MS, outcomeFor } from './outcomes.mjs';
import {
  ACCEPTED_WITHOUT_SERIAL, ACCESS_CODE, EXAMPLE_CALL, OUT_OF_RANGE_CALLER_PREFIX, TRIAL_DAILY_LIMIT, TRIAL_TRUSTLIST_PREFIX,
} from './seed.mjs';

const NUMBER_RE = /^\+?\d{1,31}$|^\d{32}$/; // at most 32 characters, digits, optional leading +
const PRESENT_RE = /^\d{1,14}$/;            // access code, or 11..14 digits => 1..14 digits
const WORK_NO_RE = /^\d{1,5}$/;
const URL_CHARS_RE = /^https?:\/\/[A-Za-z0-9\-:./_#?&]+$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A createCall refusal as {retCode, retMsg}, or null when the body is acceptable. */
export function validateCreateCall(b) {
  const bad = (field) => ({ retCode: '5', retMsg: `The format of ${field} is incorrect` });
  // The page's codes: 2 for the call data; 1 ("failed to add the outbound call task") for a bad agentWorkNo,
  // for which the page has no code of its own.
  if (typeof b.caller !== 'string' || !NUMBER_RE.test(b.caller)) return bad('the calling number (caller)');
  if (typeof b.called !== 'string' || !NUMBER_RE.test(b.called)) return bad('the called number (called)');
  for (const f of ['callerPresent', 'agentPresent']) {
    const v = b[f];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string' || !PRESENT_RE.test(v)) return bad(`the CLIP number (${f})`);
  }
  const w = b.agentWorkNo;
  if (!(w === undefined || w === null || w === '')) {
    const ok = (typeof w === 'number' && Number.isInteger(w) && w >= 0 && w <= 99999)
      || (typeof w === 'string' && WORK_NO_RE.test(w));
    if (!ok) return { retCode: '1', retMsg: 'Failed to add the outbound call task: agentWorkNo is incorrect' };
  }
  if (b.callData !== undefined && b.callData !== null && (typeof b.callData !== 'string' || b.callData.length > 1024)) {
    return { retCode: '2', retMsg: 'Call data information is incorrect' };
  }
  if (b.callBackUrl !== undefined && b.callBackUrl !== null && b.callBackUrl !== '' && decodeCallBackUrl(b.callBackUrl) === null) {
    return { retCode: '9', retMsg: 'The value of callBackUrl does not meet the requirements' };
  }
  return null;
}

/** The decoded http(s) URL of a Base64 callBackUrl, or null when it is not acceptable. */
export function decodeCallBackUrl(value) {
  if (typeof value !== 'string' || value.length === 0 || !BASE64_RE.test(value)) return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  if (!URL_CHARS_RE.test(decoded)) return null;
  try { new URL(decoded); } catch { return null; }
  return decoded;
}

/** A fresh 18-digit serial, never exactly representable as a double (so JSON.parse would corrupt it). */
function newSerial(taken) {
  for (;;) {
    const s = String(randomInt(1, 10)) + String(randomInt(0, 1e9)).padStart(9, '0') + String(randomInt(0, 1e8)).padStart(8, '0');
    if (taken.has(s)) continue;
    // Neither exact as a double nor printed back the same (a double near ...434000 prints as ...434000).
    if (BigInt(Number(s)) === BigInt(s) || String(Number(s)) === s) continue;
    return s;
  }
}

/** The state names the client uses (stateName), by state number. */
export const STATE_NAMES = ['toBeCalled', 'calling', 'talking', 'ended'];

export class CallBook {
  #calls = new Map(); // serial -> call
  #daily = new Map(); // 'YYYY-MM-DD' -> accepted calls
  #speed;
  #clock;
  #onPolledToEnd;

  /**
   * @param {{speed?:number, clock?:{kind:string, now:()=>number}, onPolledToEnd?:(call)=>void}} [opts]
   *   onPolledToEnd: with the 'poll' clock, called when a call's ended state is first answered.
   */
  constructor({ speed = 1, clock = { kind: 'real', now: () => Date.now() }, onPolledToEnd = () => {} } = {}) {
    this.#speed = speed;
    this.#clock = clock;
    this.#onPolledToEnd = onPolledToEnd;
    this.reset();
  }

  reset() {
    this.#calls.clear();
    this.#daily.clear();
    const e = EXAMPLE_CALL;
    this.#calls.set(e.serial, {
      serial: e.serial, caller: e.caller, called: e.called, callerPresent: e.callerPresent,
      agentPresent: e.agentPresent, outcome: OUTCOMES[0], startTime: e.startTime, endTime: e.endTime,
      timeline: null, seeded: true,
    });
  }

  get(serial) { return this.#calls.get(serial) ?? null; }

  /** Every accepted call (and the page's example), for the call records. */
  all() { return [...this.#calls.values()]; }

  /** Every timestamp of a call (ms), computed from its start, outcome and the speed. */
  timeline(startTime, outcome) {
    const at = (ms) => Math.round(startTime + ms / this.#speed);
    const callingAt = at(PHASE_MS.toBeCalled);
    const talkingAt = at(PHASE_MS.toBeCalled + PHASE_MS.calling);
    const endTime = outcome.answered ? at(PHASE_MS.toBeCalled + PHASE_MS.calling + PHASE_MS.talking) : talkingAt;
    return {
      callingAt,
      talkingAt: outcome.answered ? talkingAt : null,
      endTime,
      agentAlertingAt: outcome.reasonCode === 6 ? null : callingAt,
      agentTalkingAt: outcome.agentAnswered ? at(PHASE_MS.toBeCalled + PHASE_MS.calling / 4) : null,
      alertingAt: outcome.customerAlerted ? at(PHASE_MS.toBeCalled + PHASE_MS.calling * 3 / 4) : null,
    };
  }

  /** The call's phases: [{state, at}], in order (talking only for answered calls). */
  phases(call) {
    if (call.seeded) return [{ state: 3, at: call.endTime }];
    const t = call.timeline;
    const out = [{ state: 0, at: call.startTime }, { state: 1, at: t.callingAt }];
    if (t.talkingAt !== null) out.push({ state: 2, at: t.talkingAt });
    out.push({ state: 3, at: call.endTime });
    return out;
  }

  /** The time as the call sees it: the clock's, or with the 'poll' clock the time of the phase it has reached. */
  nowOf(call) {
    if (this.#clock.kind === 'poll' && !call.seeded) return this.phases(call)[call.step].at;
    return this.#clock.now();
  }

  /** Whether the call has ended (by the clock, or by polls with the 'poll' clock). */
  ended(call) { return call.seeded || this.stateOf(call, this.nowOf(call)) === 3; }

  /**
   * The state transitions the call has gone through so far, with their simulated times:
   * [{state, name, at}] (the ended one also has reasonCode). null for an unknown serial.
   */
  transitions(serial) {
    const call = this.#calls.get(serial);
    if (!call) return null;
    const now = this.nowOf(call);
    return this.phases(call).filter((p) => p.at <= now || call.seeded).map(({ state, at }) => (
      state === 3 ? { state, name: STATE_NAMES[state], at, reasonCode: call.outcome.reasonCode } : { state, name: STATE_NAMES[state], at }
    ));
  }

  stateOf(call, now = this.#clock.now()) {
    if (now >= call.endTime) return 3;
    if (call.timeline.talkingAt !== null && now >= call.timeline.talkingAt) return 2;
    if (now >= call.timeline.callingAt) return 1;
    return 0;
  }

  /** Handle a validated-JSON createCall body; returns { reply, retCode, call? }. */
  create(body, { trial }) {
    const refuse = (r) => ({ reply: json(200, r), retCode: r.retCode });
    const invalid = validateCreateCall(body);
    if (invalid) return refuse(invalid);
    if (body.caller.startsWith(OUT_OF_RANGE_CALLER_PREFIX)) {
      return refuse({ retCode: '8', retMsg: 'The calling number is not in the softphone number range of the mobile agent' });
    }
    const now = this.#clock.now();
    const day = new Date(now).toISOString().slice(0, 10);
    if (trial) {
      if (!body.caller.startsWith(TRIAL_TRUSTLIST_PREFIX)) {
        return refuse({ retCode: '16', retMsg: 'The agent-side number of the trial tenant is not in the trustlist' });
      }
      if ((this.#daily.get(day) ?? 0) >= TRIAL_DAILY_LIMIT) {
        return refuse({ retCode: '21', retMsg: 'The number of bidirectional calls of the trial tenant exceeds the upper limit 10 per day' });
      }
    }
    for (const c of this.#calls.values()) {
      if (c.caller === body.caller && c.called === body.called && !this.ended(c)) {
        return refuse({ retCode: '1', retMsg: 'Failed to add the outbound call task. The same outbound call task may exist in the outbound call database.' });
      }
    }
    this.#daily.set(day, (this.#daily.get(day) ?? 0) + 1);
    const outcome = outcomeFor(body.called);
    const timeline = this.timeline(now, outcome);
    const call = {
      serial: newSerial(this.#calls),
      caller: body.caller,
      called: body.called,
      callerPresent: body.callerPresent || ACCESS_CODE,
      agentPresent: body.agentPresent || ACCESS_CODE,
      callData: typeof body.callData === 'string' ? body.callData : undefined,
      agentWorkNo: body.agentWorkNo === '' || body.agentWorkNo == null ? undefined : String(body.agentWorkNo),
      callBackUrl: body.callBackUrl ? decodeCallBackUrl(body.callBackUrl) : null,
      outcome,
      startTime: now,
      endTime: timeline.endTime,
      timeline,
      step: 0, // the phase reached, with the 'poll' clock
    };
    this.#calls.set(call.serial, call);
    // The page's own example reply has no result: the seeded called number gets it (the call is placed).
    if (body.called === ACCEPTED_WITHOUT_SERIAL) {
      return { reply: rawJson(200, '{"retMsg":"Add CallOutInfo in DB successfully","retCode":"0"}'), retCode: '0', call };
    }
    // The serial is a bare JSON number beyond 2^53: write the text by hand so every digit survives.
    const text = `{"retCode":"0","retMsg":"success","result":{"callSerialNo":${call.serial}}}`;
    return { reply: rawJson(200, text), retCode: '0', call };
  }

  /** queryCallState; rawBody is used to read a numeric callSerialNo without losing digits. */
  query(body, rawBody) {
    let serial = body.callSerialNo;
    if (typeof serial === 'number') {
      const m = /"callSerialNo"\s*:\s*(-?[0-9.eE+-]+)/.exec(rawBody);
      serial = m ? m[1] : String(serial);
    }
    if (typeof serial !== 'string' || !/^\d{1,50}$/.test(serial)) {
      return json(200, { retCode: '3', retMsg: 'The format of the call SN is incorrect' });
    }
    const call = this.#calls.get(serial);
    if (!call) return json(200, { retCode: '1', retMsg: 'Failed to query the status: call not found' });
    const state = call.seeded ? 3 : this.stateOf(call, this.nowOf(call));
    if (this.#clock.kind === 'poll' && !call.seeded) {
      // This answer shows the phase reached; the next query about the call shows the next one.
      const last = this.phases(call).length - 1;
      if (call.step < last) {
        call.step += 1;
      } else if (!call.polledToEnd) {
        call.polledToEnd = true;
        this.#onPolledToEnd(call);
      }
    }
    const result = {
      caller: call.caller,
      called: call.called,
      callerPresent: call.callerPresent,
      agentPresent: call.agentPresent,
    };
    if (call.callData !== undefined) result.callData = call.callData;
    result.startTime = call.startTime;
    result.state = state;
    if (state === 3) {
      result.reasonCode = call.outcome.reasonCode;
      result.endTime = call.endTime;
    }
    return json(200, { retMsg: 'Query call state successfully', retCode: '0', result });
  }
}

/** Route handlers (bearer auth and JSON parsing already done by the router). */
export function createCall(req, body, ctx) {
  if (!isObject(body)) return { reply: gatewayError(400, 'Request body must be a JSON object'), retCode: null };
  const out = ctx.calls.create(body.value, { trial: ctx.options.trial });
  // With the 'poll' clock the callback goes when the ended state is first answered (CallBook's onPolledToEnd).
  if (out.call && out.call.callBackUrl && ctx.clock.kind !== 'poll') ctx.callbacks.schedule(out.call);
  return out;
}

export function queryCallState(req, body, ctx) {
  if (!isObject(body)) return gatewayError(400, 'Request body must be a JSON object');
  return ctx.calls.query(body.value, body.raw);
}

function isObject(body) {
  return body.ok && body.value !== null && typeof body.value === 'object' && !Array.isArray(body.value);
}
