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
  /** @type {import('./types.js').ClientOptions} */
  #options;
  /** @type {import('./session.js').SessionHooks} */
  #sessionHooks;
  /** @type {{ added: (t: import('./types.js').RemoteTrack) => void, removed: (t: import('./types.js').RemoteTrack) => void, send: (sizes: Array<{ mid: string, width: number, height: number }>) => boolean }} */
  #subscriptionHooks;
  /** @type {Move | null} the session being made on another node, while this one is told to move */
  #move = null;
  /** @type {Set<string>} this client's earlier participant ids (before a move or a rejoin): never shown as others */
  #formerIds = new Set();
  /** @type {string | null} the node this session is on, from `joined.nodes` */
  #nodeId = null;

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
    this.#options = options;
    this.#subscriptionHooks = {
      added: (track) => this.#trackAdded(track),
      removed: (track) => {
        // This client's own tracks (an earlier participant of it) were never added either.
        if (!this.#isSelf(track.participantId)) this.emit('track-removed', track);
      },
      send: (sizes) => this.#session.send({ type: 'render-size', sizes }),
    };
    this.#subscriptions = new Subscriptions(this.#subscriptionHooks, options.renderSizeDebounceMs ?? 500);
    this.#session = new Session({
      url: options.url ?? defaultUrl(),
      WebSocket: Socket,
      reconnect: options.reconnect ?? {},
      noRedirect: options.noRedirect ?? false,
      joinMessage: () => {
        /** @type {Record<string, unknown>} */
        const join = { room: options.room };
        if (options.name !== undefined) join.name = options.name;
        if (options.token !== undefined) join.token = options.token;
        return join;
      },
    }, this.#sessionHooks = {
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

  /** The current peer connection (a new one after a rejoin or a move), for what the SDK does not cover. */
  get peerConnection() {
    return this.#pc;
  }

  /** The signaling URL of the node this client is on now (another after a redirect, a move or a node loss). */
  get url() {
    return this.#session.url;
  }

  /** The id of the node this client is on, as `joined.nodes` names it; null on a server alone. */
  get nodeId() {
    return this.#nodeId;
  }

  /** Whether a move to another node is under way (between `move` and `moved`). */
  get moving() {
    return this.#move !== null;
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
    this.#abandonMove();
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
    // The page shows the moving session's tracks already: they are sized there.
    this.#move?.next.setRenderSize(mid, width, height);
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
    const move = this.#move;
    if (state !== 'connected' && move) {
      // The old session ended under a move (the drain timeout passed): the new one takes
      // over at once if it is joined, media or not; else the move is given up.
      if (move.next.state === 'connected') {
        this.#switchTo(move);
        return;
      }
      this.#abandonMove();
    }
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
    // A fresh join after a lost session: the node it goes to may still list the old
    // participant (a node that died is declared dead within 5 s), which is this client.
    if (this.#participantId) this.#formerIds.add(this.#participantId);
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
      case 'move': return this.#onMove(msg);
      case 'participant-joined': {
        const p = participant(msg.participant);
        if (!p || this.#isSelf(p.id)) return;
        const move = this.#move;
        if (move && move.next.participantId === null) {
          // Possibly this client's own new session: told once its id is known.
          move.held.push(() => this.#handle(msg));
          return;
        }
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
        if (this.#isSelf(id) && !this.#participants.has(id)) return;
        this.#participants.delete(id);
        this.emit('participant-left', { participantId: id, reason: String(msg.reason ?? 'left') });
        return;
      }
      case 'active-speaker':
        if (typeof msg.participantId === 'string') this.emit('active-speaker', { participantId: msg.participantId });
        return;
      case 'video-paused':
        if (this.#isSelf(String(msg.participantId))) return;
        this.emit('video-paused', { participantId: String(msg.participantId), mid: String(msg.mid),
          reason: String(msg.reason ?? 'unknown') });
        return;
      case 'video-resumed':
        if (this.#isSelf(String(msg.participantId))) return;
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
        if (msg.code === 'shutdown' && this.#move) return; // the node drained while this client moves away
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
    this.#session.setNodes(msg.nodes);
    this.#nodeId = Array.isArray(msg.nodes) && typeof msg.nodes[0]?.id === 'string' ? msg.nodes[0].id : null;
    const others = (Array.isArray(msg.participants) ? msg.participants : []).map(participant)
      .filter((p) => p !== null).filter((p) => !this.#isSelf(p.id));
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
   * A participant id of this client: an earlier one, or the one being made by a move.
   * @param {string} id
   */
  #isSelf(id) {
    return id === this.#participantId || this.#formerIds.has(id)
      || (this.#move !== null && this.#move.next.participantId === id);
  }

  /** @param {import('./types.js').RemoteTrack} track */
  #trackAdded(track) {
    if (this.#isSelf(track.participantId)) return;
    const move = this.#move;
    if (move && move.next.participantId === null) {
      // Possibly this client's own new session, seen by the old one: told once its id is known.
      move.held.push(() => this.#trackAdded(track));
      return;
    }
    this.emit('track-added', track);
  }

  /**
   * The node drains (docs/signaling.md "move"): make before break. A session on the given
   * node joins the room (`noRedirect`) with the same local tracks; remote tracks are shown
   * from it as they arrive; once its peer connection is connected and a remote track came
   * (or the room has no other tracks, or 5 s passed) this one leaves, and `moved` tells the
   * page. A move that fails (or takes longer than 15 s) is given up: this session goes on
   * until the node ends it, and the SDK rejoins then.
   * @param {Record<string, any>} msg
   */
  #onMove(msg) {
    const url = typeof msg.url === 'string' ? msg.url : '';
    const valid = /^wss?:\/\/[^/]/.test(url) && !(this.#session.url.startsWith('wss:') && url.startsWith('ws:'));
    if (!valid || this.#move || this.#state !== 'connected' || this.#options.reconnect === false) return;
    const next = new AtriumClient({ ...this.#options, url, noRedirect: true });
    /** @type {Move} */
    const move = { next, node: typeof msg.node === 'string' ? msg.node : '', reason: String(msg.reason ?? ''),
      held: [], remoteTrack: false, settle: null, timer: null };
    this.#move = move;
    for (const [source, track] of this.#publisher.entries()) {
      void next.publish(track, { source });
      if (this.#publisher.isMuted(source)) void next.setMuted(source, true);
    }
    for (const channel of this.#channels.values()) next.openDataChannel(channel.label, channel.init);
    next.on('track-added', (track) => {
      if (this.#move !== move || this.#isSelf(track.participantId)) return;
      move.remoteTrack = true;
      this.emit('track-added', track);
      this.#maybeSwitch(move);
    });
    next.on('joined', () => {
      if (this.#move !== move) return;
      for (const replay of move.held.splice(0)) void replay();
      const pc = next.peerConnection;
      pc?.addEventListener('connectionstatechange', () => this.#maybeSwitch(move));
      this.#maybeSwitch(move);
    });
    next.on('connection-state', ({ state }) => {
      if (this.#move === move && state === 'disconnected') this.#abandonMove();
    });
    move.timer = setTimeout(() => {
      if (this.#move === move) this.#abandonMove();
    }, MOVE_TIMEOUT_MS);
    next.join().catch(() => {});
  }

  /** Switches to the move's session once it carries the room (see #onMove). @param {Move} move */
  #maybeSwitch(move) {
    const next = move.next;
    if (this.#move !== move || next.state !== 'connected' || next.peerConnection?.connectionState !== 'connected') return;
    const othersPublish = [...next.participants.keys()].some((id) => !this.#isSelf(id));
    if (move.remoteTrack || !othersPublish) {
      this.#switchTo(move);
      return;
    }
    move.settle ??= setTimeout(() => this.#switchTo(move), MOVE_SETTLE_MS);
  }

  /** Stops a move under way: its session leaves, this one goes on. */
  #abandonMove() {
    const move = this.#move;
    if (!move) return;
    this.#move = null;
    if (move.timer !== null) clearTimeout(move.timer);
    if (move.settle !== null) clearTimeout(move.settle);
    for (const track of move.next.remoteTracks()) this.emit('track-removed', track);
    move.next.leave();
    for (const replay of move.held.splice(0)) void replay();
  }

  /**
   * Takes over the move's session: its signaling, peer connection, publisher and
   * subscriptions become this client's; the old session leaves without telling the page
   * anything but what changed (participants only one of the two sessions had, tracks no
   * longer shown), and `moved` says so.
   * @param {Move} move
   */
  #switchTo(move) {
    if (this.#move !== move) return;
    this.#move = null;
    if (move.timer !== null) clearTimeout(move.timer);
    if (move.settle !== null) clearTimeout(move.settle);
    const next = move.next;
    const previousId = this.#participantId;
    if (previousId) this.#formerIds.add(previousId);
    // The old session goes quietly: its hooks no longer reach this client.
    const oldSession = this.#session;
    const oldPc = this.#pc;
    const oldSubscriptions = this.#subscriptions;
    oldSession.hooks = { newPeer: () => {}, peerAlive: () => false, message: () => {}, state: () => {}, failed: () => {} };
    oldSession.leave();
    oldSubscriptions.close();
    const shown = new Set(next.remoteTracks().map((t) => `${t.participantId} ${t.kind} ${t.source}`));
    for (const track of oldSubscriptions.list()) {
      if (!shown.has(`${track.participantId} ${track.kind} ${track.source}`)) this.emit('track-removed', track);
    }
    oldPc?.close();
    this.#publisher.detach();
    // Adopt the new session's parts; their callbacks now reach this client.
    this.#session = next.#session;
    this.#session.hooks = this.#sessionHooks;
    this.#pc = next.#pc;
    this.#publisher = next.#publisher;
    this.#subscriptions = next.#subscriptions;
    this.#subscriptions.hooks = this.#subscriptionHooks;
    this.#participantId = next.#participantId;
    this.#nodeId = next.#nodeId;
    for (const channel of this.#channels.values()) {
      const fresh = next.#channels.get(channel.label);
      if (fresh) channel.takeOver(fresh);
    }
    // The new peer connection's data channels still report to `next`: passed on from now.
    for (const name of /** @type {const} */ (['data', 'channel-open', 'channel-close'])) {
      next.on(name, (payload) => {
        if (this.#pc === next.#pc) this.emit(name, /** @type {any} */ (payload));
      });
    }
    const before = new Set(this.#participants.keys());
    const after = new Map([...next.#participants].filter(([id]) => !this.#isSelf(id)));
    for (const id of before) {
      if (!after.has(id)) {
        this.#participants.delete(id);
        this.emit('participant-left', { participantId: id, reason: 'left' });
      }
    }
    for (const [id, p] of after) {
      if (!before.has(id)) {
        this.#participants.set(id, p);
        this.emit('participant-joined', p);
      }
    }
    this.emit('moved', { participantId: String(this.#participantId), previousParticipantId: previousId ?? '',
      node: move.node, url: this.#session.url, reason: move.reason });
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

/** A move gives up when the new session is not carrying the room by then. */
const MOVE_TIMEOUT_MS = 15_000;
/** Once connected, how long the new session may wait for its first remote track before the switch. */
const MOVE_SETTLE_MS = 5_000;

/**
 * @typedef {object} Move
 * @property {AtriumClient} next the session on the other node
 * @property {string} node its node id
 * @property {string} reason
 * @property {Array<() => unknown>} held the old session's new participants and tracks, until the new id is known
 * @property {boolean} remoteTrack a remote track arrived on the new session
 * @property {ReturnType<typeof setTimeout> | null} settle
 * @property {ReturnType<typeof setTimeout> | null} timer
 */

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
