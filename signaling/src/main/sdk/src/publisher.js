// What this client sends: one track per source (docs/signaling.md "offer", "mute",
// "add-track"). The microphone and camera go to the publish m-sections the SFU always
// offers (mids "0" and "1"); a screen and its audio ask for sections of their own with
// `add-track`. Video from the camera gets the simulcast settings of "Simulcast and layers".

/** Scale and bitrate cap per RID, lowest resolution first (the web page's settings). */
export const SIMULCAST_ENCODINGS = Object.freeze({
  q: Object.freeze({ scaleResolutionDownBy: 4, maxBitrate: 150_000 }),
  h: Object.freeze({ scaleResolutionDownBy: 2, maxBitrate: 500_000 }),
  f: Object.freeze({ scaleResolutionDownBy: 1, maxBitrate: 1_700_000 }),
});

/** @type {Readonly<Record<import('./types.js').TrackSource, 'audio' | 'video'>>} */
export const KIND_OF_SOURCE = Object.freeze({
  microphone: 'audio', camera: 'video', screen: 'video', 'screen-audio': 'audio',
});

/** Sources whose publish section exists only after `add-track`. */
const ADDED_SOURCES = new Set(['screen', 'screen-audio']);

/**
 * The source of an offer's publish entry; a server that predates sources names none,
 * and then mids "0" and "1" are the microphone and the camera.
 * @param {{ mid: string, kind: string, source?: unknown }} entry
 * @returns {import('./types.js').TrackSource | null}
 */
function sourceOf(entry) {
  if (typeof entry.source === 'string' && Object.hasOwn(KIND_OF_SOURCE, entry.source)) {
    return /** @type {import('./types.js').TrackSource} */ (entry.source);
  }
  if (entry.mid === '0') return 'microphone';
  if (entry.mid === '1') return 'camera';
  return null;
}

export class Publisher {
  /** @type {Map<import('./types.js').TrackSource, MediaStreamTrack>} */
  #tracks = new Map();
  /** @type {Set<import('./types.js').TrackSource>} */
  #muted = new Set();
  /** @type {Map<import('./types.js').TrackSource, string>} source -> mid, from the latest offer */
  #mids = new Map();
  /** @type {Map<import('./types.js').TrackSource, Array<() => void>>} publish() calls waiting for their section */
  #waiting = new Map();
  /** @type {RTCPeerConnection | null} */
  #pc = null;
  #joined = false;

  /** @param {(msg: Record<string, unknown>) => boolean} send sends a signaling message; false when down */
  constructor(send) {
    this.send = send;
  }

  /**
   * Sends `track` as its source, replacing the one sent before (a camera started again
   * needs no renegotiation). A microphone or camera goes out at once when its section is
   * already sending, else with the answer to the SFU's next offer; a screen asks the SFU
   * for its section first, and resolves once the track is attached to it (or the session
   * ended). A muted
   * source keeps sending nothing until it is unmuted.
   * @param {MediaStreamTrack} track
   * @param {{ source?: import('./types.js').TrackSource }} [options] by default the
   *     track's kind: `camera` for video, `microphone` for audio
   * @returns {Promise<void>}
   */
  async publish(track, { source } = {}) {
    const chosen = source ?? (track.kind === 'audio' ? 'microphone' : 'camera');
    const kind = KIND_OF_SOURCE[chosen];
    if (kind === undefined) throw new TypeError(`cannot publish source ${String(source)}`);
    if (track.kind !== kind) throw new TypeError(`source ${chosen} takes a ${kind} track, not ${track.kind}`);
    const isNew = !this.#tracks.has(chosen);
    this.#tracks.set(chosen, track);
    if (ADDED_SOURCES.has(chosen) && isNew && this.#joined) this.send({ type: 'add-track', source: chosen });
    if (await this.#replaceIfSending(chosen)) return;
    // Before join the first answer carries it; a microphone or camera whose section is
    // not sending yet goes with the answer to the next offer, whenever that comes.
    if (!this.#pc || !ADDED_SOURCES.has(chosen)) return;
    await new Promise((resolve) => {
      const list = this.#waiting.get(chosen) ?? [];
      list.push(() => resolve(undefined));
      this.#waiting.set(chosen, list);
    });
  }

  /**
   * Stops sending that source (the track itself is left to the application). A screen's
   * section is withdrawn (`remove-track`); the microphone's and camera's stay.
   * @param {import('./types.js').TrackSource} source
   * @returns {Promise<void>}
   */
  async unpublish(source) {
    if (!this.#tracks.delete(source)) return;
    this.#release(source);
    if (ADDED_SOURCES.has(source) && this.#joined) this.send({ type: 'remove-track', source });
    await this.#replaceIfSending(source);
    if (ADDED_SOURCES.has(source)) this.#mids.delete(source);
  }

  /**
   * Mutes or unmutes a source: the others are told (`mute`), and while muted nothing of
   * it is sent (its sender's track is replaced by none; the application keeps its track).
   * @param {import('./types.js').TrackSource} source
   * @param {boolean} muted
   * @returns {Promise<void>}
   */
  async setMuted(source, muted) {
    if (KIND_OF_SOURCE[source] === undefined) throw new TypeError(`unknown source ${String(source)}`);
    if (muted === this.#muted.has(source)) return;
    if (muted) this.#muted.add(source);
    else this.#muted.delete(source);
    if (this.#joined) this.send({ type: 'mute', source, muted });
    await this.#replaceIfSending(source);
  }

  /** @param {import('./types.js').TrackSource} source */
  isMuted(source) {
    return this.#muted.has(source);
  }

  /** The tracks published now, by source. */
  entries() {
    return [...this.#tracks.entries()];
  }

  /** @param {import('./types.js').TrackSource} source */
  track(source) {
    return this.#tracks.get(source) ?? null;
  }

  /**
   * A session began (`joined`, also after a rejoin): the server knows nothing of this
   * client yet, so its screen sections and mute state are sent again.
   */
  joined() {
    this.#joined = true;
    for (const source of this.#tracks.keys()) {
      if (ADDED_SOURCES.has(source)) this.send({ type: 'add-track', source });
    }
    for (const source of this.#muted) this.send({ type: 'mute', source, muted: true });
  }

  /**
   * For each publish m-section of an offer already set as remote description: send our
   * track of that source there (none while muted). A source without a track keeps its
   * direction, so that the answer says `inactive`.
   * @param {RTCPeerConnection} pc
   * @param {ReadonlyArray<{ mid: string, kind: string, source?: unknown }>} publish the offer's list
   */
  async attach(pc, publish) {
    this.#pc = pc;
    for (const entry of publish) {
      const source = sourceOf(entry);
      if (!source) continue;
      this.#mids.set(source, entry.mid);
      const track = this.#tracks.get(source);
      const transceiver = pc.getTransceivers().find((t) => t.mid === entry.mid);
      if (!track || !transceiver) continue;
      transceiver.direction = 'sendonly';
      await this.#send(transceiver.sender, source);
      this.#release(source);
    }
  }

  /**
   * Switches encodings on and off as `publish-layers` says; RIDs the sender does not
   * have and a mid that sends nothing are ignored.
   * @param {RTCPeerConnection} pc
   * @param {{ mid: string, active: Record<string, unknown> }} message
   * @returns {Promise<Record<string, boolean> | null>} the sender's state, null when it sends nothing
   */
  async applyLayers(pc, { mid, active }) {
    const sender = pc.getTransceivers().find((t) => t.mid === mid)?.sender;
    if (!sender || !sender.track) return null;
    const params = sender.getParameters();
    const encodings = params.encodings ?? [];
    let changed = 0;
    for (const encoding of encodings) {
      const want = encoding.rid && Object.hasOwn(active, encoding.rid) ? active[encoding.rid] : undefined;
      if (typeof want !== 'boolean' || (encoding.active !== false) === want) continue;
      encoding.active = want;
      changed++;
    }
    if (changed) await sender.setParameters(params);
    return Object.fromEntries(encodings.filter((e) => e.rid).map((e) => [String(e.rid), e.active !== false]));
  }

  /**
   * Puts what the source should send now on its section's sender, when that section is
   * already negotiated for sending.
   * @param {import('./types.js').TrackSource} source
   * @returns {Promise<boolean>} whether the section was sending
   */
  async #replaceIfSending(source) {
    const pc = this.#pc;
    const mid = this.#mids.get(source);
    if (!pc || pc.signalingState === 'closed' || mid === undefined) return false;
    const transceiver = pc.getTransceivers().find((t) => t.mid === mid);
    if (!transceiver || transceiver.direction !== 'sendonly') return false;
    await this.#send(transceiver.sender, source);
    return true;
  }

  /**
   * @param {RTCRtpSender} sender
   * @param {import('./types.js').TrackSource} source
   */
  async #send(sender, source) {
    const track = this.#muted.has(source) ? null : this.#tracks.get(source) ?? null;
    if (sender.track === track) return;
    await sender.replaceTrack(track);
    if (track && source === 'camera') await configureSimulcast(sender);
  }

  /** @param {import('./types.js').TrackSource} source */
  #release(source) {
    const waiting = this.#waiting.get(source);
    this.#waiting.delete(source);
    for (const resolve of waiting ?? []) resolve();
  }

  /** Forgets the peer connection (a new one follows a rejoin); the tracks and mute state stay. */
  detach() {
    this.#pc = null;
    this.#joined = false;
    this.#mids.clear();
    for (const source of [...this.#waiting.keys()]) this.#release(source);
  }
}

/**
 * Gives the encodings the offer's RIDs created their scale, bitrate cap and three
 * temporal layers (L1T3); a browser that refuses the scalability mode still gets the
 * spatial layers.
 * @param {RTCRtpSender} sender
 */
export async function configureSimulcast(sender) {
  const params = sender.getParameters();
  const encodings = params.encodings ?? [];
  const settings = /** @type {Record<string, { scaleResolutionDownBy: number, maxBitrate: number }>} */ (
    SIMULCAST_ENCODINGS);
  if (!encodings.some((e) => e.rid && settings[e.rid])) return;
  for (const encoding of encodings) Object.assign(encoding, (encoding.rid && settings[encoding.rid]) || {});
  try {
    for (const encoding of encodings) /** @type {any} */ (encoding).scalabilityMode = 'L1T3';
    await sender.setParameters(params);
  } catch {
    for (const encoding of encodings) delete /** @type {any} */ (encoding).scalabilityMode;
    await sender.setParameters(params);
  }
}
