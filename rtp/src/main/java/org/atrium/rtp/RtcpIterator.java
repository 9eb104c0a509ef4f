package org.atrium.rtp;

/**
 * A reusable cursor over the packets of a compound RTCP packet. Allocation-free: one instance per
 * receive thread, {@link #reset} per datagram. {@link #next} returns false at the end, or at the
 * first malformed packet with {@link #error()} saying why.
 */
public final class RtcpIterator {
    private byte[] buf;
    private int pos;
    private int end;
    private int offset;
    private int length;
    private PacketError error;

    public void reset(byte[] b, int off, int len) {
        this.buf = b;
        this.offset = -1;
        this.length = 0;
        if (Bytes.inBounds(b, off, len)) {
            this.pos = off;
            this.end = off + len;
            this.error = null;
        } else {
            this.pos = 0;
            this.end = 0;
            this.error = PacketError.OUT_OF_BOUNDS;
        }
    }

    public boolean next() {
        if (error != null || pos >= end) {
            return false;
        }
        PacketError bad = RtcpCompound.checkPacket(buf, pos, end - pos);
        if (bad != null) {
            error = bad;
            return false;
        }
        offset = pos;
        length = RtcpHeader.lengthInBytes(buf, pos);
        pos += length;
        return true;
    }

    /** Absolute index of the current packet. */
    public int offset() {
        return offset;
    }

    /** Length of the current packet, header and padding included. */
    public int length() {
        return length;
    }

    public int packetType() {
        return RtcpHeader.packetType(buf, offset);
    }

    /** FMT for feedback messages, RC or SC for the others. */
    public int format() {
        return RtcpHeader.countOrFormat(buf, offset);
    }

    /** Why iteration stopped early, or null when it has not (or reached the end cleanly). */
    public PacketError error() {
        return error;
    }
}
