// A summary of RTCPeerConnection.getStats() for what an application shows or logs.

/**
 * @typedef {object} MediaStats
 * @property {'audio' | 'video'} kind
 * @property {string | null} mid
 * @property {string | null} rid the simulcast encoding (outbound video)
 * @property {number} bytes sent or received
 * @property {number} packets
 * @property {number | null} packetsLost inbound only
 * @property {number | null} frameWidth
 * @property {number | null} frameHeight
 * @property {number | null} framesPerSecond
 */

/**
 * @typedef {object} ClientStats
 * @property {MediaStats[]} outbound
 * @property {MediaStats[]} inbound
 * @property {number | null} roundTripTimeSeconds of the selected candidate pair
 * @property {number | null} availableOutgoingBitrate bits per second, the browser's estimate
 * @property {string | null} transport the selected local candidate's protocol and type, e.g. "udp host", "tcp relay"
 */

/**
 * @param {RTCPeerConnection} pc
 * @returns {Promise<ClientStats>}
 */
export async function collectStats(pc) {
  return summarize(await pc.getStats());
}

/**
 * @param {RTCStatsReport | Map<string, any>} report
 * @returns {ClientStats}
 */
export function summarize(report) {
  /** @type {Map<string, any>} */
  const byId = new Map();
  report.forEach((value, key) => byId.set(key, value));
  /** @type {MediaStats[]} */
  const outbound = [];
  /** @type {MediaStats[]} */
  const inbound = [];
  /** @type {any} */
  let pair = null;
  for (const s of byId.values()) {
    if (s.type === 'outbound-rtp' || s.type === 'inbound-rtp') {
      const out = s.type === 'outbound-rtp';
      (out ? outbound : inbound).push({
        kind: s.kind === 'audio' ? 'audio' : 'video',
        mid: s.mid ?? null,
        rid: s.rid ?? null,
        bytes: (out ? s.bytesSent : s.bytesReceived) ?? 0,
        packets: (out ? s.packetsSent : s.packetsReceived) ?? 0,
        packetsLost: out ? null : (s.packetsLost ?? null),
        frameWidth: s.frameWidth ?? null,
        frameHeight: s.frameHeight ?? null,
        framesPerSecond: s.framesPerSecond ?? null,
      });
    } else if (s.type === 'transport' && s.selectedCandidatePairId) {
      pair = byId.get(s.selectedCandidatePairId) ?? pair;
    } else if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded' && !pair) {
      pair = s;
    }
  }
  const local = pair ? byId.get(pair.localCandidateId) : null;
  return {
    outbound,
    inbound,
    roundTripTimeSeconds: pair?.currentRoundTripTime ?? null,
    availableOutgoingBitrate: pair?.availableOutgoingBitrate ?? null,
    transport: local ? `${local.protocol} ${local.candidateType}` : null,
  };
}
