package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put16;
import static org.atrium.rtp.Bytes.u16;

/**
 * Generic NACK (RFC 4585 6.2.1): transport-layer feedback with FMT 1 whose FCI is a list of
 * (PID, BLP) pairs. PID is a lost sequence number; bit i of BLP (least significant first) marks
 * PID + i + 1 as lost too.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            PID                |             BLP               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Nack {
    public static final int PAIR_LENGTH = 4;

    private Nack() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return RtcpFeedback.is(b, off, len, RtcpPacketType.RTPFB, RtcpPacketType.FMT_NACK, PAIR_LENGTH);
    }

    public static int pairCount(byte[] b, int off) {
        return RtcpFeedback.fciLength(b, off) / PAIR_LENGTH;
    }

    public static int pid(byte[] b, int off, int i) {
        return u16(b, off + RtcpFeedback.HEADER_LENGTH + PAIR_LENGTH * i);
    }

    public static int blp(byte[] b, int off, int i) {
        return u16(b, off + RtcpFeedback.HEADER_LENGTH + PAIR_LENGTH * i + 2);
    }

    /**
     * Writes the lost sequence numbers into {@code out} in packet order, stopping when it is full.
     * Returns how many were written.
     */
    public static int lostSequences(byte[] b, int off, int[] out) {
        int n = 0;
        int pairs = pairCount(b, off);
        for (int i = 0; i < pairs && n < out.length; i++) {
            int pid = pid(b, off, i);
            int blp = blp(b, off, i);
            out[n++] = pid;
            for (int bit = 0; bit < 16 && n < out.length; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    out[n++] = (pid + bit + 1) & 0xFFFF;
                }
            }
        }
        return n;
    }

    /** How many sequence numbers the message reports lost (duplicates across pairs counted twice). */
    public static int lostCount(byte[] b, int off) {
        int n = 0;
        int pairs = pairCount(b, off);
        for (int i = 0; i < pairs; i++) {
            n += 1 + Integer.bitCount(blp(b, off, i));
        }
        return n;
    }

    /**
     * Writes a NACK for {@code seqs[0, count)}, which should be in increasing order (modulo 2^16)
     * for the fewest pairs: a sequence number within 16 after the current pair's PID joins its BLP,
     * any other starts a new pair. Returns the bytes written, or -1 when {@code count} is 0 or the
     * message does not fit in {@code b}.
     */
    public static int write(byte[] b, int off, long senderSsrc, long mediaSsrc, int[] seqs, int count) {
        if (count <= 0) {
            return -1;
        }
        int pairs = 0;
        int pid = -1;
        for (int i = 0; i < count; i++) {
            int seq = seqs[i] & 0xFFFF;
            int distance = pid < 0 ? -1 : (seq - pid) & 0xFFFF;
            if (distance < 0 || distance > 16) {
                pairs++;
                pid = seq;
            }
        }
        int length = RtcpFeedback.HEADER_LENGTH + PAIR_LENGTH * pairs;
        if (!Bytes.hasRoom(b, off, length)) {
            return -1;
        }
        RtcpFeedback.writeHeader(b, off, RtcpPacketType.RTPFB, RtcpPacketType.FMT_NACK, length, senderSsrc, mediaSsrc);
        int pair = off + RtcpFeedback.HEADER_LENGTH - PAIR_LENGTH;
        pid = -1;
        int blp = 0;
        for (int i = 0; i < count; i++) {
            int seq = seqs[i] & 0xFFFF;
            int distance = pid < 0 ? -1 : (seq - pid) & 0xFFFF;
            if (distance < 0 || distance > 16) {
                pair += PAIR_LENGTH;
                pid = seq;
                blp = 0;
                put16(b, pair, pid);
            } else if (distance > 0) {
                blp |= 1 << (distance - 1);
            }
            put16(b, pair + 2, blp);
        }
        return length;
    }
}
