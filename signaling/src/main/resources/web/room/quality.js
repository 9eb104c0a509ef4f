// Connection quality per remote participant, from getStats() of what this page receives
// from them: packet loss over the last interval, frames per second, audio jitter.

import { atrium } from './hook.js';

const INTERVAL_MS = 2000;

/**
 * good / fair / poor from one interval's numbers. Loss counts most: a few per cent already
 * shows as frozen video; low fps alone may just be a still camera, so it only lowers to fair.
 * @param {{ loss: number, fps: number | null, jitter: number | null }} m loss 0..1, jitter in s
 * @returns {'good' | 'fair' | 'poor'}
 */
export function rate({ loss, fps, jitter }) {
  if (loss > 0.08 || (jitter !== null && jitter > 0.1)) return 'poor';
  if (loss > 0.02 || (jitter !== null && jitter > 0.04) || (fps !== null && fps < 5)) return 'fair';
  return 'good';
}

/**
 * Samples the current peer connection every few seconds and calls `show` per participant.
 * @param {() => RTCPeerConnection | null} currentPc
 * @param {() => ReadonlyArray<{ participantId: string, kind: string, track: MediaStreamTrack }>} tracks
 * @param {(participantId: string, quality: string, detail: string) => void} show
 * @returns {() => void} stops sampling
 */
export function watchQuality(currentPc, tracks, show) {
  /** @type {Map<string, { received: number, lost: number }>} inbound ssrc key -> last counters */
  let last = new Map();
  /** @type {RTCPeerConnection | null} */
  let lastPc = null;
  const timer = setInterval(async () => {
    const pc = currentPc();
    if (!pc || pc.connectionState === 'closed') return;
    if (pc !== lastPc) last = new Map(); // counters start again on a new connection
    lastPc = pc;
    const owner = new Map(tracks().map((t) => [t.track.id, t.participantId]));
    /** @type {Map<string, { received: number, lost: number, fps: number | null, jitter: number | null }>} */
    const per = new Map();
    let report;
    try {
      report = await pc.getStats();
    } catch {
      return;
    }
    report.forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      const id = owner.get(s.trackIdentifier);
      if (!id) return;
      const before = last.get(s.id) ?? { received: 0, lost: 0 };
      const now = { received: s.packetsReceived ?? 0, lost: Math.max(0, s.packetsLost ?? 0) };
      last.set(s.id, now);
      const m = per.get(id) ?? { received: 0, lost: 0, fps: null, jitter: null };
      const received = Math.max(0, now.received - before.received);
      m.received += received;
      m.lost += Math.max(0, now.lost - before.lost);
      // A muted or paused stream sends nothing: its last fps and jitter say nothing of now.
      if (received > 0 && s.kind === 'video' && typeof s.framesPerSecond === 'number') {
        m.fps = Math.max(m.fps ?? 0, s.framesPerSecond);
      }
      if (received > 0 && s.kind === 'audio' && typeof s.jitter === 'number') m.jitter = s.jitter;
      per.set(id, m);
    });
    for (const [id, m] of per) {
      if (m.received + m.lost === 0) continue; // nothing flowed: nothing to judge
      const loss = m.lost / (m.received + m.lost);
      const quality = rate({ loss, fps: m.fps, jitter: m.jitter });
      atrium.quality.set(id, quality);
      const detail = `loss ${(loss * 100).toFixed(1)}%` + (m.fps !== null ? `, ${Math.round(m.fps)} fps` : '')
        + (m.jitter !== null ? `, jitter ${Math.round(m.jitter * 1000)} ms` : '');
      show(id, quality, detail);
    }
  }, INTERVAL_MS);
  return () => clearInterval(timer);
}
