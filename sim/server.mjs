#!/usr/bin/env node
// CLI (`npx aicc-sim` from the package, `node sim/server.mjs` in the repository):
//   aicc-sim [--port N] [--app-key K] [--app-secret S] [--ak A] [--sk S] [--trial] [--speed X] [--verbose] [--demo]
// Prints exactly "AICC simulator listening on http://127.0.0.1:PORT" as its first stdout line; with --demo,
// "Open http://127.0.0.1:PORT/" (the demo page, on --port). Everything else goes to stderr.
import { startSimulator } from './index.mjs';

const VALUE_FLAGS = { '--port': 'port', '--app-key': 'appKey', '--app-secret': 'appSecret', '--ak': 'ak', '--sk': 'sk', '--speed': 'speed' };
const BOOL_FLAGS = { '--trial': 'trial', '--verbose': 'verbose', '--demo': 'demo' };
const USAGE = 'usage: aicc-sim [--port N] [--app-key K] [--app-secret S] [--ak A] [--sk S] [--trial] [--speed X] [--verbose] [--demo]\n' +
  '  --demo: also a gateway in Node on the package\'s wasm and the click-to-call page (on --port), and print its URL';

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { inline = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    if (arg === '--help' || arg === '-h') { process.stderr.write(USAGE + '\n'); process.exit(0); }
    if (VALUE_FLAGS[arg]) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      opts[VALUE_FLAGS[arg]] = v;
    } else if (BOOL_FLAGS[arg]) {
      opts[BOOL_FLAGS[arg]] = true;
    } else {
      throw new Error(`unknown argument: ${arg}`);
    }
  }
  if (opts.port !== undefined) {
    if (!/^\d+$/.test(opts.port) || Number(opts.port) > 65535) throw new Error('--port must be 0..65535');
    opts.port = Number(opts.port);
  }
  if (opts.speed !== undefined) {
    opts.speed = Number(opts.speed);
    if (!(opts.speed > 0)) throw new Error('--speed must be a positive number');
  }
  return opts;
}

let opts;
try { opts = parseArgs(process.argv.slice(2)); } catch (err) {
  process.stderr.write(`${err.message}\n${USAGE}\n`);
  process.exit(2);
}

const { demo: withDemo, ...simOptions } = opts;
const running = withDemo ? await (await import('./demo.mjs')).startNodeDemo(simOptions) : await startSimulator(simOptions);

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    await running.close();
    process.exit(0);
  });
}

const { options } = withDemo ? running.sim : running;
process.stderr.write(`[aicc-sim] app key ${options.appKey}, AK ${options.ak}, speed ${options.speed}${options.trial ? ', trial tenant' : ''} (secrets not shown)\n`);
if (withDemo) {
  process.stderr.write(`[aicc-sim] AICC simulator ${running.sim.url} · gateway ${running.gatewayUrl}/aicc/ (Node, the package's wasm)\n`);
  process.stderr.write('[aicc-sim] the last digit of the customer number picks the outcome (0 answered ... 7 busy ... 9 unreachable); Ctrl-C stops\n');
  process.stdout.write(`Open ${running.url}\n`);
} else {
  process.stdout.write(`AICC simulator listening on ${running.url}\n`);
}
