import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarize } from '../src/stats.js';

describe('summarize', () => {
  it('lists the streams and the selected candidate pair', () => {
    const report = new Map(Object.entries({
      o1: { type: 'outbound-rtp', kind: 'video', mid: '1', rid: 'q', bytesSent: 1000, packetsSent: 10,
        frameWidth: 320, frameHeight: 180, framesPerSecond: 30 },
      i1: { type: 'inbound-rtp', kind: 'audio', mid: '3', bytesReceived: 500, packetsReceived: 5, packetsLost: 1 },
      t: { type: 'transport', selectedCandidatePairId: 'cp' },
      cp: { type: 'candidate-pair', localCandidateId: 'l', currentRoundTripTime: 0.02, availableOutgoingBitrate: 2e6 },
      l: { type: 'local-candidate', protocol: 'udp', candidateType: 'host' },
    }));
    const stats = summarize(report);
    assert.deepEqual(stats.outbound, [{ kind: 'video', mid: '1', rid: 'q', bytes: 1000, packets: 10, packetsLost: null,
      frameWidth: 320, frameHeight: 180, framesPerSecond: 30 }]);
    assert.deepEqual(stats.inbound.map((s) => [s.kind, s.bytes, s.packetsLost]), [['audio', 500, 1]]);
    assert.equal(stats.roundTripTimeSeconds, 0.02);
    assert.equal(stats.availableOutgoingBitrate, 2e6);
    assert.equal(stats.transport, 'udp host');
  });

  it('is empty before anything flows', () => {
    assert.deepEqual(summarize(new Map()), { outbound: [], inbound: [], roundTripTimeSeconds: null,
      availableOutgoingBitrate: null, transport: null });
  });
});
