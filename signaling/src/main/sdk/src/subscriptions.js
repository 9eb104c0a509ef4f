// What this client receives: remote tracks by participant (from the offers' `subscribe`
// lists), and the render-size hints of docs/signaling.md "render-size".

/**
 * @typedef {{ mid: string, kind: string, participantId: string, source?: unknown, muted?: unknown }} SubscribeEntry
 */

/** @param {SubscribeEntry} entry @returns {import('./types.js').TrackSource} */
function sourceOf(entry) {
  if (['microphone', 'camera', 'screen', 'screen-audio'].includes(/** @type {string} */ (entry.source))) {
    return /** @type {import('./types.js').TrackSource} */ (entry.source);
  }
  return entry.kind === 'audio' ? 'microphone' : 'camera'; // a server that predates sources
}

export class Subscriptions {
  /** @type {Map<string, SubscribeEntry>} mid -> entry of the latest offer's `subscribe` */
  #offered = new Map();
  /** @type {Map<string, boolean>} "participantId source" -> muted, from offers and `track-muted` */
  #mutedState = new Map();
  /** the video mids of the latest answered offer, in its order */
  /** @type {string[]} */
  #videoMids = [];
  /** @type {Map<string, import('./types.js').RemoteTrack>} mid -> track */
  #tracks = new Map();
  /** @type {Map<string, { width: number, height: number }>} mid -> the application's size */
  #sizes = new Map();
  /** @type {string | null} the JSON of the last list sent */
  #lastSent = null;
  /** @type {ReturnType<typeof setTimeout> | null} */
  #timer = null;
  #unsupported = false;

  /**
   * @param {object} hooks
   * @param {(track: import('./types.js').RemoteTrack) => void} hooks.added
   * @param {(track: import('./types.js').RemoteTrack) => void} hooks.removed
   * @param {(sizes: Array<{ mid: string, width: number, height: number }>) => boolean} hooks.send
   *     sends a render-size; false when the connection is down
   * @param {number} debounceMs
   */
  constructor(hooks, debounceMs) {
    this.hooks = hooks;
    this.debounceMs = debounceMs;
  }

  /**
   * An offer is about to be applied: `track` events during setRemoteDescription are
   * matched against its list. Tracks whose mid the offer no longer subscribes are removed.
   * @param {ReadonlyArray<SubscribeEntry>} subscribe
   */
  offered(subscribe) {
    this.#offered = new Map(subscribe.map((entry) => [entry.mid, entry]));
    for (const entry of subscribe) {
      if (typeof entry.muted === 'boolean') this.#setMuted(entry.participantId, sourceOf(entry), entry.muted);
    }
    for (const [mid, track] of [...this.#tracks]) {
      const entry = this.#offered.get(mid);
      if (!entry || entry.participantId !== track.participantId || sourceOf(entry) !== track.source) {
        this.#remove(mid);
      }
    }
  }

  /**
   * A `track-muted` message: the state of that participant's source, kept on its tracks.
   * @param {string} participantId
   * @param {import('./types.js').TrackSource} source
   * @param {boolean} muted
   * @returns {boolean} whether it changed
   */
  trackMuted(participantId, source, muted) {
    return this.#setMuted(participantId, source, muted);
  }

  /**
   * @param {string} participantId
   * @param {import('./types.js').TrackSource} source
   */
  isMuted(participantId, source) {
    return this.#mutedState.get(`${participantId} ${source}`) === true;
  }

  /**
   * @param {string} participantId
   * @param {import('./types.js').TrackSource} source
   * @param {boolean} muted
   */
  #setMuted(participantId, source, muted) {
    const key = `${participantId} ${source}`;
    const changed = (this.#mutedState.get(key) === true) !== muted;
    this.#mutedState.set(key, muted);
    for (const track of this.#tracks.values()) {
      if (track.participantId === participantId && track.source === source) track.muted = muted;
    }
    return changed;
  }

  /**
   * The offer was answered: render sizes name its video mids from now on.
   * @param {ReadonlyArray<SubscribeEntry>} subscribe
   */
  answered(subscribe) {
    this.#videoMids = subscribe.filter((entry) => entry.kind === 'video').map((entry) => entry.mid);
    this.schedule();
  }

  /** @param {RTCTrackEvent} event */
  onTrack(event) {
    const mid = event.transceiver?.mid;
    if (!mid) return;
    const entry = this.#offered.get(mid);
    const participantId = entry?.participantId ?? event.streams[0]?.id;
    if (!participantId) return;
    if (this.#tracks.has(mid)) this.#remove(mid);
    const kind = event.track.kind === 'audio' ? 'audio' : 'video';
    const source = entry ? sourceOf(entry) : kind === 'audio' ? 'microphone' : 'camera';
    const track = { participantId, mid, kind, source, muted: this.isMuted(participantId, source),
      track: event.track, stream: event.streams[0] ?? null };
    this.#tracks.set(mid, /** @type {import('./types.js').RemoteTrack} */ (track));
    this.hooks.added(/** @type {import('./types.js').RemoteTrack} */ (track));
  }

  /** @param {string} participantId */
  participantLeft(participantId) {
    for (const [mid, track] of [...this.#tracks]) {
      if (track.participantId === participantId) this.#remove(mid);
    }
    for (const key of [...this.#mutedState.keys()]) {
      if (key.startsWith(`${participantId} `)) this.#mutedState.delete(key);
    }
  }

  /** @param {string} [participantId] every remote track, or that participant's */
  list(participantId) {
    return [...this.#tracks.values()].filter((t) => participantId === undefined || t.participantId === participantId);
  }

  /**
   * How large the application shows the video of `mid`, in device pixels (0x0: not shown).
   * @param {string} mid
   * @param {number} width
   * @param {number} height
   */
  setRenderSize(mid, width, height) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0
        || (width === 0) !== (height === 0)) {
      throw new RangeError(`render size ${width}x${height}: both positive integers, or both 0`);
    }
    this.#sizes.set(mid, { width, height });
    this.schedule();
  }

  /** The next list goes out even when it equals the last (after `resumed`). */
  resend() {
    this.#lastSent = null;
    this.schedule();
  }

  /** The server does not know `render-size`: send none on this connection. */
  unsupported() {
    this.#unsupported = true;
    this.#cancel();
  }

  /** Sends the current list after the debounce, unless one is already scheduled. */
  schedule() {
    if (this.#timer !== null || this.#unsupported) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#flush();
    }, this.debounceMs);
  }

  /** A new session (rejoin): nothing subscribed, nothing sent yet; sizes set stay. */
  reset() {
    for (const mid of [...this.#tracks.keys()]) this.#remove(mid);
    this.#offered = new Map();
    this.#mutedState = new Map();
    this.#videoMids = [];
    this.#lastSent = null;
    this.#unsupported = false;
    this.#cancel();
  }

  close() {
    this.#cancel();
  }

  #flush() {
    const sizes = this.#videoMids.filter((mid) => this.#sizes.has(mid)).map((mid) => {
      const size = /** @type {{ width: number, height: number }} */ (this.#sizes.get(mid));
      return { mid, width: size.width, height: size.height };
    });
    const key = JSON.stringify(sizes);
    if (key === this.#lastSent || (this.#lastSent === null && sizes.length === 0)) return;
    if (this.hooks.send(sizes)) this.#lastSent = key;
  }

  #cancel() {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** @param {string} mid */
  #remove(mid) {
    const track = this.#tracks.get(mid);
    if (!track) return;
    this.#tracks.delete(mid);
    this.hooks.removed(track);
  }
}
