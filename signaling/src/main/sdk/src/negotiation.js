// Offer -> answer with the SFU as the only offerer (docs/signaling.md "offer", "answer",
// "candidate"). The caller hands offers over one at a time, in arrival order, so an
// offer is applied only after the previous one was answered.

/**
 * The peer-connection settings the protocol needs: everything on one transport.
 * @param {RTCConfiguration} [extra]
 * @returns {RTCConfiguration}
 */
export function peerConfiguration(extra = {}) {
  return { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', ...extra };
}

/**
 * Gives the RTCPeerConnection the TURN servers of `joined`, before the first offer is
 * answered (which is when the browser gathers its candidates).
 * @param {RTCPeerConnection} pc
 * @param {unknown} servers the `iceServers` field
 */
export function useIceServers(pc, servers) {
  if (!Array.isArray(servers)) return;
  const iceServers = servers.filter((server) => server
    && (typeof server.urls === 'string' || Array.isArray(server.urls)));
  pc.setConfiguration({ ...pc.getConfiguration(), iceServers });
}

/**
 * The `candidate` message for one of the peer connection's `icecandidate` events, or
 * null when there is nothing to send (a per-section end marker; the final null one is sent).
 * @param {RTCIceCandidate | null} candidate
 * @returns {{ type: 'candidate', candidate: string | null, sdpMid?: string | null } | null}
 */
export function candidateMessage(candidate) {
  if (candidate && !candidate.candidate) return null;
  return candidate
    ? { type: 'candidate', candidate: candidate.candidate, sdpMid: candidate.sdpMid }
    : { type: 'candidate', candidate: null };
}

/**
 * @typedef {object} Offer
 * @property {number} version
 * @property {string} sdp
 * @property {Array<{ mid: string, kind: string }>} publish
 * @property {Array<{ mid: string, kind: string, participantId: string }>} subscribe
 */

/**
 * Reads an `offer` message; null when it has no SDP or version.
 * @param {Record<string, unknown>} msg
 * @returns {Offer | null}
 */
export function parseOffer(msg) {
  if (typeof msg.sdp !== 'string' || !Number.isInteger(msg.version)) return null;
  /** @param {unknown} list */
  const entries = (list) => (Array.isArray(list) ? list : [])
    .filter((e) => e && typeof e.mid === 'string' && typeof e.kind === 'string');
  return {
    version: /** @type {number} */ (msg.version),
    sdp: msg.sdp,
    publish: entries(msg.publish),
    subscribe: entries(msg.subscribe).filter((e) => typeof e.participantId === 'string'),
  };
}

/**
 * Applies one offer and returns the answer's SDP. On failure the peer connection is
 * rolled back to `stable`, so that the next offer (or the re-sent one) can be applied.
 * @param {RTCPeerConnection} pc
 * @param {Offer} offer
 * @param {(pc: RTCPeerConnection, publish: Offer['publish']) => Promise<void>} attach
 *     sets the publish transceivers' tracks, between the offer and the answer
 * @returns {Promise<string>}
 */
export async function answerOffer(pc, offer, attach) {
  try {
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    await attach(pc, offer.publish);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
  } catch (err) {
    if (pc.signalingState === 'have-remote-offer') {
      await pc.setRemoteDescription({ type: 'rollback' }).catch(() => {});
    }
    throw err;
  }
  const sdp = pc.localDescription?.sdp;
  if (typeof sdp !== 'string') throw new Error('the peer connection made no answer');
  return sdp;
}
