package org.atrium.bench.load;

import org.atrium.rtp.codec.AudioLevel;

/**
 * Opus-like audio: one packet every 20 ms (50 packets/s), about 100 bytes of payload,
 * RTP clock 48 kHz, with the RFC 6464 audio level when negotiated.
 */
final class AudioStream extends SyntheticStream {

    static final int PAYLOAD_TYPE = 111;
    static final int CLOCK_RATE = 48_000;
    static final long INTERVAL_NANOS = 20_000_000L;
    static final int PAYLOAD_BYTES = 100;
    private static final int SAMPLES_PER_PACKET = CLOCK_RATE / 50;

    private final int level;

    AudioStream(long ssrc, String mid, ExtensionIds ids, TransportSequence transportSequence, PacketSink sink,
            long seed, int level) {
        super(ssrc, PAYLOAD_TYPE, mid, null, ids, transportSequence, sink, seed);
        this.level = level;
    }

    @Override
    long emit(long now) {
        int payload = writeHeader(false, AudioLevel.encode(true, level) & 0xFF);
        buf[payload] = (byte) 0x78; // an Opus TOC byte: SILK+CELT hybrid, 20 ms, stereo
        stampAndSend(payload, payload + PAYLOAD_BYTES);
        rtpTimestamp = (rtpTimestamp + SAMPLES_PER_PACKET) & 0xFFFFFFFFL;
        nextDueNanos += INTERVAL_NANOS;
        if (nextDueNanos < now - INTERVAL_NANOS) {
            nextDueNanos = now; // fell far behind (a stall): do not send a burst to catch up
        }
        return nextDueNanos;
    }
}
