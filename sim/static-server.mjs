// A small static file server (node:http, no dependencies) for the demo page (`aicc-sim --demo`, `npm start`)
// and tests: serves named folders under URL prefixes, plus in-memory routes (e.g. /config.json). 127.0.0.1
// only; no directory traversal.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

// mounts: { '/js/': '/abs/dir', '/': '/abs/www' } (longest prefix wins); routes: { '/config.json': () => obj }
// headers: extra headers on every answer (e.g. a Content-Security-Policy), or a function returning them.
export async function startStaticServer({ mounts, routes = {}, headers = {}, host = '127.0.0.1', port = 0 } = {}) {
  const table = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix, resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);

  const server = createServer(async (req, res) => {
    const extra = typeof headers === 'function' ? headers() : headers;
    const send = (status, body, type = 'text/plain; charset=utf-8', more = {}) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra, ...more });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n', undefined, { Allow: 'GET, HEAD' });
      let pathname;
      try {
        pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      } catch {
        return send(400, 'bad request\n');
      }
      if (pathname.includes('\0') || pathname.includes('\\')) return send(400, 'bad request\n');
      if (Object.hasOwn(routes, pathname)) {
        return send(200, JSON.stringify(await routes[pathname]()), MIME['.json']);
      }
      const mount = table.find(([prefix]) => pathname.startsWith(prefix));
      if (!mount) return send(404, 'not found\n');
      const [prefix, dir] = mount;
      let rel = pathname.slice(prefix.length);
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      const file = resolve(dir, '.' + sep + rel);
      if (file !== dir && !file.startsWith(dir + sep)) return send(403, 'forbidden\n');
      if (rel.split('/').some((part) => part.startsWith('.'))) return send(404, 'not found\n');
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return send(404, 'not found\n');
      const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
      return send(200, await readFile(file), type);
    } catch {
      if (!res.headersSent) send(500, 'internal error\n');
      else res.destroy();
    }
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const { port: bound } = server.address();
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    server,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections?.();
      }),
  };
}
