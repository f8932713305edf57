// One-shot (or N-shot) faults injected per API path through POST /__sim/fault.
import { json, rawJson, text, JSON_TYPE } from './respond.mjs';

const KIND_RE = /^(status:\d{3}|html|malformed|empty|delay:\d+|drop|answer-lost|hold|expire-token)$/;

export class FaultBook {
  #queue = []; // { path, fault, left }

  /** Queue a fault; throws on a bad kind. */
  add({ path, fault, times = 1 }) {
    if (typeof path !== 'string' || !path.startsWith('/')) throw new Error('path must be an API path starting with /');
    if (typeof fault !== 'string' || !KIND_RE.test(fault)) throw new Error(`unknown fault kind: ${fault}`);
    if (fault.startsWith('status:')) {
      const code = Number(fault.slice(7));
      if (code < 200 || code > 599) throw new Error('status fault must be 200..599');
    }
    const n = times === undefined ? 1 : Number(times);
    if (!Number.isInteger(n) || n < 1) throw new Error('times must be a positive integer');
    this.#queue.push({ path, fault, left: n });
  }

  /** Consume the next fault for this path, or null. */
  take(path) {
    const i = this.#queue.findIndex((f) => f.path === path);
    if (i < 0) return null;
    const f = this.#queue[i];
    if (--f.left === 0) this.#queue.splice(i, 1);
    return f.fault;
  }

  list() { return this.#queue.map(({ path, fault, left }) => ({ path, fault, times: left })); }
  clear() { this.#queue.length = 0; }
}

const HTML_PAGE = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>simulated gateway</center>\r\n</body>\r\n</html>\r\n';

/**
 * The immediate reply for a fault that answers instead of the handler, or null when the
 * request should go on to the handler (delay, answer-lost, hold, expire-token: applied by the router).
 */
export function faultReply(fault) {
  if (fault.startsWith('status:')) {
    const status = Number(fault.slice(7));
    return json(status, { error_code: `SIM.${status}`, error_msg: `Simulated HTTP ${status}` });
  }
  if (fault === 'html') return text(502, HTML_PAGE, 'text/html');
  if (fault === 'malformed') return rawJson(200, '{"retCode":"0","retMsg":"succ');
  if (fault === 'empty') return { status: 200, type: JSON_TYPE, text: '', headers: {} };
  return null;
}
