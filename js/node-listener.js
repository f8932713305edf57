// toNodeListener(gateway): the gateway's fetch as a node:http / Express / Connect listener. It only translates:
// IncomingMessage -> Request (the body streamed, so the gateway's maxBodyBytes and deadline apply while it is
// read) and Response -> ServerResponse. A client that disconnects gets nothing written; the gateway's own work
// (a createCall in flight, its record) still completes.

export function bindNodeListener(glue, rt) {
  // The core's answers to a request that cannot be read and to a gateway that threw.
  const answers = rt.guard('configuration', () => glue.nodeListenerAnswers());
  return function toNodeListener(gateway, options = {}) {
    rt.guard('configuration', () => glue.checkNodeListener(gateway, options));
    const trustProxy = options.trustProxy === true;
    return (req, res) => {
      res.on('error', () => {}); // a write after the client went away
      let request;
      try {
        request = toRequest(req, res, trustProxy);
      } catch {
        return send(res, answers.unreadable);
      }
      gateway.fetch(request).then(
        (response) => write(res, response),
        () => send(res, answers.failed),
      ).catch(() => res.destroy());
    };
  };
}

// Behind a proxy that ends TLS (trustProxy), the page's own origin is X-Forwarded-Proto and -Host: the gateway
// compares the page's Origin with it. Never trusted unless asked: any client can send those headers.
function toRequest(req, res, trustProxy) {
  const forwarded = (name) => (trustProxy ? String(req.headers[name] ?? '').split(',')[0].trim() : '');
  const host = forwarded('x-forwarded-host') || (typeof req.headers.host === 'string' && req.headers.host) || '127.0.0.1';
  const scheme = forwarded('x-forwarded-proto') || (req.socket?.encrypted ? 'https' : 'http');
  const url = new URL(req.originalUrl ?? req.url ?? '/', `${scheme}://${host}`);
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const init = { method: req.method, headers };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    init.body = parsedBody(req) ?? streamOf(req, res);
    init.duplex = 'half';
  }
  return new Request(url, init);
}

// A body an Express or Connect body parser already read (`express.json()`), as text again (a parser has already
// rounded numbers beyond 2^53: mount the gateway before body parsers to keep 64-bit serials exact).
function parsedBody(req) {
  if (req.body === undefined || !req.readableEnded) return undefined;
  if (typeof req.body === 'string' || req.body instanceof Uint8Array) return req.body;
  return JSON.stringify(req.body);
}

// The body as a web stream that follows the socket's pace. Cancelling it (a body over the limit) discards the
// rest instead of destroying the socket, so the 413 can still be answered; so does an answer sent without
// reading it (404, 415), so that a keep-alive socket is not left paused.
function streamOf(req, res) {
  let done = false;
  res.on('finish', () => {
    done = true;
    req.resume();
  });
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
  try {
    res.statusCode = response.status;
    response.headers.forEach((value, name) => res.setHeader(name, value));
    if (!response.body) return res.end();
    for await (const chunk of response.body) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await drained(res);
    }
    res.end();
  } catch {
    res.destroy();
  }
}

// Resolves once `res` can take more, or is gone; leaves no listener behind.
function drained(res) {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function send(res, { status, headers, body }) {
  if (res.destroyed || res.headersSent) return res.destroy();
  res.writeHead(status, headers);
  res.end(body);
}
