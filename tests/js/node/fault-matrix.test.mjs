// The fault matrix: every operation (and the token fetch) against every fault the simulator can inject. It checks
// the client's failure policy (invariants 1-5 below) and keeps the table of docs/failure-behaviour.md in step with
// what the client really does. After a deliberate change of behaviour, regenerate the table with
//   AICC_UPDATE_FAULT_MATRIX=1 node --test tests/js/node/fault-matrix.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { AiccError } from 'aicc-call';
import { serverClient, pairs } from './helpers.mjs';

const TABLE_DOC = new URL('../../../docs/failure-behaviour.md', import.meta.url);
const START = '<!-- fault-matrix:start -->';
const END = '<!-- fault-matrix:end -->';
const UPDATE = process.env.AICC_UPDATE_FAULT_MATRIX === '1';
const RERUN = 'AICC_UPDATE_FAULT_MATRIX=1 node --test tests/js/node/fault-matrix.test.mjs';

// The client's timeout: `hold` (no answer, ever) runs into it on any machine; every answered request has 800 ms,
// far more than it takes even on a busy machine.
const TIMEOUT_MS = 800;
const MAX_RETRIES = 2;
const EVERY_ATTEMPT = MAX_RETRIES + 3; // more than any operation can send, a 401 resend included
const CELL_GUARD_MS = 20_000; // a cell that takes longer is reported as a hang, not waited for

// Rows of the table: the faults, in the order of the brief.
const STATUS = (code) => ({ fault: `status:${code}`, label: `HTTP ${code}` });
const FAULTS = [
  STATUS(400),
  STATUS(401),
  STATUS(403),
  STATUS(404),
  STATUS(429),
  STATUS(500),
  STATUS(502),
  STATUS(503),
  STATUS(504),
  { fault: 'html', label: '`html` (502, HTML page)' },
  { fault: 'malformed', label: '`malformed` (200, cut JSON)' },
  { fault: 'empty', label: '`empty` (200, no body)' },
  { fault: 'hold', label: '`hold` (handled, never answered)' },
  { fault: 'drop', label: '`drop` (no answer)' },
  // The cached token is revoked once, as when it expires; the token fetched after the 401 is good.
  { fault: 'expire-token', label: '`expire-token` (once)', times: 1 },
];

const SERIAL = '645735364434067472'; // seeded, always present
const pair = pairs(7000);

// Columns of the table: the operations, each with the path its faults go to, and the token fetch.
const OPERATIONS = [
  { name: 'createCall', path: PATHS.createCall, run: (c) => c.createCall(pair(0)) },
  { name: 'queryCallState', path: PATHS.queryCallState, run: (c) => c.queryCallState({ callSerialNo: SERIAL }) },
  { name: 'getCalledInfo', path: PATHS.getCalledInfo, run: (c) => c.getCalledInfo({ caller: '8888888', called: '6666601' }) },
  {
    name: 'queryCallInfoByCallId',
    path: PATHS.queryCallInfoByCallId,
    run: (c) => c.queryCallInfoByCallId({ callId: '1652317325-339', userId: '1652268429538866153', tenantId: '202205116084', agentId: '109' }),
  },
  {
    name: 'queryBasicCallInfo',
    path: PATHS.queryBasicCallInfo,
    cms: true,
    run: (c) => c.queryBasicCallInfo({ ccId: 1, vdn: 1, callId: '1453723531-574' }),
  },
  {
    name: 'queryCallDetailRecord',
    path: PATHS.queryCallDetailRecord,
    run: (c) => c.queryCallDetailRecord({ startTime: Date.now() - 60_000, endTime: Date.now() + 60_000, caller: '88889050' }),
  },
  {
    name: 'token fetch',
    path: PATHS.token,
    token: true,
    // A client without a cached token runs queryCallState: the faults hit the token fetch it needs first.
    queryPath: PATHS.queryCallState,
    run: (c) => c.queryCallState({ callSerialNo: SERIAL }),
  },
];

// Cells where a fault cannot apply, with the reason (footnotes under the table, numbered in this order).
const NOT_APPLICABLE = [
  {
    op: 'queryBasicCallInfo',
    fault: 'expire-token',
    note: 'the CMS endpoint is C2-signed with the AK/SK on every request; it uses no bearer token, so there is nothing to revoke.',
  },
  {
    op: 'token fetch',
    fault: 'expire-token',
    note: 'tokenByAkSk presents no bearer token (it sends the app key and secret), so there is nothing to revoke: the fault would let it through unchanged.',
  },
];
const notApplicable = (op, fault) => NOT_APPLICABLE.findIndex((n) => n.op === op && n.fault === fault);

// The policy, by fault.
const QUERY_RETRIED = new Set(['drop', 'hold', 'status:429', 'status:502', 'status:503', 'status:504', 'html', 'malformed', 'empty']);
const QUERY_ONCE = new Set(['status:400', 'status:403', 'status:404', 'status:500']);
const REFRESHED = new Set(['status:401', 'expire-token']); // refused unread: resent once after a token refresh
const CREATE_UNKNOWN = new Set(['drop', 'hold', 'status:502', 'status:504', 'html', 'malformed', 'empty']);
const CREATE_KNOWN = new Set(['status:400', 'status:403', 'status:404', 'status:429', 'status:500', 'status:503']);

const countOn = (sim, path) => sim.requests().filter((r) => r.path === path).length;

/** Runs one cell on `sim` (reset first) and returns what happened. */
async function runCell(sim, op, { fault, times = EVERY_ATTEMPT }) {
  sim.reset();
  const client = serverClient(sim, { timeoutMs: TIMEOUT_MS, maxRetries: MAX_RETRIES });
  // Fetch the token outside the counts, except in the token column, where the fetch is what is measured.
  if (!op.token) await client.getCalledInfo({ caller: '8888888', called: '6666601' });
  const sentBefore = countOn(sim, op.path);
  const queryBefore = op.queryPath ? countOn(sim, op.queryPath) : 0;
  const callsBefore = sim.calls().length;
  sim.fault({ path: op.path, fault, times });

  let error = null;
  let hung = false;
  let guard;
  try {
    await Promise.race([op.run(client), new Promise((_, reject) => { guard = setTimeout(() => { hung = true; reject(new Error('hang')); }, CELL_GUARD_MS); })]);
  } catch (e) {
    error = e;
  } finally {
    clearTimeout(guard);
  }

  const calls = sim.calls().slice(callsBefore);
  const cell = {
    op: op.name,
    fault,
    sent: countOn(sim, op.path) - sentBefore,
    querySent: op.queryPath ? countOn(sim, op.queryPath) - queryBefore : undefined,
    calls: calls.map((c) => ({ status: c.status, retCode: c.retCode, fault: c.fault ?? null })),
  };
  if (!error) return { ...cell, ok: true };
  if (hung) return { ...cell, ok: false, kind: 'hang' };
  if (!(error instanceof AiccError)) return { ...cell, ok: false, kind: `${error?.constructor?.name ?? typeof error}`, foreign: String(error) };
  return {
    ...cell,
    ok: false,
    kind: error.kind,
    status: error.status,
    retryable: error.retryable,
    outcomeUnknown: error.outcomeUnknown,
    attempts: error.attempts,
  };
}

/** Runs every cell: one simulator per column, the columns concurrently, the cells of a column one after another. */
async function runMatrix(sims) {
  const columns = await Promise.all(
    OPERATIONS.map(async (op, i) => {
      const out = [];
      for (const f of FAULTS) {
        if (notApplicable(op.name, f.fault) >= 0) continue;
        out.push(await runCell(sims[i], op, f));
      }
      return out;
    }),
  );
  return columns.flat();
}

// ---- The table ----

/** Calls of a createCall cell that may have been placed: every one but those refused unread with a 401. */
const mayBePlaced = (cell) => cell.calls.filter((c) => c.status !== 401).length;

function formatCell(cell) {
  let text;
  if (cell.ok) text = `ok · ${cell.sent}`;
  else {
    const flags = `${cell.retryable ? 'r' : ''}${cell.outcomeUnknown ? 'u' : ''}` || '-';
    text = `${cell.kind} · ${flags} · ${cell.attempts ?? '?'}/${cell.sent}`;
  }
  // Marks of broken invariants, so that they show in the table too.
  if (cell.querySent && !cell.ok) text += ` · query ×${cell.querySent}`;
  if (cell.op === 'createCall' && mayBePlaced(cell) > 1) text += ` · placed ×${mayBePlaced(cell)}`;
  return `\`${text}\``;
}

/** Splits `text` into lines of at most 110 characters, at spaces (the docs' width). */
function wrap(text, width = 110) {
  const lines = [''];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (lines[last] && lines[last].length + 1 + word.length > width) lines.push(word);
    else lines[last] = lines[last] ? `${lines[last]} ${word}` : word;
  }
  return lines;
}

function renderTable(cells) {
  const get = (op, fault) => cells.find((c) => c.op === op && c.fault === fault);
  const marks = ['¹', '²', '³', '⁴'];
  const lines = [
    `Each cell is \`kind · flags · attempts/sent\`: the \`AiccError\`'s \`kind\`; \`r\` when it is \`retryable\`,`,
    `\`u\` when \`outcomeUnknown\` is true, \`-\` for neither; its \`attempts\`; and how many requests reached the`,
    `simulator on the operation's path (tokenByAkSk for the token fetch). \`ok · N\`: the operation succeeded, N`,
    `requests reached its path. \`timeoutMs\` ${TIMEOUT_MS}, \`maxRetries\` ${MAX_RETRIES}; each fault hits every attempt`,
    `(${EVERY_ATTEMPT} times) except \`expire-token\`, which revokes the cached token once.`,
  ];
  const marked = cells.some((c) => (c.querySent && !c.ok) || (c.op === 'createCall' && mayBePlaced(c) > 1));
  if (marked) {
    lines.push(
      `\`query ×N\`: the query was sent although no token was obtained; \`placed ×N\`: createCall reached AICC N`,
      `times other than refused unread (401). Both break the client's policy.`,
    );
  }
  lines.push('', `| fault | ${OPERATIONS.map((o) => (o.token ? 'token fetch (tokenByAkSk)' : `\`${o.name}\``)).join(' | ')} |`);
  lines.push(`| --- | ${OPERATIONS.map(() => '---').join(' | ')} |`);
  for (const f of FAULTS) {
    const row = OPERATIONS.map((o) => {
      const na = notApplicable(o.name, f.fault);
      if (na >= 0) return `—${marks[na]}`;
      const cell = get(o.name, f.fault);
      return cell ? formatCell(cell) : '?';
    });
    lines.push(`| ${f.label} | ${row.join(' | ')} |`);
  }
  NOT_APPLICABLE.forEach((n, i) => {
    lines.push('', ...wrap(`${marks[i]} Not applicable (${n.op} × \`${n.fault}\`): ${n.note}`));
  });
  return lines.join('\n');
}

const SECTION_INTRO = [
  '# Failure behaviour',
  '',
  'What the client does when AICC or the network fails, measured against the local simulator: every operation,',
  'and the token fetch a query needs first, with one fault injected by `POST /__sim/fault` on a freshly reset',
  'simulator, using app and CMS credentials. `tests/js/node/fault-matrix.test.mjs` generates this table, checks',
  'the retry policy on it, and fails when the table no longer matches the client',
  `(\`${RERUN}\` rewrites it).`,
  '',
].join('\n');

/** The document with its table replaced (or, without the markers, the whole section written anew). */
function withTable(doc, table) {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start >= 0 && end > start) return `${doc.slice(0, start + START.length)}\n${table}\n${doc.slice(end)}`;
  return `${SECTION_INTRO}\n${START}\n${table}\n${END}\n`;
}

function tableInDoc(doc) {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) return null;
  return doc.slice(start + START.length, end).trim();
}

// ---- The run ----

let sims = [];
let cells = [];
let runtimeMs = 0;
const cellsOf = (pred) => cells.filter(pred);
const where = (c) => `${c.op} × ${c.fault}`;
const describe = (c) => `${where(c)}: ${c.ok ? 'ok' : `${c.kind} r=${c.retryable} u=${c.outcomeUnknown} attempts=${c.attempts}`}, sent ${c.sent}`;

/** Asserts that no cell breaks a rule, listing every one that does. */
function expectNone(violations, rule) {
  assert.deepEqual(violations, [], `${rule}\n  broken on:\n    ${violations.join('\n    ')}`);
}

before(async () => {
  sims = await Promise.all(OPERATIONS.map(() => startSimulator({ port: 0, speed: 20, log: () => {} })));
  const t0 = performance.now();
  cells = await runMatrix(sims);
  runtimeMs = performance.now() - t0;
});
after(() => Promise.all(sims.map((s) => s.close())));

test('every cell ran to an AiccError or a success (no hang, no foreign error)', () => {
  assert.equal(cells.length, OPERATIONS.length * FAULTS.length - NOT_APPLICABLE.length);
  expectNone(cellsOf((c) => !c.ok && (c.kind === 'hang' || c.foreign)).map((c) => `${where(c)}: ${c.foreign ?? 'hang'}`), 'failures must be AiccErrors, in time');
  if (process.env.AICC_FAULT_MATRIX_VERBOSE) console.log(`matrix ran in ${Math.round(runtimeMs)} ms\n${cells.map(describe).join('\n')}`);
});

test('1. createCall is never placed twice; it reaches AICC again only after a 401', () => {
  const create = cellsOf((c) => c.op === 'createCall');
  expectNone(create.filter((c) => mayBePlaced(c) > 1).map((c) => `${where(c)}: ${mayBePlaced(c)} calls not refused unread`), 'at most one createCall may have been placed per cell');
  expectNone(
    create.filter((c) => c.calls.slice(0, -1).some((call) => call.status !== 401)).map((c) => `${where(c)}: resent after ${JSON.stringify(c.calls[0])}`),
    'createCall is resent only after a 401',
  );
});

test('2. createCall is not retried: 1 request, 2 after a 401 (one refresh)', () => {
  const create = cellsOf((c) => c.op === 'createCall');
  expectNone(
    create.filter((c) => c.sent !== (REFRESHED.has(c.fault) ? 2 : 1)).map((c) => `${describe(c)} (expected ${REFRESHED.has(c.fault) ? 2 : 1})`),
    'createCall requests on its path',
  );
});

test('3. queries are retried only on drop, timeout, 429/502/503/504, html, malformed, empty', () => {
  const queries = cellsOf((c) => c.op !== 'createCall' && !OPERATIONS.find((o) => o.name === c.op).token);
  const expected = (c) => {
    if (QUERY_RETRIED.has(c.fault)) return MAX_RETRIES + 1;
    if (QUERY_ONCE.has(c.fault)) return 1;
    // A 401 is refreshed once where there is a token to refresh; the C2-signed CMS query has none.
    if (REFRESHED.has(c.fault)) return OPERATIONS.find((o) => o.name === c.op).cms ? 1 : 2;
    throw new Error(`no rule for ${c.fault}`);
  };
  expectNone(queries.filter((c) => c.sent !== expected(c)).map((c) => `${describe(c)} (expected ${expected(c)})`), 'query requests on its path');
});

test('4. createCall: outcomeUnknown (and not retryable) exactly when the call may have been placed', () => {
  const create = cellsOf((c) => c.op === 'createCall');
  expectNone(
    create.filter((c) => CREATE_UNKNOWN.has(c.fault) && (c.ok || c.outcomeUnknown !== true || c.retryable !== false)).map(describe),
    'after drop, hold, 502, 504, html, malformed, empty: outcomeUnknown true, retryable false',
  );
  expectNone(
    create.filter((c) => CREATE_KNOWN.has(c.fault) && !c.ok && c.outcomeUnknown === true).map(describe),
    'after 400, 403, 404, 429, 500, 503: outcomeUnknown absent or false',
  );
});

test('5. the token fetch is retried like a query, and the query is not sent without a token', () => {
  const token = cellsOf((c) => OPERATIONS.find((o) => o.name === c.op).token);
  // A refused token fetch (401 included: there is nothing to refresh) is sent once.
  const expected = (c) => (QUERY_RETRIED.has(c.fault) ? MAX_RETRIES + 1 : 1);
  expectNone(token.filter((c) => c.sent !== expected(c)).map((c) => `${describe(c)} (expected ${expected(c)})`), 'token requests');
  expectNone(token.filter((c) => !c.ok && c.querySent !== 0).map((c) => `${where(c)}: query sent ${c.querySent} times`), 'no token, no query');
});

test('docs/failure-behaviour.md shows the generated table', async () => {
  const table = renderTable(cells);
  const doc = await readFile(TABLE_DOC, 'utf8').catch(() => '');
  if (UPDATE) {
    const updated = withTable(doc, table);
    if (updated !== doc) await writeFile(TABLE_DOC, updated);
    return;
  }
  const current = tableInDoc(doc);
  assert.ok(current !== null, `docs/failure-behaviour.md has no ${START} ... ${END} section: rerun with\n  ${RERUN}`);
  assert.equal(current, table.trim(), `docs/failure-behaviour.md's fault matrix is out of date: check the differences, then rerun with\n  ${RERUN}`);
});
