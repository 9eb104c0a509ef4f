// Stand-ins for the browser and the server: a fake signaling server on `ws`, and an
// RTCPeerConnection that records what the SDK asks of it (Node has no WebRTC).

import { WebSocketServer } from 'ws';

/** Resolves after the pending I/O and timers of this turn, so that async work can interleave. */
export const tick = () => new Promise((resolve) => setImmediate(resolve));

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A queue whose take() waits for the next item. @template T */
class Inbox {
  /** @type {T[]} */ items = [];
  /** @type {Array<(item: T) => void>} */ waiters = [];

  /** @param {T} item */
  put(item) {
    const waiter = this.waiters.shift();
    if (waiter) waiter(item); else this.items.push(item);
  }

  /** @param {number} [timeoutMs] @returns {Promise<T>} */
  take(timeoutMs = 2000) {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('nothing arrived in time')), timeoutMs);
      this.waiters.push((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  }
}

/** One client connection as the fake server sees it. */
export class ServerConnection {
  /** @type {Inbox<Record<string, any>>} */
  inbox = new Inbox();

  /** @param {import('ws').WebSocket} socket */
  constructor(socket) {
    this.socket = socket;
    socket.on('message', (data) => this.inbox.put(JSON.parse(String(data))));
  }

  /** The next message the client sent; fails unless its type is `type`. @param {string} type */
  async next(type) {
    const msg = await this.inbox.take();
    if (msg.type !== type) throw new Error(`expected ${type}, got ${JSON.stringify(msg)}`);
    return msg;
  }

  /** @param {Record<string, unknown>} msg */
  send(msg) {
    this.socket.send(JSON.stringify(msg));
  }

  /** Ends the TCP connection without a close frame, as a network change does. */
  drop() {
    this.socket.terminate();
  }
}

export class FakeServer {
  /** @type {Inbox<ServerConnection>} */
  connections = new Inbox();

  static async start() {
    const server = new FakeServer();
    await new Promise((resolve) => server.wss.once('listening', resolve));
    return server;
  }

  constructor() {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.wss.on('connection', (socket) => this.connections.put(new ServerConnection(socket)));
  }

  get url() {
    const address = /** @type {import('node:net').AddressInfo} */ (this.wss.address());
    return `ws://127.0.0.1:${address.port}/ws`;
  }

  /** The next connection, already past its first message of type `type`. @param {string} type */
  async accept(type = 'join') {
    const connection = await this.connections.take();
    return { connection, first: await connection.next(type) };
  }

  close() {
    for (const client of this.wss.clients) client.terminate();
    return new Promise((resolve) => this.wss.close(resolve));
  }
}

/** An SDP whose m-sections have these mids (enough for the fake peer connection). @param {string[]} mids */
export function sdpWithMids(mids) {
  return `v=0\r\n${mids.map((mid) => `m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:${mid}\r\n`).join('')}`;
}

export class FakeSender {
  /** @type {any} */ track = null;
  /** @type {Array<{ rid?: string, active?: boolean, [key: string]: unknown }>} */ encodings;
  /** @type {any[]} */ setParametersCalls = [];

  /** @param {string[]} rids */
  constructor(rids) {
    this.encodings = rids.length ? rids.map((rid) => ({ rid, active: true })) : [{ active: true }];
  }

  /** @param {any} track */
  async replaceTrack(track) {
    this.track = track;
  }

  getParameters() {
    return { encodings: this.encodings.map((e) => ({ ...e })) };
  }

  /** @param {{ encodings: any[] }} params */
  async setParameters(params) {
    this.setParametersCalls.push(structuredClone(params));
    this.encodings = params.encodings.map((e) => ({ ...e }));
  }
}

export class FakeDataChannel extends EventTarget {
  readyState = 'connecting';
  binaryType = 'blob';
  /** @type {unknown[]} */ sent = [];

  /** @param {string} label @param {RTCDataChannelInit} init */
  constructor(label, init) {
    super();
    this.label = label;
    this.init = init;
  }

  /** @param {unknown} data */
  send(data) {
    this.sent.push(data);
  }

  open() {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }

  /** @param {unknown} data */
  receive(data) {
    const event = new Event('message');
    Object.assign(event, { data });
    this.dispatchEvent(event);
  }

  close() {
    this.readyState = 'closed';
  }
}

/**
 * A class to pass as `RTCPeerConnection`, and the list of its instances, each with a
 * `calls` log of what the SDK asked. The video publish mid "1" has simulcast RIDs q, h, f.
 */
export function fakePeerConnections() {
  /** @type {FakePeerConnection[]} */
  const created = [];
  class FakePeerConnection extends EventTarget {
    /** @type {string[]} */ calls = [];
    signalingState = 'stable';
    connectionState = 'new';
    /** @type {{ type: string, sdp: string } | null} */ localDescription = null;
    /** @type {Array<{ mid: string, direction: string, sender: FakeSender }>} */ transceivers = [];
    /** @type {FakeDataChannel[]} */ channels = [];
    /** @type {Error | null} */ failNextOffer = null;

    /** @param {RTCConfiguration} [configuration] */
    constructor(configuration = {}) {
      super();
      this.configuration = { ...configuration };
      created.push(this);
    }

    getConfiguration() {
      return { ...this.configuration };
    }

    /** @param {RTCConfiguration} configuration */
    setConfiguration(configuration) {
      this.calls.push(`setConfiguration ${JSON.stringify(configuration.iceServers)}`);
      this.configuration = { ...configuration };
    }

    /** @param {{ type: string, sdp?: string }} description */
    async setRemoteDescription(description) {
      await tick();
      if (description.type === 'rollback') {
        this.calls.push('rollback');
        this.signalingState = 'stable';
        return;
      }
      const sdp = description.sdp ?? '';
      this.calls.push(`setRemoteDescription ${sdp.split('\r\n')[1] ?? ''}`);
      if (this.failNextOffer) {
        const err = this.failNextOffer;
        this.failNextOffer = null;
        throw err;
      }
      this.signalingState = 'have-remote-offer';
      for (const [, mid] of sdp.matchAll(/a=mid:(\S+)/g)) {
        if (!this.transceivers.some((t) => t.mid === mid)) {
          this.transceivers.push({ mid, direction: 'recvonly', sender: new FakeSender(mid === '1' ? ['q', 'h', 'f'] : []) });
        }
      }
    }

    getTransceivers() {
      return this.transceivers;
    }

    async createAnswer() {
      await tick();
      this.calls.push('createAnswer');
      const directions = this.transceivers.map((t) => `${t.mid}:${t.direction}`).join(' ');
      return { type: 'answer', sdp: `answer ${directions}` };
    }

    /** @param {{ type: string, sdp: string }} description */
    async setLocalDescription(description) {
      await tick();
      this.calls.push('setLocalDescription');
      this.localDescription = description;
      this.signalingState = 'stable';
    }

    /** @param {string} label @param {RTCDataChannelInit} init */
    createDataChannel(label, init) {
      const channel = new FakeDataChannel(label, init);
      this.channels.push(channel);
      return channel;
    }

    close() {
      this.calls.push('close');
      this.signalingState = 'closed';
      this.connectionState = 'closed';
    }

    /**
     * Fires `track` as a browser does while it applies an offer.
     * @param {string} mid @param {string} kind @param {string} streamId
     */
    fireTrack(mid, kind, streamId) {
      const event = new Event('track');
      Object.assign(event, {
        transceiver: { mid },
        track: { kind, id: `${kind}-${mid}` },
        streams: [{ id: streamId }],
      });
      this.dispatchEvent(event);
    }

    /** @param {{ candidate: string, sdpMid: string } | null} candidate */
    fireCandidate(candidate) {
      const event = new Event('icecandidate');
      Object.assign(event, { candidate });
      this.dispatchEvent(event);
    }
  }
  return { PeerConnection: FakePeerConnection, created };
}
