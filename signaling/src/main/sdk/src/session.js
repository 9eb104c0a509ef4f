// The signaling connection (docs/signaling.md "Transport", "join", "resume", "redirect"):
// one WebSocket at a time, messages handled one after the other in arrival order, `resume`
// after a dropped connection within the server's grace, a fresh `join` with backoff when
// the session is gone, and the join taken to another node of a cluster when told to or when
// this one is lost ("node loss" in docs/client.md).

/** Refusals that another try would only repeat: the client stays disconnected. */
export const FINAL_ERRORS = new Set(['room-full', 'too-many-rooms', 'unauthorized', 'token-expired',
  'wrong-room', 'forbidden', 'bad-request', 'already-joined']);

/** Refusals of a join that pass: the client tries again later, with backoff. */
export const RETRY_ERRORS = new Set(['server-busy', 'internal', 'cluster-full']);

const OPEN = 1;
const CLOSE_ABNORMAL = 1006; // the connection ended without a close frame
const CLOSE_POLICY = 1008; // over the rate limit: do not come back at once
/** Redirects followed without a join in between; more means the nodes disagree, and the client stops. */
const MAX_REDIRECTS = 3;
/** A connection that has not opened by then counts as refused (a node that died may not answer at all). */
export const CONNECT_TIMEOUT_MS = 3000;

/**
 * The WebSocket URL of a node's signaling URL as `joined.nodes` lists it (`http(s)://host[/path]`):
 * ws or wss, and `/ws` appended to its path; null when it is not an http(s) URL.
 * @param {unknown} url
 */
export function nodeWebSocketUrl(url) {
  if (typeof url !== 'string') return null;
  const match = /^(https?):\/\/([^/?#]+)([^?#]*)$/.exec(url);
  if (!match) return null;
  return `${match[1] === 'https' ? 'wss' : 'ws'}://${match[2]}${match[3].replace(/\/+$/, '')}/ws`;
}

/** Waits 1 s, then 2, 4, ... up to the maximum, each within +-25 % so that a room's clients spread out. */
export class Backoff {
  /**
   * @param {number} minMs
   * @param {number} maxMs
   */
  constructor(minMs, maxMs) {
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.currentMs = minMs;
  }

  next() {
    const delay = Math.round(this.currentMs * (0.75 + Math.random() * 0.5));
    this.currentMs = Math.min(this.currentMs * 2, this.maxMs);
    return delay;
  }

  reset() {
    this.currentMs = this.minMs;
  }
}

/**
 * @typedef {object} SessionHooks
 * @property {() => void} newPeer a fresh join follows: drop the old session's peer connection and state
 * @property {() => boolean} peerAlive whether the peer connection still carries media (then a resume is worth it)
 * @property {(msg: Record<string, any>) => Promise<void> | void} message every server message, in order
 * @property {(state: import('./types.js').ConnectionState, reason?: string) => void} state
 * @property {(err: unknown, msg: Record<string, any>) => void} failed handling a message threw
 */

export class Session {
  /** @type {import('./types.js').SocketLike | null} */
  #ws = null;
  /** @type {string | null} from `joined`: takes the session back after a drop */
  #resumeToken = null;
  #resuming = false;
  #joinedOnSocket = false;
  #leaving = false;
  /** @type {string | null} the code of the last server error */
  #lastError = null;
  /** @type {number | null} when the connection dropped (ms), while resuming */
  #droppedAt = null;
  /** @type {ReturnType<typeof setTimeout> | null} */
  #timer = null;
  /** bumped for each new join, so that messages of an older session are skipped */
  #generation = 0;
  /** @type {Promise<void>} */
  #queue = Promise.resolve();
  /** redirects followed since the last join */
  #redirects = 0;
  /** the next join follows a redirect: the node takes it (docs/signaling.md "redirect") */
  #noRedirect = false;
  /** @type {string[]} the WebSocket URLs of the cluster's nodes, from the last `joined` (this one first) */
  #nodes = [];
  /** @type {Set<string>} URLs that could not be reached since the last join */
  #unreachable = new Set();

  /**
   * @param {object} options
   * @param {string} options.url
   * @param {import('./types.js').SocketConstructor} options.WebSocket
   * @param {() => Record<string, unknown>} options.joinMessage
   * @param {import('./types.js').ReconnectOptions | false} options.reconnect
   * @param {boolean} [options.noRedirect] the first join is taken where it arrives (a move)
   * @param {SessionHooks} hooks
   */
  constructor(options, hooks) {
    this.url = options.url;
    this.#noRedirect = options.noRedirect ?? false;
    this.connectTimeoutMs = (options.reconnect ? options.reconnect.connectTimeoutMs : undefined) ?? CONNECT_TIMEOUT_MS;
    this.Socket = options.WebSocket;
    this.joinMessage = options.joinMessage;
    this.reconnect = options.reconnect;
    this.resumeGraceMs = options.reconnect ? options.reconnect.resumeGraceMs ?? 20_000 : 0;
    this.backoff = new Backoff(options.reconnect ? options.reconnect.minDelayMs ?? 1000 : 1000,
      options.reconnect ? options.reconnect.maxDelayMs ?? 15_000 : 15_000);
    this.hooks = hooks;
  }

  /** Whether a session is resumable (the server gave a resume token). */
  get resumable() {
    return this.#resumeToken !== null;
  }

  /**
   * The cluster's nodes from `joined.nodes` (`{id, url}` with http(s) URLs, this node first):
   * where the session goes when this node is lost.
   * @param {unknown} nodes
   */
  setNodes(nodes) {
    this.#nodes = (Array.isArray(nodes) ? nodes : []).map((n) => nodeWebSocketUrl(n?.url))
      .filter((url) => url !== null);
  }

  start() {
    this.#leaving = false;
    this.#lastError = null;
    this.hooks.state('connecting');
    this.#open(false);
  }

  /**
   * Sends one message; false when the connection is not open (the message is lost).
   * @param {Record<string, unknown>} msg
   */
  send(msg) {
    const ws = this.#ws;
    if (!ws || ws.readyState !== OPEN) return false;
    ws.send(JSON.stringify(msg));
    return true;
  }

  /** Sends `leave` and closes the connection; no reconnection follows. */
  leave() {
    if (this.#leaving) return;
    this.#leaving = true;
    this.#cancelTimer();
    this.#resumeToken = null;
    this.#generation++;
    this.send({ type: 'leave' });
    const ws = this.#ws;
    this.#ws = null;
    if (ws && ws.readyState <= OPEN) ws.close(1000, 'leave');
    this.hooks.state('disconnected', 'left');
  }

  /** @param {boolean} resume */
  #open(resume) {
    const ws = new this.Socket(this.url);
    this.#ws = ws;
    this.#resuming = resume;
    this.#joinedOnSocket = false;
    let opened = false;
    const connectTimer = setTimeout(() => {
      if (this.#ws !== ws || opened) return;
      this.#ws = null;
      ws.close();
      this.#onClose(CLOSE_ABNORMAL, 'connection timed out', false);
    }, this.connectTimeoutMs);
    ws.addEventListener('open', () => {
      clearTimeout(connectTimer);
      opened = true;
      if (this.#ws !== ws) return;
      if (resume && this.#resumeToken) {
        this.send({ type: 'resume', token: this.#resumeToken });
      } else {
        this.#join();
      }
    });
    ws.addEventListener('message', (/** @type {{ data: unknown }} */ event) => {
      if (this.#ws !== ws) return;
      const msg = parse(event.data);
      if (!msg) return;
      const generation = this.#generation;
      this.#queue = this.#queue
        .then(() => (generation === this.#generation ? this.#handle(msg) : undefined))
        .catch((err) => this.hooks.failed(err, msg));
    });
    ws.addEventListener('close', (/** @type {{ code: number, reason?: string }} */ event) => {
      clearTimeout(connectTimer);
      if (this.#ws !== ws) return;
      this.#ws = null;
      this.#onClose(event.code, event.reason ?? '', opened);
    });
    // The browser's WebSocket fires close after error; ws in Node without a listener would throw.
    ws.addEventListener('error', () => {});
  }

  #join() {
    this.#resuming = false;
    this.#resumeToken = null;
    this.#droppedAt = null;
    this.#generation++;
    this.hooks.newPeer();
    this.send({ type: 'join', ...this.joinMessage(), ...(this.#noRedirect ? { noRedirect: true } : {}) });
  }

  /** @param {Record<string, any>} msg */
  async #handle(msg) {
    switch (msg.type) {
      case 'joined':
        this.#resumeToken = typeof msg.resumeToken === 'string' ? msg.resumeToken : null;
        this.#joined();
        break;
      case 'resumed':
        this.#resuming = false;
        this.#joined();
        break;
      case 'redirect':
        this.#redirect(msg);
        return;
      case 'error':
        if (msg.code === 'unknown-session' && this.#resuming) {
          // The grace passed or the server restarted; the connection takes a fresh join.
          this.#join();
          return;
        }
        this.#lastError = typeof msg.code === 'string' ? msg.code : null;
        if (!this.#joinedOnSocket && FINAL_ERRORS.has(String(msg.code))) {
          await this.hooks.message(msg);
          this.#end(`refused: ${msg.code}`);
          return;
        }
        if (!this.#joinedOnSocket && RETRY_ERRORS.has(String(msg.code)) && this.reconnect) {
          await this.hooks.message(msg);
          this.#retryJoin(`refused: ${msg.code}`);
          return;
        }
        break;
      default:
        break;
    }
    await this.hooks.message(msg);
  }

  /**
   * Another node of the cluster takes the join: connect there and join with `noRedirect`.
   * Resumes and later joins go there too. A redirect from wss to ws is refused.
   * @param {Record<string, any>} msg
   */
  #redirect(msg) {
    const url = typeof msg.url === 'string' ? msg.url : '';
    const valid = /^wss?:\/\/[^/]/.test(url) && !(this.url.startsWith('wss:') && url.startsWith('ws:'));
    if (!valid || this.#redirects >= MAX_REDIRECTS) {
      this.#end(valid ? 'too many redirects' : `bad redirect to '${url}'`);
      return;
    }
    this.#redirects++;
    const ws = this.#ws;
    this.#ws = null;
    if (ws && ws.readyState <= OPEN) ws.close(1000, 'redirect');
    this.url = url;
    this.#noRedirect = true;
    this.#open(false);
  }

  #joined() {
    this.#unreachable.clear();
    this.#redirects = 0;
    this.#noRedirect = false;
    this.#joinedOnSocket = true;
    this.#droppedAt = null;
    this.#lastError = null;
    this.backoff.reset();
    this.hooks.state('connected');
  }

  /**
   * @param {number} code
   * @param {string} reason
   * @param {boolean} opened whether the connection opened at all (else the node did not answer)
   */
  #onClose(code, reason, opened) {
    if (this.#leaving) return;
    if (!opened && this.reconnect && this.#failOver()) return;
    const dropped = code === CLOSE_ABNORMAL;
    if (this.reconnect && dropped && this.#resumeToken && this.hooks.peerAlive()) {
      this.#droppedAt ??= Date.now();
      if (Date.now() - this.#droppedAt < this.resumeGraceMs) {
        this.#schedule(true, 'connection lost');
        return;
      }
    }
    if (this.reconnect && code !== CLOSE_POLICY && !FINAL_ERRORS.has(this.#lastError ?? '')) {
      this.#resumeToken = null;
      this.#schedule(false, reason || describeClose(code));
      return;
    }
    this.#end(reason || this.#lastError || describeClose(code));
  }

  /**
   * This node cannot be reached: join the room afresh on the next node of the last
   * `joined.nodes` that has not failed since the last join, at once and with `noRedirect`.
   * False when there is none left (then the usual backoff goes on, the list tried again).
   */
  #failOver() {
    this.#unreachable.add(this.url);
    const next = this.#nodes.find((url) => !this.#unreachable.has(url));
    if (next === undefined) {
      this.#unreachable.clear();
      return false;
    }
    this.hooks.state('reconnecting', 'node lost');
    this.#resumeToken = null;
    this.#droppedAt = null;
    this.url = next;
    this.#noRedirect = true;
    this.#open(false);
    return true;
  }

  /**
   * @param {boolean} resume
   * @param {string} reason
   */
  #schedule(resume, reason) {
    this.hooks.state('reconnecting', reason);
    const delay = this.backoff.next();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#leaving) return;
      const stillResumable = resume && this.#droppedAt !== null
        && Date.now() - this.#droppedAt < this.resumeGraceMs;
      this.#open(stillResumable);
    }, delay);
  }

  /**
   * Closes this connection and joins again on a new one after the backoff.
   * @param {string} reason
   */
  #retryJoin(reason) {
    const ws = this.#ws;
    this.#ws = null;
    if (ws && ws.readyState <= OPEN) ws.close(1000, 'retry');
    this.#resumeToken = null;
    this.#schedule(false, reason);
  }

  /** @param {string} reason */
  #end(reason) {
    this.#leaving = true;
    this.#cancelTimer();
    this.#resumeToken = null;
    const ws = this.#ws;
    this.#ws = null;
    if (ws && ws.readyState <= OPEN) ws.close(1000, 'ended');
    this.hooks.state('disconnected', reason);
  }

  #cancelTimer() {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

/**
 * @param {unknown} data a text frame
 * @returns {Record<string, any> | null} the message, or null when it is not a JSON object with a string `type`
 */
export function parse(data) {
  if (typeof data !== 'string') return null;
  try {
    const msg = JSON.parse(data);
    return msg && typeof msg === 'object' && !Array.isArray(msg) && typeof msg.type === 'string' ? msg : null;
  } catch {
    return null;
  }
}

/** @param {number} code */
function describeClose(code) {
  switch (code) {
    case 1000: return 'the server ended the connection';
    case 1001: return 'the server is going away';
    case CLOSE_ABNORMAL: return 'the connection was lost';
    case CLOSE_POLICY: return 'the server refused this connection';
    case 1009: return 'a message was too large';
    default: return `connection closed (code ${code})`;
  }
}
