// Bidirectional calls: createCall validation, serial numbers, the state machine and queryCallState.
// States are computed from elapsed time (scaled by speed); only the release callback uses a timer.
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
    if (BigInt(Number(s)) === BigInt(s)) continue;
    return s;
  }
}

export class CallBook {
  #calls = new Map(); // serial -> call
  #daily = new Map(); // 'YYYY-MM-DD' -> accepted calls
  #speed;

  constructor({ speed = 1 } = {}) {
    this.#speed = speed;
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

  stateOf(call, now = Date.now()) {
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
    const day = new Date().toISOString().slice(0, 10);
    if (trial) {
      if (!body.caller.startsWith(TRIAL_TRUSTLIST_PREFIX)) {
        return refuse({ retCode: '16', retMsg: 'The agent-side number of the trial tenant is not in the trustlist' });
      }
      if ((this.#daily.get(day) ?? 0) >= TRIAL_DAILY_LIMIT) {
        return refuse({ retCode: '21', retMsg: 'The number of bidirectional calls of the trial tenant exceeds the upper limit 10 per day' });
      }
    }
    const now = Date.now();
    for (const c of this.#calls.values()) {
      if (c.caller === body.caller && c.called === body.called && now < c.endTime) {
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
    const state = call.seeded ? 3 : this.stateOf(call);
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
  if (out.call && out.call.callBackUrl) ctx.callbacks.schedule(out.call);
  return out;
}

export function queryCallState(req, body, ctx) {
  if (!isObject(body)) return gatewayError(400, 'Request body must be a JSON object');
  return ctx.calls.query(body.value, body.raw);
}

function isObject(body) {
  return body.ok && body.value !== null && typeof body.value === 'object' && !Array.isArray(body.value);
}
