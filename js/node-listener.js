// toNodeListener(gateway): the gateway's fetch as a node:http / Express / Connect listener. It only translates:
// IncomingMessage -> Request (the body streamed, so the gateway's maxBodyBytes and deadline apply while it is
// read) and Response -> ServerResponse. A client that disconnects gets nothing written; the gateway's own work
// (a createCall in flight, its record) still completes.

export function bindNodeListener(rt) {
  return function toNodeListener(gateway) {
    if (typeof gateway?.fetch !== 'function') {
      const rule = 'must be a gateway from createGateway() (an object with fetch(request))';
      throw new rt.AiccError({ message: `configuration: gateway ${rule}`, kind: 'validation', operation: 'configuration', retryable: false, field: 'gateway', rule });
    }
    return (req, res) => {
      res.on('error', () => {}); // a write after the client went away
      let request;
      try {
        request = toRequest(req);
      } catch {
        return send(res, 400, '{"error":"invalidRequest","message":"the request could not be read"}');
      }
      gateway.fetch(request).then(
        (response) => write(res, response),
        () => send(res, 500, '{"error":"internal","message":"the gateway failed"}'),
      );
    };
  };
}

function toRequest(req) {
  const host = typeof req.headers.host === 'string' && req.headers.host ? req.headers.host : '127.0.0.1';
  const scheme = req.socket?.encrypted ? 'https' : 'http';
  const url = new URL(req.originalUrl ?? req.url ?? '/', `${scheme}://${host}`);
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const init = { method: req.method, headers };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    init.body = parsedBody(req) ?? streamOf(req);
    init.duplex = 'half';
  }
  return new Request(url, init);
}

// A body an Express or Connect body parser already read (`express.json()`), as text again.
function parsedBody(req) {
  if (req.body === undefined || !req.readableEnded) return undefined;
  if (typeof req.body === 'string' || req.body instanceof Uint8Array) return req.body;
  return JSON.stringify(req.body);
}

// The body as a web stream that follows the socket's pace. Cancelling it (a body over the limit) discards the
// rest instead of destroying the socket, so the 413 can still be answered.
function streamOf(req) {
  let done = false;
  return new ReadableStream({
    start(controller) {
      req.on('data', (chunk) => {
        if (done) return;
        controller.enqueue(new Uint8Array(chunk));
        if (controller.desiredSize <= 0) req.pause();
      });
      req.on('end', () => {
        if (!done) controller.close();
        done = true;
      });
      req.on('error', (e) => {
        if (!done) controller.error(e);
        done = true;
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      done = true;
      req.resume();
    },
  });
}

async function write(res, response) {
  if (res.destroyed) return;
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (!response.body) return res.end();
  try {
    for await (const chunk of response.body) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await new Promise((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
    }
    res.end();
  } catch {
    res.destroy();
  }
}

function send(res, status, body) {
  if (res.destroyed || res.headersSent) return res.destroy();
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(body);
}
