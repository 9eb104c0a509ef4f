// What this client receives: remote tracks by participant (from the offers' `subscribe`
// lists), and the render-size hints of docs/signaling.md "render-size".

/**
 * @typedef {{ mid: string, kind: string, participantId: string }} SubscribeEntry
 */

export class Subscriptions {
  /** mid -> participant id, from the latest offer's `subscribe` */
  #midOwner = new Map();
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
    this.#midOwner = new Map(subscribe.map((entry) => [entry.mid, entry.participantId]));
    for (const [mid, track] of [...this.#tracks]) {
      if (this.#midOwner.get(mid) !== track.participantId) this.#remove(mid);
    }
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
    const participantId = this.#midOwner.get(mid) ?? event.streams[0]?.id;
    if (!participantId) return;
    if (this.#tracks.has(mid)) this.#remove(mid);
    const kind = event.track.kind === 'audio' ? 'audio' : 'video';
    const track = { participantId, mid, kind, track: event.track, stream: event.streams[0] ?? null };
    this.#tracks.set(mid, /** @type {import('./types.js').RemoteTrack} */ (track));
    this.hooks.added(/** @type {import('./types.js').RemoteTrack} */ (track));
  }

  /** @param {string} participantId */
  participantLeft(participantId) {
    for (const [mid, track] of [...this.#tracks]) {
      if (track.participantId === participantId) this.#remove(mid);
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
    this.#midOwner = new Map();
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
