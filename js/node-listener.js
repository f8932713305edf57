// toNodeListener(gateway): the gateway's fetch as a node:http / Express / Connect listener. It only translates.
// A gateway from createGateway is served without a Request or a Response: the Node body read at the socket's
// pace (the gateway's maxBodyBytes and deadline apply while it is read), a Request made only for `authorize`,
// and the core's answer written as it is. Any other object with `fetch` gets IncomingMessage -> Request (the
// body streamed) and Response -> ServerResponse. A client that disconnects gets nothing written; the
// gateway's own work (a createCall in flight, its record) still completes.
import { NULL_BODY, SERVE, TOO_LARGE, TOO_SLOW, textOf } from './gateway.js';

export function bindNodeListener(glue, rt) {
  // The core's answers to a request that cannot be read and to a gateway that threw.
  const answers = rt.guard('configuration', () => glue.nodeListenerAnswers());
  return function toNodeListener(gateway, options = {}) {
    rt.guard('configuration', () => glue.checkNodeListener(gateway, options));
    const trustProxy = options.trustProxy === true;
    const serve = gateway[SERVE];
    return (req, res) => {
      res.on('error', () => {}); // a write after the client went away
      if (serve) return serveParts(serve, req, res, trustProxy);
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

  function serveParts(serve, req, res, trustProxy) {
    let parts;
    try {
      parts = partsOf(req, res, trustProxy);
    } catch {
      return send(res, answers.unreadable);
    }
    serve(parts).then(
      // Without the body a Response would not have either.
      (answer) => send(res, NULL_BODY.has(answer.status) ? { ...answer, body: '' } : answer),
      () => send(res, answers.failed),
    ).catch(() => res.destroy());
  }
}

// What `Request` refuses, refused the same here (400) though no Request is made unless `authorize` runs.
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

// A Node request as the gateway's parts: the URL and headers as toRequest reads them (and checked as a
// Request would check them), the body read straight from the socket.
function partsOf(req, res, trustProxy) {
  const url = urlOf(req, trustProxy);
  const headers = headersOf(req);
  const method = req.method;
  if (FORBIDDEN_METHODS.has(String(method).toUpperCase())) throw new TypeError(`${method} is not allowed`);
  if (url.username || url.password) throw new TypeError('a URL with credentials');
  const hasBody = method !== 'GET' && method !== 'HEAD';
  if (hasBody) resumeAfterAnswer(req, res);
  return {
    method,
    url: url.href,
    origin: headers.get('Origin'),
    contentType: headers.get('Content-Type'),
    contentLength: headers.get('Content-Length'),
    read: (limit, ms) => (hasBody ? readAtMost(req, limit, ms) : Promise.resolve('')),
    request: (body) => new Request(url, hasBody ? { method, headers, body } : { method, headers }),
  };
}

// The body's text, read from the socket and cut off past `limit` bytes or once `ms` have passed: then TOO_LARGE
// or TOO_SLOW, and the rest is discarded (the socket is not destroyed, so the answer can still be sent).
function readAtMost(req, limit, ms) {
  const parsed = parsedBody(req);
  if (parsed !== undefined) {
    const bytes = typeof parsed === 'string' ? new TextEncoder().encode(parsed) : parsed;
    return Promise.resolve(bytes.byteLength > limit ? TOO_LARGE : textOf([bytes], bytes.byteLength));
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let done = false;
    const finish = (settle, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError);
      if (value === TOO_LARGE || value === TOO_SLOW) req.resume();
      settle(value);
    };
    const onData = (chunk) => {
      size += chunk.byteLength;
      if (size > limit) return finish(resolve, TOO_LARGE);
      chunks.push(chunk);
    };
    const onEnd = () => finish(resolve, textOf(chunks, size));
    const onError = (e) => finish(reject, e);
    const timer = setTimeout(() => finish(resolve, TOO_SLOW), ms);
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

// An answer sent without reading the body (404, 415) discards it, so that a keep-alive socket is not left paused.
function resumeAfterAnswer(req, res) {
  res.on('finish', () => req.resume());
}

// Behind a proxy that ends TLS (trustProxy), the page's own origin is X-Forwarded-Proto and -Host: the gateway
// compares the page's Origin with it. Never trusted unless asked: any client can send those headers.
function toRequest(req, res, trustProxy) {
  const init = { method: req.method, headers: headersOf(req) };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    init.body = parsedBody(req) ?? streamOf(req, res);
    init.duplex = 'half';
  }
  return new Request(urlOf(req, trustProxy), init);
}

function urlOf(req, trustProxy) {
  const forwarded = (name) => (trustProxy ? String(req.headers[name] ?? '').split(',')[0].trim() : '');
  const host = forwarded('x-forwarded-host') || (typeof req.headers.host === 'string' && req.headers.host) || '127.0.0.1';
  const scheme = forwarded('x-forwarded-proto') || (req.socket?.encrypted ? 'https' : 'http');
  return new URL(req.originalUrl ?? req.url ?? '/', `${scheme}://${host}`);
}

function headersOf(req) {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  return headers;
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

// One write: the headers set first, so that `end` gives the body its Content-Length (no chunked framing).
function send(res, { status, headers, body }) {
  if (res.destroyed || res.headersSent) return res.destroy();
  res.statusCode = status;
  for (const name in headers) res.setHeader(name, headers[name]);
  res.end(body);
}
