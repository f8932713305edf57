// The two sides of the gateway throughput comparison in Node, in their own process (bench/gateway.mjs starts
// it): createGateway behind toNodeListener, and a hand-written proxy doing the same forward (the body read,
// one fetch to the simulator with the app key and a token, its status and text answered). Each listens on
// 127.0.0.1, an OS-chosen port.
//   node bench/gateway-node.mjs <simulator URL> <access token>
// prints one line, {"gateway":"http://127.0.0.1:…","proxy":"http://127.0.0.1:…"}, and stops on SIGTERM.
import { createServer } from 'node:http';
import { createGateway, toNodeListener } from '../js/node.js';
import { APP_KEY, APP_SECRET } from './page/call-sides.js';

const [simUrl, token] = process.argv.slice(2);
const PREFIX = '/aicc';

const gateway = createGateway({
  clientOptions: { baseUrl: simUrl, credentials: { appKey: APP_KEY, appSecret: APP_SECRET } },
  authorize: () => true,
  allowUnknownSerials: true, // the seeded serial was placed elsewhere
});

async function forward(req, res) {
  if (req.method !== 'POST' || !req.url.startsWith(`${PREFIX}/`)) {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const upstream = await fetch(`${simUrl}${req.url.slice(PREFIX.length)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-APP-Key': APP_KEY, Authorization: `Bearer ${token}` },
    body: Buffer.concat(chunks).toString('utf8'),
  });
  const text = await upstream.text();
  res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('Content-Type') ?? 'application/json' }).end(text);
}

const listen = (server) => new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
});
const servers = [
  createServer(toNodeListener(gateway)),
  createServer((req, res) => forward(req, res).catch(() => res.destroy())),
];
const [gatewayUrl, proxyUrl] = await Promise.all(servers.map(listen));
process.stdout.write(`${JSON.stringify({ gateway: gatewayUrl, proxy: proxyUrl })}\n`);
process.once('SIGTERM', () => {
  for (const server of servers) {
    server.close();
    server.closeAllConnections();
  }
});
