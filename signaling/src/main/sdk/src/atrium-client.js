// atrium-client: a client of the Atrium SFU (docs/signaling.md), without any DOM.
//
//   import { AtriumClient } from '/sdk/atrium-client.js';
//   const client = new AtriumClient({ room: 'demo', name: 'Ada' });
//   client.on('track-added', ({ participantId, track }) => ...);
//   await client.publish(cameraTrack);
//   await client.join();

import { AtriumDataChannel, receiveData } from './data.js';
import { Emitter } from './events.js';
import { answerOffer, candidateMessage, parseOffer, peerConfiguration, useIceServers } from './negotiation.js';
import { Publisher } from './publisher.js';
import { Session } from './session.js';
import { collectStats } from './stats.js';
import { Subscriptions } from './subscriptions.js';

export { AtriumDataChannel, decodeEnvelope, encodeEnvelope } from './data.js';
export { Emitter } from './events.js';
export { SIMULCAST_ENCODINGS } from './publisher.js';
export { FINAL_ERRORS, RETRY_ERRORS } from './session.js';

const ROOM_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * One participant's connection to a room: signaling, its peer connection, what it
 * publishes and receives, and its data channels.
 * @extends {Emitter<import('./types.js').ClientEvents>}
 */
export class AtriumClient extends Emitter {
  /** @type {import('./types.js').ConnectionState} */
  #state = 'disconnected';
  /** @type {string | null} */
  #participantId = null;
  /** @type {Map<string, import('./types.js').Participant>} */
  #participants = new Map();
  /** @type {RTCPeerConnection | null} */
  #pc = null;
  /** @type {Map<string, AtriumDataChannel>} */
  #channels = new Map();
  #publisher = new Publisher((msg) => this.#session.send(msg));
  /** @type {Subscriptions} */
  #subscriptions;
  /** @type {Session} */
  #session;
  /** @type {import('./types.js').PeerConnectionConstructor} */
  #PeerConnection;
  /** @type {RTCConfiguration} */
  #rtcConfiguration;
  /** @type {{ resolve: (joined: import('./types.js').ClientEvents['joined']) => void, reject: (err: Error) => void } | null} */
  #pendingJoin = null;

  /** @param {import('./types.js').ClientOptions} options */
  constructor(options) {
    super();
    if (!ROOM_PATTERN.test(options.room)) throw new RangeError(`invalid room name '${options.room}'`);
    const Socket = options.WebSocket ?? /** @type {any} */ (globalThis).WebSocket;
    const PeerConnection = options.RTCPeerConnection ?? globalThis.RTCPeerConnection;
    if (!Socket) throw new TypeError('no WebSocket: pass options.WebSocket');
    if (!PeerConnection) throw new TypeError('no RTCPeerConnection: pass options.RTCPeerConnection');
    this.#PeerConnection = PeerConnection;
    this.#rtcConfiguration = peerConfiguration(options.rtcConfiguration);
    this.#subscriptions = new Subscriptions({
      added: (track) => this.emit('track-added', track),
      removed: (track) => this.emit('track-removed', track),
      send: (sizes) => this.#session.send({ type: 'render-size', sizes }),
    }, options.renderSizeDebounceMs ?? 500);
    this.#session = new Session({
      url: options.url ?? defaultUrl(),
      WebSocket: Socket,
      reconnect: options.reconnect ?? {},
      joinMessage: () => {
        /** @type {Record<string, unknown>} */
        const join = { room: options.room };
        if (options.name !== undefined) join.name = options.name;
        if (options.token !== undefined) join.token = options.token;
        return join;
      },
    }, {
      newPeer: () => this.#newPeer(),
      peerAlive: () => this.#pc !== null && this.#pc.connectionState !== 'failed'
        && this.#pc.connectionState !== 'closed',
      message: (msg) => this.#handle(msg),
      state: (state, reason) => this.#setState(state, reason),
      failed: (err, msg) => this.emit('error', {
        code: 'internal', message: `handling '${msg.type}' failed: ${err instanceof Error ? err.message : String(err)}`,
      }),
    });
  }

  /** The signaling connection's state. */
  get state() {
    return this.#state;
  }

  /** This participant's id while joined, else null. */
  get participantId() {
    return this.#participantId;
  }

  /** The other participants in the room, by id. @returns {ReadonlyMap<string, import('./types.js').Participant>} */
  get participants() {
    return this.#participants;
  }

  /** The current peer connection (a new one after a rejoin), for what the SDK does not cover. */
  get peerConnection() {
    return this.#pc;
  }

  /**
   * Connects and joins the room; resolves with `joined`, rejects when the server refuses
   * the join for good (the error's message says why). After that the SDK resumes or
   * joins again by itself when the connection is lost, until leave().
   * @returns {Promise<import('./types.js').ClientEvents['joined']>}
   */
  join() {
    if (this.#pendingJoin || (this.#state !== 'disconnected')) {
      return Promise.reject(new Error(`join() while ${this.#state}`));
    }
    const promise = new Promise((resolve, reject) => {
      this.#pendingJoin = { resolve, reject };
    });
    this.#session.start();
    return /** @type {Promise<import('./types.js').ClientEvents['joined']>} */ (promise);
  }

  /** Leaves the room and closes the peer connection; published tracks are left running. */
  leave() {
    this.#session.leave();
    this.#closePeer();
  }

  /**
   * Publishes a track as its source: `microphone` or `camera` (the default for the
   * track's kind; the camera with simulcast), `screen` or `screen-audio`. Publish the
   * microphone and camera before join() so that the first answer carries them; later,
   * each goes out at once when its section already sends (publishing another camera
   * track replaces the old one without renegotiation), else with the answer to the
   * SFU's next offer. A screen asks the SFU for a section of its own; the promise
   * resolves once the track is attached to it.
   * @param {MediaStreamTrack} track
   * @param {{ source?: import('./types.js').TrackSource }} [options]
   */
  publish(track, options) {
    return this.#publisher.publish(track, options);
  }

  /**
   * Stops sending a source; a screen's section is withdrawn, so the others' screen tile
   * goes away. The track itself is left running: stop it when it is no longer needed.
   * @param {import('./types.js').TrackSource} source
   */
  unpublish(source) {
    return this.#publisher.unpublish(source);
  }

  /**
   * Mutes or unmutes one of this client's sources: nothing of it is sent while muted,
   * and the others get `track-muted`/`track-unmuted`. Stopping a camera is muting it
   * (and stopping the track, to turn its light off); starting it again is publish() of
   * the new track, then unmuting.
   * @param {import('./types.js').TrackSource} source
   * @param {boolean} muted
   */
  setMuted(source, muted) {
    return this.#publisher.setMuted(source, muted);
  }

  /** Whether this client has muted that source. @param {import('./types.js').TrackSource} source */
  isMuted(source) {
    return this.#publisher.isMuted(source);
  }

  /** @param {string} [participantId] every remote track, or that participant's */
  remoteTracks(participantId) {
    return this.#subscriptions.list(participantId);
  }

  /**
   * How large the video of a remote track is shown, in device pixels (CSS pixels times
   * devicePixelRatio, rounded); 0x0 when it is not shown. Sent to the SFU at most once
   * per debounce interval, and only when the list changed.
   * @param {string} mid the RemoteTrack's mid
   * @param {number} width
   * @param {number} height
   */
  setRenderSize(mid, width, height) {
    this.#subscriptions.setRenderSize(mid, width, height);
  }

  /**
   * Opens a data channel through the SFU (again on each new peer connection). Messages
   * arrive as `data` events, from everyone's channels of the same kind.
   * @param {string} label
   * @param {RTCDataChannelInit} [init] e.g. `{ordered: false, maxRetransmits: 0}`
   * @returns {AtriumDataChannel}
   */
  openDataChannel(label, init = {}) {
    let channel = this.#channels.get(label);
    if (!channel) {
      channel = new AtriumDataChannel(label, init);
      this.#channels.set(label, channel);
      if (this.#pc) this.#bindChannel(channel, this.#pc);
    }
    return channel;
  }

  /** A summary of the peer connection's statistics; null before the first join. */
  async getStats() {
    return this.#pc ? collectStats(this.#pc) : null;
  }

  /**
   * @param {import('./types.js').ConnectionState} state
   * @param {string} [reason]
   */
  #setState(state, reason) {
    if (state === 'disconnected') {
      this.#closePeer();
      const pending = this.#pendingJoin;
      this.#pendingJoin = null;
      pending?.reject(new Error(`not joined: ${reason ?? 'disconnected'}`));
    }
    if (state === this.#state) return;
    this.#state = state;
    this.emit('connection-state', reason === undefined ? { state } : { state, reason });
  }

  #newPeer() {
    this.#closePeer();
    const pc = new this.#PeerConnection(this.#rtcConfiguration);
    this.#pc = pc;
    pc.addEventListener('icecandidate', (event) => {
      if (this.#pc !== pc) return;
      const msg = candidateMessage(event.candidate);
      if (msg) this.#session.send(msg);
    });
    pc.addEventListener('track', (event) => {
      if (this.#pc === pc) this.#subscriptions.onTrack(event);
    });
    pc.addEventListener('datachannel', (event) => {
      if (this.#pc === pc) this.#listenToChannel(event.channel);
    });
    for (const channel of this.#channels.values()) this.#bindChannel(channel, pc);
  }

  /** Ends the peer connection and everything received on it; the participants are gone with it. */
  #closePeer() {
    const pc = this.#pc;
    if (!pc) return;
    this.#pc = null;
    this.#publisher.detach();
    this.#subscriptions.reset();
    for (const channel of this.#channels.values()) {
      const wasOpen = channel.open;
      channel.bind(null);
      if (wasOpen) this.emit('channel-close', { label: channel.label });
    }
    pc.close();
    this.#participantId = null;
    for (const id of [...this.#participants.keys()]) {
      this.#participants.delete(id);
      this.emit('participant-left', { participantId: id, reason: 'disconnected' });
    }
  }

  /**
   * @param {AtriumDataChannel} channel
   * @param {RTCPeerConnection} pc
   */
  #bindChannel(channel, pc) {
    const dc = pc.createDataChannel(channel.label, channel.init);
    channel.bind(dc);
    this.#listenToChannel(dc);
    dc.addEventListener('open', () => {
      if (this.#pc === pc) this.emit('channel-open', { label: channel.label });
    });
    // The SFU closed it (this client fell behind: data-dropped receiver_overflow), or the
    // transport went away; a peer connection this client closed itself is told in #closePeer.
    dc.addEventListener('close', () => {
      if (this.#pc === pc) this.emit('channel-close', { label: channel.label });
    });
  }

  /** @param {RTCDataChannel} dc */
  #listenToChannel(dc) {
    dc.binaryType = 'arraybuffer';
    dc.addEventListener('message', (event) => {
      const message = receiveData(dc.label, event.data);
      if (message) this.emit('data', message);
    });
  }

  /** @param {Record<string, any>} msg */
  async #handle(msg) {
    const pc = this.#pc;
    if (!pc) return;
    switch (msg.type) {
      case 'joined': return this.#onJoined(pc, msg);
      case 'resumed':
        this.#subscriptions.resend(); // a render-size sent while the connection was down is lost
        return;
      case 'offer': return this.#onOffer(pc, msg);
      case 'participant-joined': {
        const p = participant(msg.participant);
        if (!p) return;
        this.#participants.set(p.id, p);
        this.emit('participant-joined', p);
        return;
      }
      case 'track-muted': {
        const source = /** @type {import('./types.js').TrackSource} */ (String(msg.source));
        if (typeof msg.participantId !== 'string' || typeof msg.muted !== 'boolean'
            || !['microphone', 'camera', 'screen', 'screen-audio'].includes(source)) return;
        if (this.#subscriptions.trackMuted(msg.participantId, source, msg.muted)) {
          this.emit(msg.muted ? 'track-muted' : 'track-unmuted', { participantId: msg.participantId, source });
        }
        return;
      }
      case 'participant-left': {
        const id = String(msg.participantId);
        this.#subscriptions.participantLeft(id);
        this.#participants.delete(id);
        this.emit('participant-left', { participantId: id, reason: String(msg.reason ?? 'left') });
        return;
      }
      case 'active-speaker':
        if (typeof msg.participantId === 'string') this.emit('active-speaker', { participantId: msg.participantId });
        return;
      case 'video-paused':
        this.emit('video-paused', { participantId: String(msg.participantId), mid: String(msg.mid),
          reason: String(msg.reason ?? 'unknown') });
        return;
      case 'video-resumed':
        this.emit('video-resumed', { participantId: String(msg.participantId), mid: String(msg.mid) });
        return;
      case 'publish-layers': {
        const active = msg.active && typeof msg.active === 'object' ? msg.active : {};
        const state = await this.#publisher.applyLayers(pc, { mid: String(msg.mid), active });
        if (state) this.emit('publish-layers', { mid: String(msg.mid), active: state });
        return;
      }
      case 'data-dropped':
        this.emit('data-dropped', { label: String(msg.label), reason: String(msg.reason) });
        return;
      case 'error':
        if (msg.code === 'unknown-type' && String(msg.message).includes('render-size')) {
          this.#subscriptions.unsupported();
          return;
        }
        this.emit('error', { code: String(msg.code), message: String(msg.message ?? '') });
        return;
      default:
        return; // later protocol versions may add messages
    }
  }

  /**
   * @param {RTCPeerConnection} pc
   * @param {Record<string, any>} msg
   */
  #onJoined(pc, msg) {
    useIceServers(pc, msg.iceServers);
    this.#participantId = String(msg.participantId);
    const others = (Array.isArray(msg.participants) ? msg.participants : []).map(participant)
      .filter((p) => p !== null);
    /** @type {import('./types.js').ClientEvents['joined']} */
    const joined = {
      participantId: this.#participantId, room: String(msg.room), name: String(msg.name ?? ''),
      participants: others,
    };
    if (typeof msg.identity === 'string') joined.identity = msg.identity;
    this.#publisher.joined();
    this.emit('joined', joined);
    for (const p of others) {
      this.#participants.set(p.id, p);
      this.emit('participant-joined', p);
    }
    const pending = this.#pendingJoin;
    this.#pendingJoin = null;
    pending?.resolve(joined);
  }

  /**
   * @param {RTCPeerConnection} pc
   * @param {Record<string, any>} msg
   */
  async #onOffer(pc, msg) {
    const offer = parseOffer(msg);
    if (!offer) {
      this.emit('error', { code: 'bad-offer', message: 'an offer without SDP or version was ignored' });
      return;
    }
    this.#subscriptions.offered(offer.subscribe);
    let sdp;
    try {
      sdp = await answerOffer(pc, offer, (p, publish) => this.#publisher.attach(p, publish));
    } catch (err) {
      if (this.#pc !== pc) return;
      this.emit('error', { code: 'bad-offer',
        message: `offer ${offer.version} could not be applied: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    if (this.#pc !== pc) return;
    this.#session.send({ type: 'answer', version: offer.version, sdp });
    this.#subscriptions.answered(offer.subscribe);
  }
}

/**
 * @param {unknown} value
 * @returns {import('./types.js').Participant | null}
 */
function participant(value) {
  if (!value || typeof value !== 'object') return null;
  const p = /** @type {Record<string, unknown>} */ (value);
  if (typeof p.id !== 'string') return null;
  /** @type {import('./types.js').Participant} */
  const result = { id: p.id, name: typeof p.name === 'string' ? p.name : '' };
  if (typeof p.identity === 'string') result.identity = p.identity;
  return result;
}

/** `/ws` of the page's host, over TLS when the page is. */
function defaultUrl() {
  const location = /** @type {any} */ (globalThis).location;
  if (!location) throw new TypeError('no page location: pass options.url');
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}
