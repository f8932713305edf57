// Wasm memory after 50k watches that end and 50k clients dropped without free(), no forced GC: fetch is
// stubbed (a ready Response with an ended call), so only the package's own memory is measured.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { table } from './stats.mjs';

const ENDED = '{"retCode":"0","retMsg":"success","result":{"state":3,"reasonCode":0}}';

export async function measureMemory(root, runs) {
  const { AiccClient } = await import(pathToFileURL(join(root, 'js/node.js')).href);
  const { wasmMemoryPages } = await import(pathToFileURL(join(root, 'pkg/full/aicc_call.js')).href);
  const realFetch = globalThis.fetch;
  globalThis.fetch = async () => new Response(ENDED, { status: 200, headers: { 'Content-Type': 'application/json' } });
  try {
    const options = { baseUrl: 'http://127.0.0.1:9', token: async () => 'token' };
    const client = new AiccClient(options);
    await client.queryCallState({ callSerialNo: '1' });
    const start = wasmMemoryPages();
    for (let i = 0; i < runs; i++) {
      const watch = client.watchCall('645735364434067472', { intervalMs: 100 });
      if (i % 2) for await (const state of watch) void state; // to its end
      else await watch.return(); // stopped
    }
    const afterWatches = wasmMemoryPages();
    for (let i = 0; i < runs; i++) new AiccClient(options); // eslint-disable-line no-new
    const afterClients = wasmMemoryPages();
    client.free();
    const result = { runs, startPages: start, afterWatchesPages: afterWatches, afterDroppedClientsPages: afterClients };
    table(`Wasm memory (64 KiB pages), no forced GC`, ['when', 'pages'], [
      ['after a first call', start],
      [`after ${runs} watches (half to their end, half stopped)`, afterWatches],
      [`after ${runs} more clients dropped without free()`, afterClients],
    ]);
    return result;
  } finally {
    globalThis.fetch = realFetch;
  }
}
