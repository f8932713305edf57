// queryCallDetailRecord (cec_07_1305): the records of every call the simulator accepted, including those
// whose answer was lost, a page at a time. Every request value is a string, as on the page.
import { json } from './respond.mjs';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const DIGITS_RE = /^\d{1,19}$/;
const CALLER_RE = /^\+?\d{1,31}$|^\d{32}$/;

const refuse = (retCode, retMsg) => json(200, { retCode, retMsg });

/** One call's record, with the fields of the page's example that the call has reached by `now`. */
function recordOf(call, stateOf, now) {
  const state = call.seeded ? 3 : stateOf(call, now);
  const t = call.timeline;
  const record = {
    callSerialNo: call.serial, caller: call.caller, called: call.called,
    callerPresent: call.callerPresent, agentPresent: call.agentPresent, state, startTime: call.startTime,
  };
  if (t?.agentAlertingAt && now >= t.agentAlertingAt) record.agentAlertingTime = t.agentAlertingAt;
  if (t?.agentTalkingAt && now >= t.agentTalkingAt) record.agentTalkingTime = t.agentTalkingAt;
  if (t?.alertingAt && now >= t.alertingAt) record.alertingTime = t.alertingAt;
  if (t?.talkingAt && now >= t.talkingAt) record.talkingTime = t.talkingAt;
  if (state === 3) {
    record.reasonCode = call.outcome.reasonCode;
    record.endTime = call.endTime;
    record.releaseTime = call.endTime;
    record.talkDuration = t?.talkingAt ? Math.round((call.endTime - t.talkingAt) / 1000) : 0;
  }
  return record;
}

export function queryCallDetailRecord(req, body, ctx) {
  const b = body.value;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return refuse('2', 'The time range is incorrect');
  const str = (v) => (typeof v === 'number' ? String(v) : v);
  const [start, end] = [str(b.startTime), str(b.endTime)];
  if (!DIGITS_RE.test(start ?? '') || !DIGITS_RE.test(end ?? '')) return refuse('2', 'startTime and endTime must be millisecond timestamps');
  const [from, to] = [Number(start), Number(end)];
  if (to < from || to - from > WEEK_MS) return refuse('2', 'endTime must be at most 7 days after startTime');
  const [offsetText, limitText] = [str(b.offset ?? '0'), str(b.limit ?? '100')];
  if (!/^\d{1,9}$/.test(offsetText ?? '') || !/^\d{1,9}$/.test(limitText ?? '') || Number(limitText) === 0) {
    return refuse('4', 'offset and limit must be whole numbers, limit at least 1');
  }
  const caller = str(b.caller);
  if (caller !== undefined && caller !== '' && (typeof caller !== 'string' || !CALLER_RE.test(caller))) {
    return refuse('12', 'The caller number is unavailable');
  }
  const matching = ctx.calls
    .all()
    .filter((c) => c.startTime >= from && c.startTime <= to && (!caller || c.caller === caller))
    .sort((x, y) => x.startTime - y.startTime);
  if (matching.length === 0) return refuse('1', 'No data');
  const offset = Number(offsetText);
  const page = matching.slice(offset, offset + Number(limitText)).map((c) => recordOf(c, (call, at) => ctx.calls.stateOf(call, at), ctx.calls.nowOf(c)));
  return json(200, { retCode: '0', retMsg: 'Query call detail record successfully', result: { total: matching.length, callInfo: page } });
}
