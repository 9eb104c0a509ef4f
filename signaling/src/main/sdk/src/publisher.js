// What this client sends: one track per source, attached to the publish m-sections the
// SFU offers (mids "0" audio and "1" video), with the simulcast settings of
// docs/signaling.md "Simulcast and layers".

/** Scale and bitrate cap per RID, lowest resolution first (the web page's settings). */
export const SIMULCAST_ENCODINGS = Object.freeze({
  q: Object.freeze({ scaleResolutionDownBy: 4, maxBitrate: 150_000 }),
  h: Object.freeze({ scaleResolutionDownBy: 2, maxBitrate: 500_000 }),
  f: Object.freeze({ scaleResolutionDownBy: 1, maxBitrate: 1_700_000 }),
});

/** @type {Record<import('./types.js').TrackSource, 'audio' | 'video'>} */
const KIND_OF_SOURCE = { camera: 'video', microphone: 'audio' };

export class Publisher {
  /** @type {Map<'audio' | 'video', MediaStreamTrack>} */
  #tracks = new Map();
  /** @type {RTCPeerConnection | null} */
  #pc = null;

  /**
   * Sends `track` as its source. Before the first offer, or when that kind was already
   * being sent, it goes out at once; otherwise with the answer to the SFU's next offer.
   * @param {MediaStreamTrack} track
   * @param {{ source?: import('./types.js').TrackSource }} [options] by default the
   *     track's kind: `camera` for video, `microphone` for audio
   * @returns {Promise<void>}
   */
  async publish(track, { source } = {}) {
    const kind = source === undefined ? track.kind : KIND_OF_SOURCE[source];
    if (kind !== 'audio' && kind !== 'video') throw new TypeError(`cannot publish source ${String(source)}`);
    if (track.kind !== kind) throw new TypeError(`source ${source} takes a ${kind} track, not ${track.kind}`);
    this.#tracks.set(kind, track);
    await this.#replaceIfSending(kind, track);
  }

  /**
   * Stops sending that source (the track itself is left to the application).
   * @param {import('./types.js').TrackSource} source
   * @returns {Promise<void>}
   */
  async unpublish(source) {
    const kind = KIND_OF_SOURCE[source];
    if (!this.#tracks.delete(kind)) return;
    await this.#replaceIfSending(kind, null);
  }

  /** @param {import('./types.js').TrackSource} source */
  track(source) {
    return this.#tracks.get(KIND_OF_SOURCE[source]) ?? null;
  }

  /**
   * For each publish m-section of an offer already set as remote description: send our
   * track of that kind there. A kind without a track keeps its direction, so that the
   * answer says `inactive`.
   * @param {RTCPeerConnection} pc
   * @param {ReadonlyArray<{ mid: string, kind: string }>} publish the offer's list
   */
  async attach(pc, publish) {
    this.#pc = pc;
    for (const { mid, kind } of publish) {
      if (kind !== 'audio' && kind !== 'video') continue;
      const track = this.#tracks.get(kind);
      const transceiver = pc.getTransceivers().find((t) => t.mid === mid);
      if (!track || !transceiver) continue;
      transceiver.direction = 'sendonly';
      if (transceiver.sender.track !== track) {
        await transceiver.sender.replaceTrack(track);
        if (kind === 'video') await configureSimulcast(transceiver.sender);
      }
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
   * @param {'audio' | 'video'} kind
   * @param {MediaStreamTrack | null} track
   */
  async #replaceIfSending(kind, track) {
    const pc = this.#pc;
    if (!pc || pc.signalingState === 'closed') return;
    const transceiver = pc.getTransceivers().find((t) => t.mid === (kind === 'audio' ? '0' : '1'));
    if (!transceiver || transceiver.direction !== 'sendonly') return;
    await transceiver.sender.replaceTrack(track);
    if (track && kind === 'video') await configureSimulcast(transceiver.sender);
  }

  /** Forgets the peer connection (a new one follows a rejoin); the tracks stay. */
  detach() {
    this.#pc = null;
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
