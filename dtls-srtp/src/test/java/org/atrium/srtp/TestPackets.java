package org.atrium.srtp;

import java.util.HexFormat;

/** Builders for the RTP and RTCP packets the SRTP tests protect. */
final class TestPackets {
    private TestPackets() {
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    static String hex(byte[] b, int off, int len) {
        return HexFormat.of().formatHex(b, off, off + len);
    }

    /** An RTP packet (V=2, PT 96, no CSRC, no extension) with a patterned payload, plus trailer room. */
    static byte[] rtp(int ssrc, int seq, int payloadLength) {
        byte[] b = new byte[12 + payloadLength + SrtpSession.MAX_TRAILER];
        b[0] = (byte) 0x80;
        b[1] = 96;
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        int timestamp = seq * 3000;
        b[4] = (byte) (timestamp >>> 24);
        b[5] = (byte) (timestamp >>> 16);
        b[6] = (byte) (timestamp >>> 8);
        b[7] = (byte) timestamp;
        b[8] = (byte) (ssrc >>> 24);
        b[9] = (byte) (ssrc >>> 16);
        b[10] = (byte) (ssrc >>> 8);
        b[11] = (byte) ssrc;
        for (int i = 0; i < payloadLength; i++) {
            b[12 + i] = (byte) (seq * 7 + i);
        }
        return b;
    }

    static int rtpLength(int payloadLength) {
        return 12 + payloadLength;
    }

    /** An RTCP receiver report (PT 201) from the SSRC with one report block, plus trailer room. */
    static byte[] rtcp(int ssrc, int marker) {
        byte[] b = new byte[32 + SrtpSession.MAX_TRAILER];
        b[0] = (byte) 0x81;
        b[1] = (byte) 201;
        b[2] = 0;
        b[3] = 7;
        putInt(b, 4, ssrc);
        putInt(b, 8, 0x12345678);
        putInt(b, 12, marker);
        for (int i = 16; i < 32; i++) {
            b[i] = (byte) (marker + i);
        }
        return b;
    }

    static final int RTCP_LENGTH = 32;

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
