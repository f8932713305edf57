// The simulator in its own process (node sim/server.mjs on 127.0.0.1, an OS-chosen port), so that its work
// is not timed with the client's.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export async function spawnSimulator(root, { speed = 20 } = {}) {
  const child = spawn(process.execPath, [join(root, 'sim/server.mjs'), '--port', '0', '--speed', String(speed)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code}) before listening`)));
  });
  const url = /^AICC simulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first)?.[1];
  if (!url) {
    child.kill('SIGTERM');
    throw new Error(`unexpected first line from the simulator: ${first}`);
  }
  return {
    url,
    close: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}
