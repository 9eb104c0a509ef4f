package org.atrium.sctp;

import static org.atrium.sctp.packet.Bytes.i32;
import static org.atrium.sctp.packet.Bytes.put16;
import static org.atrium.sctp.packet.Bytes.put32;
import static org.atrium.sctp.packet.Bytes.u16;
import static org.atrium.sctp.packet.Bytes.u8;

import java.nio.charset.StandardCharsets;
import org.atrium.sctp.packet.Bytes;

/**
 * The Data Channel Establishment Protocol messages (RFC 8832 5), carried with PPID 50.
 * DATA_CHANNEL_OPEN:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Message Type |  Channel Type |            Priority           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Reliability Parameter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Label Length          |       Protocol Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                             Label                             /
 * \                            Protocol                           /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * DATA_CHANNEL_ACK is the single type byte (pion sends it padded to 4 bytes; extra bytes are
 * ignored).
 */
public final class DcepMessage {
    public static final int DATA_CHANNEL_ACK = 0x02;
    public static final int DATA_CHANNEL_OPEN = 0x03;
    public static final int OPEN_FIXED_LENGTH = 12;

    public static final int RELIABLE = 0x00;
    public static final int PARTIAL_RELIABLE_REXMIT = 0x01;
    public static final int PARTIAL_RELIABLE_TIMED = 0x02;
    /** Set in the channel type for unordered delivery. */
    public static final int UNORDERED = 0x80;

    private DcepMessage() {
    }

    /** A DATA_CHANNEL_OPEN whose label and protocol fit and whose channel type is known. */
    public static boolean isOpen(byte[] b, int off, int len) {
        if (!Bytes.inBounds(b, off, len) || len < OPEN_FIXED_LENGTH || u8(b, off) != DATA_CHANNEL_OPEN) {
            return false;
        }
        int kind = channelType(b, off) & ~UNORDERED;
        return kind <= PARTIAL_RELIABLE_TIMED
            && OPEN_FIXED_LENGTH + labelLength(b, off) + protocolLength(b, off) <= len;
    }

    public static boolean isAck(byte[] b, int off, int len) {
        return Bytes.inBounds(b, off, len) && len >= 1 && u8(b, off) == DATA_CHANNEL_ACK;
    }

    public static int channelType(byte[] b, int off) {
        return u8(b, off + 1);
    }

    public static int priority(byte[] b, int off) {
        return u16(b, off + 2);
    }

    public static long reliabilityParameter(byte[] b, int off) {
        return i32(b, off + 4) & 0xFFFF_FFFFL;
    }

    public static int labelLength(byte[] b, int off) {
        return u16(b, off + 8);
    }

    public static int protocolLength(byte[] b, int off) {
        return u16(b, off + 10);
    }

    public static String label(byte[] b, int off) {
        return new String(b, off + OPEN_FIXED_LENGTH, labelLength(b, off), StandardCharsets.UTF_8);
    }

    public static String protocol(byte[] b, int off) {
        return new String(b, off + OPEN_FIXED_LENGTH + labelLength(b, off), protocolLength(b, off),
            StandardCharsets.UTF_8);
    }

    /** The channel options an OPEN asks for; reliability parameters past int range are capped. */
    public static ChannelOptions options(byte[] b, int off) {
        int type = channelType(b, off);
        boolean ordered = (type & UNORDERED) == 0;
        int param = (int) Math.min(Integer.MAX_VALUE, reliabilityParameter(b, off));
        int kind = type & ~UNORDERED;
        return new ChannelOptions(ordered, kind == PARTIAL_RELIABLE_REXMIT ? param : -1,
            kind == PARTIAL_RELIABLE_TIMED ? param : -1, priority(b, off), -1);
    }

    /** A DATA_CHANNEL_OPEN for a channel with these options. */
    public static byte[] open(String label, String protocol, ChannelOptions options) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        byte[] p = protocol.getBytes(StandardCharsets.UTF_8);
        if (l.length > 0xFFFF || p.length > 0xFFFF) {
            throw new IllegalArgumentException("label or protocol longer than 65535 bytes");
        }
        byte[] b = new byte[OPEN_FIXED_LENGTH + l.length + p.length];
        int kind;
        long param;
        if (options.maxRetransmits() >= 0) {
            kind = PARTIAL_RELIABLE_REXMIT;
            param = options.maxRetransmits();
        } else if (options.maxPacketLifeTimeMillis() >= 0) {
            kind = PARTIAL_RELIABLE_TIMED;
            param = options.maxPacketLifeTimeMillis();
        } else {
            kind = RELIABLE;
            param = 0;
        }
        b[0] = DATA_CHANNEL_OPEN;
        b[1] = (byte) (kind | (options.ordered() ? 0 : UNORDERED));
        put16(b, 2, options.priority());
        put32(b, 4, param);
        put16(b, 8, l.length);
        put16(b, 10, p.length);
        System.arraycopy(l, 0, b, OPEN_FIXED_LENGTH, l.length);
        System.arraycopy(p, 0, b, OPEN_FIXED_LENGTH + l.length, p.length);
        return b;
    }

    public static byte[] ack() {
        return new byte[] {DATA_CHANNEL_ACK};
    }
}
