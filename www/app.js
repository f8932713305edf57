// The click-to-call widget: talks only to the edge gateway, with the page's session token.
// The package's AiccClient validates every number before anything is sent and decodes every code.
const $ = (id) => document.getElementById(id);
const els = {
  form: $('call-form'), agent: $('agent-number'), customer: $('customer-number'), call: $('call'), stop: $('stop'),
  status: $('status'), label: $('state-label'), detail: $('state-detail'), error: $('error'),
  meta: $('meta'), serial: $('serial'), duration: $('duration'), timeline: $('timeline'), session: $('session'), demo: $('demo'),
};

const STATES = {
  idle: 'Ready',
  placing: 'Placing the call…',
  accepted: 'Accepted',
  toBeCalled: 'To be called',
  calling: 'Calling',
  talking: 'Talking',
  ended: 'Ended',
  stopped: 'No longer followed',
  unknown: 'Outcome unknown',
};
const HINTS = {
  toBeCalled: 'The platform accepted the call and is about to ring the agent.',
  calling: 'Ringing: first the agent phone, then the customer.',
  talking: 'Agent and customer are connected.',
};
const FIELDS = { caller: 'Agent number', called: 'Customer number' };
const INPUTS = { caller: els.agent, called: els.customer };

let client;
let AiccError;
let config;
let running = null; // { controller, startedAt }
let tick;

boot();

async function boot() {
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`/config.json answered HTTP ${response.status}`);
    config = await response.json();
    const sdk = await import('/js/browser.js');
    AiccError = sdk.AiccError;
    client = new sdk.AiccClient({ baseUrl: `${config.gatewayUrl}/aicc`, token: async () => config.sessionToken });
    els.session.textContent = `Agent ${config.agentWorkNo ?? '—'} · ${new URL(config.gatewayUrl).host}`;
    els.demo.hidden = !config.demo;
    setStatus('idle', 'Enter both numbers and press Call.');
    els.call.disabled = false;
    els.agent.focus();
  } catch (e) {
    els.session.textContent = 'Offline';
    setStatus('idle', '');
    els.label.textContent = 'Unavailable';
    showError('The widget could not start', e?.message ?? String(e));
  }
}

els.form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!running && client) placeCall(els.agent.value.trim(), els.customer.value.trim());
});
els.stop.addEventListener('click', () => running?.controller.abort());
for (const input of [els.agent, els.customer]) {
  input.addEventListener('input', () => {
    input.removeAttribute('aria-invalid');
    input.setAttribute('aria-describedby', input === els.agent ? 'agent-hint' : 'customer-hint');
  });
}

async function placeCall(caller, called) {
  clearError();
  els.timeline.replaceChildren();
  els.meta.hidden = true;
  els.serial.textContent = '—';
  els.duration.textContent = '—';
  setStatus('placing', `${called || 'the customer'} via ${caller || 'your phone'}`);
  await asTheCall(async (controller) => {
    const { callSerialNo, retMsg } = await client.createCall({ caller, called });
    if (!callSerialNo) {
      showError('The call cannot be followed', `AICC accepted the request (${retMsg || 'no message'}) but returned no call serial.`);
      setStatus('stopped', 'The call may be in progress: check the agent phone.');
      return null;
    }
    return follow(callSerialNo, controller);
  });
}

// Follows a placed call (placed now, or found by "Check whether the call was placed") to its end.
async function follow(callSerialNo, controller) {
  els.serial.textContent = callSerialNo;
  els.meta.hidden = false;
  addStep('accepted', Date.now());
  startTicker();
  let last = null;
  const watch = client.watchCall(callSerialNo, { intervalMs: config.pollIntervalMs ?? 1000, signal: controller.signal });
  try {
    for await (const state of watch) {
      last = state;
      render(state);
      if (controller.signal.aborted) break;
    }
  } catch (e) {
    e.lastState = last;
    throw e;
  }
  if (controller.signal.aborted && last?.stateName !== 'ended') {
    setStatus('stopped', 'The call may still be in progress on the phones.');
  }
  return last;
}

// Runs `work(controller)` as the one call in progress: the Stop button aborts it; errors are shown.
async function asTheCall(work) {
  const controller = new AbortController();
  running = { controller, startedAt: Date.now(), talkingAt: null, endedAt: null };
  setRunning(true);
  try {
    await work(controller);
  } catch (e) {
    if (controller.signal.aborted) {
      setStatus('stopped', 'The call may still be in progress on the phones.');
    } else {
      reportError(e, e?.lastState ?? null);
    }
  } finally {
    stopTicker();
    running = null;
    setRunning(false);
  }
}

function render(state) {
  const name = state.stateName;
  const now = Date.now();
  if (name === 'talking' && !running.talkingAt) running.talkingAt = now;
  if (name === 'ended') {
    running.endedAt = now;
    const reason = state.reason;
    const ok = reason ? String(reason.category).toLowerCase() === 'ok' : true;
    setStatus('ended', reason ? reason.message : 'The call is over.', ok ? 'ok' : 'failed');
    els.status.dataset.reason = reason?.name ?? '';
    addStep('ended', now, '', reason ? `${reason.name} · reason ${reason.code}` : '', ok ? 'ok' : 'failed');
    updateDuration();
  } else {
    setStatus(name, HINTS[name] ?? '');
    addStep(name, now);
  }
}

function setStatus(state, detail, outcome = '') {
  els.status.dataset.state = state;
  els.status.dataset.outcome = outcome;
  els.label.textContent = STATES[state] ?? state;
  els.detail.textContent = detail ?? '';
}

function addStep(state, at, detail = '', code = '', outcome = '') {
  const li = document.createElement('li');
  li.dataset.state = state;
  if (outcome) li.dataset.outcome = outcome;
  const time = document.createElement('time');
  time.dateTime = new Date(at).toISOString();
  time.textContent = clock(at);
  const name = document.createElement('span');
  name.className = 'step-name';
  name.textContent = STATES[state] ?? state;
  const offset = document.createElement('span');
  offset.className = 'step-offset';
  offset.textContent = `+${((at - running.startedAt) / 1000).toFixed(1)} s`;
  li.append(time, name, offset);
  if (detail || code) {
    const p = document.createElement('p');
    p.className = 'step-detail';
    if (detail) p.append(detail, ' ');
    if (code) {
      const c = document.createElement('code');
      c.textContent = code;
      p.append(c);
    }
    li.append(p);
  }
  els.timeline.append(li);
}

function reportError(e, last) {
  const isAicc = AiccError && e instanceof AiccError;
  if (!isAicc) {
    showError('Something went wrong', e?.message ?? String(e));
    setStatus('stopped', '');
    return;
  }
  if (e.kind === 'validation' && INPUTS[e.field]) {
    const label = FIELDS[e.field];
    const input = INPUTS[e.field];
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', 'error');
    input.focus();
    showError(`Check the ${label}`, `${label} ${e.rule ?? ''}`.trim() + '.', e.message);
    setStatus('idle', 'Nothing was sent. Correct the number and press Call.');
    return;
  }
  const during = last ? 'while following the call' : 'placing the call';
  let title;
  let text;
  switch (e.kind) {
    case 'validation':
      title = 'The request is not valid';
      text = e.field ? `${FIELDS[e.field] ?? e.field}: ${e.rule ?? e.message}` : e.message;
      break;
    case 'api':
      title = last ? 'AICC could not report the call state' : 'AICC refused the call';
      text = e.codeMessage ?? e.message;
      break;
    case 'auth':
      title = 'This session is not allowed to call';
      text = e.message;
      break;
    case 'http':
      title = e.status === 403 ? 'The gateway refused this request' : `The gateway answered HTTP ${e.status ?? 'error'}`;
      text = e.message;
      break;
    case 'network':
      title = `Could not reach the gateway ${during}`;
      text = e.message;
      break;
    case 'timeout':
      title = `No answer in time ${during}`;
      text = e.message;
      break;
    default:
      title = 'Unexpected answer';
      text = e.message;
  }
  const code = e.retCode !== undefined ? `${e.codeName ?? 'code'} · retCode ${e.retCode}` : e.status ? `HTTP ${e.status}` : e.kind;
  if (e.outcomeUnknown) {
    showError('The call may have been placed', text, code, {
      warning: 'Check the agent phone before calling again, or the customer could be called twice.',
    });
    if (e.call) els.error.append(checkButton(e));
    setStatus('unknown', 'The request was sent but its answer was lost.');
    return;
  }
  showError(title, text, code, { retry: e.retryable ? 'Trying again may help.' : '' });
  if (last) setStatus('stopped', `Last known state: ${STATES[last.stateName] ?? last.stateName}.`);
  else setStatus('idle', 'The call was not placed.');
}

// "Check whether the call was placed": looks the lost createCall up in the call records.
function checkButton(error) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'btn-quiet';
  button.textContent = 'Check whether the call was placed';
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    setStatus('unknown', 'Looking the call up in the call records…');
    let resolution;
    try {
      resolution = await client.resolveOutcome(error);
    } catch {
      resolution = { status: 'unknown' };
    }
    button.remove();
    const answer = document.createElement('p');
    answer.className = 'resolution';
    if (resolution.status === 'placed') {
      answer.textContent = `The call was placed (serial ${resolution.callSerialNo}): do not call again. Following it.`;
      setStatus('accepted', 'The call was placed although its answer was lost.');
      els.error.append(answer);
      asTheCall((controller) => follow(resolution.callSerialNo, controller));
      return;
    } else if (resolution.status === 'notPlaced') {
      answer.textContent = 'The call was not placed: you can call again.';
      setStatus('idle', 'The call was not placed.');
    } else {
      answer.textContent = 'The call records could not be read: check the agent phone before calling again.';
      setStatus('unknown', 'Still unknown.');
    }
    els.error.append(answer);
  });
  return button;
}

function showError(title, text, detail = '', { warning = '', retry = '' } = {}) {
  const h = document.createElement('strong');
  h.textContent = title;
  const parts = [h];
  const p = document.createElement('p');
  p.textContent = [text, retry].filter(Boolean).join(' ');
  parts.push(p);
  if (warning) {
    const w = document.createElement('p');
    w.className = 'warning';
    w.textContent = `⚠ ${warning}`;
    parts.push(w);
  }
  if (detail && detail !== text) {
    const d = document.createElement('p');
    d.className = 'error-code';
    d.textContent = detail;
    parts.push(d);
  }
  els.error.replaceChildren(...parts);
}

function clearError() {
  els.error.replaceChildren();
  for (const input of [els.agent, els.customer]) input.removeAttribute('aria-invalid');
  els.agent.setAttribute('aria-describedby', 'agent-hint');
  els.customer.setAttribute('aria-describedby', 'customer-hint');
}

function setRunning(on) {
  els.call.disabled = on;
  els.call.setAttribute('aria-busy', String(on));
  els.agent.readOnly = on;
  els.customer.readOnly = on;
  els.stop.hidden = !on;
}

function startTicker() {
  stopTicker();
  tick = setInterval(updateDuration, 250);
}
function stopTicker() {
  clearInterval(tick);
}
function updateDuration() {
  if (!running) return;
  const from = running.talkingAt;
  if (!from) {
    els.duration.textContent = running.endedAt ? 'not connected' : 'waiting…';
    return;
  }
  const to = running.endedAt ?? Date.now();
  const s = Math.max(0, Math.round((to - from) / 1000));
  els.duration.textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function clock(ms) {
  const d = new Date(ms);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${Math.floor(d.getMilliseconds() / 100)}`;
}
