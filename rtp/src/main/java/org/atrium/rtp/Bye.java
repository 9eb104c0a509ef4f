package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put32;
import static org.atrium.rtp.Bytes.u32;
import static org.atrium.rtp.Bytes.u8;

import java.nio.charset.StandardCharsets;

/**
 * Goodbye (RFC 3550 6.6): the listed sources are leaving, optionally with a reason.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    SC   |   PT=BYE=203  |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           SSRC/CSRC                           |
 * :                              ...                              :
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |     length    |               reason for leaving            ...  (opt)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Bye {
    private Bye() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= RtcpHeader.LENGTH
            && RtcpHeader.packetType(b, off) == RtcpPacketType.BYE
            && RtcpHeader.lengthInBytes(b, off) <= len
            && contentEnd(b, off) >= off + RtcpHeader.LENGTH + 4 * ssrcCount(b, off);
    }

    public static int ssrcCount(byte[] b, int off) {
        return RtcpHeader.countOrFormat(b, off);
    }

    public static long ssrc(byte[] b, int off, int i) {
        return u32(b, off + RtcpHeader.LENGTH + 4 * i);
    }

    /** Absolute index of the reason text, or -1 when there is none or its length overruns the packet. */
    public static int reasonOffset(byte[] b, int off) {
        int at = off + RtcpHeader.LENGTH + 4 * ssrcCount(b, off);
        int end = contentEnd(b, off);
        if (at >= end || at + 1 + u8(b, at) > end) {
            return -1;
        }
        return at + 1;
    }

    /** Length of the reason text, or -1 when there is none. */
    public static int reasonLength(byte[] b, int off) {
        int reason = reasonOffset(b, off);
        return reason < 0 ? -1 : u8(b, reason - 1);
    }

    /** The reason decoded as UTF-8, or null when there is none. Allocates: control path only. */
    public static String reason(byte[] b, int off) {
        int reason = reasonOffset(b, off);
        return reason < 0 ? null : new String(b, reason, u8(b, reason - 1), StandardCharsets.UTF_8);
    }

    /**
     * Writes a BYE for {@code ssrcs[0, count)} with an optional reason (null for none). Returns
     * the bytes written, or -1 when count is outside 0..31, the reason is longer than 255 bytes in
     * UTF-8, or the packet does not fit in {@code b}.
     */
    public static int write(byte[] b, int off, long[] ssrcs, int count, String reason) {
        byte[] text = reason == null ? null : reason.getBytes(StandardCharsets.UTF_8);
        if (count < 0 || count > 31 || (text != null && text.length > 255)) {
            return -1;
        }
        int reasonBytes = text == null ? 0 : (1 + text.length + 3) & ~3;
        int length = RtcpHeader.LENGTH + 4 * count + reasonBytes;
        if (!Bytes.hasRoom(b, off, length)) {
            return -1;
        }
        RtcpHeader.write(b, off, count, RtcpPacketType.BYE, length);
        for (int i = 0; i < count; i++) {
            put32(b, off + RtcpHeader.LENGTH + 4 * i, ssrcs[i]);
        }
        if (text != null) {
            int at = off + RtcpHeader.LENGTH + 4 * count;
            b[at] = (byte) text.length;
            System.arraycopy(text, 0, b, at + 1, text.length);
            for (int i = at + 1 + text.length; i < off + length; i++) {
                b[i] = 0;
            }
        }
        return length;
    }

    private static int contentEnd(byte[] b, int off) {
        return off + RtcpHeader.lengthInBytes(b, off) - RtcpHeader.paddingLength(b, off);
    }
}
