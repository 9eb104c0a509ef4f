package org.atrium.bench;

import java.util.SplittableRandom;
import org.atrium.rtp.ExtensionBlockWriter;
import org.atrium.rtp.RtpPacket;

/** The packets the benchmarks work on, the same bytes for Atrium and jitsi-srtp. */
final class BenchPackets {
    static final int SSRC = 0x11223344;
    /** Room for the largest packet plus any SRTP/SRTCP trailer. */
    static final int BUFFER_LENGTH = 1500 + 64;

    private BenchPackets() {
    }

    /**
     * A Chrome-like video packet: fixed header, a one-byte extension block with audio level
     * (id 1) and MID (id 4), then {@code payloadSize} random bytes. Returns its length.
     */
    static int video(byte[] b, int payloadSize, long seed) {
        int headerLength = RtpPacket.writeHeader(b, 0, false, 96, 1000, 90000, SSRC & 0xffffffffL);
        RtpPacket.setExtension(b, 0, true);
        ExtensionBlockWriter writer = new ExtensionBlockWriter();
        writer.start(b, headerLength, false);
        writer.add(1, new byte[] {(byte) 0x90}, 0, 1);
        writer.add(4, new byte[] {'1'}, 0, 1);
        int blockLength = writer.finish();
        int length = headerLength + blockLength + payloadSize;
        byte[] payload = new byte[payloadSize];
        new SplittableRandom(seed).nextBytes(payload);
        System.arraycopy(payload, 0, b, headerLength + blockLength, payloadSize);
        return length;
    }

    /**
     * An RTCP receiver report of {@code length} bytes (a multiple of 4, at least 8) from SSRC:
     * no report blocks, the rest a profile-specific extension of random bytes (RFC 3550 6.4.2).
     */
    static int receiverReport(byte[] b, int length, long seed) {
        byte[] body = new byte[length - 8];
        new SplittableRandom(seed).nextBytes(body);
        b[0] = (byte) 0x80;
        b[1] = (byte) 201;
        int words = length / 4 - 1;
        b[2] = (byte) (words >>> 8);
        b[3] = (byte) words;
        b[4] = (byte) (SSRC >>> 24);
        b[5] = (byte) (SSRC >>> 16);
        b[6] = (byte) (SSRC >>> 8);
        b[7] = (byte) SSRC;
        System.arraycopy(body, 0, b, 8, body.length);
        return length;
    }
}
