package org.atrium.rtp;

import static org.atrium.rtp.Bytes.u32;
import static org.atrium.rtp.Bytes.u8;

/**
 * A reusable, allocation-free cursor over the items of every chunk of one SDES packet
 * (RFC 3550 6.5). {@link #nextItem} returns false after the last item, or at the first malformed
 * chunk with {@link #error()} saying why.
 */
public final class SdesIterator {
    private byte[] buf;
    private int packetOff;
    private int pos;
    private int end;
    private int chunksLeft;
    private boolean inChunk;
    private long ssrc;
    private int itemType;
    private int itemOffset;
    private int itemLength;
    private PacketError error;

    /** Starts at the first chunk of the SDES packet at {@code [off, off + len)}. */
    public void reset(byte[] b, int off, int len) {
        buf = b;
        packetOff = off;
        inChunk = false;
        ssrc = 0;
        itemType = 0;
        itemOffset = -1;
        itemLength = 0;
        error = null;
        if (!Bytes.inBounds(b, off, len) || len < RtcpHeader.LENGTH
            || RtcpHeader.lengthInBytes(b, off) > len
            || RtcpHeader.paddingLength(b, off) > RtcpHeader.lengthInBytes(b, off) - RtcpHeader.LENGTH) {
            error = PacketError.BAD_RTCP_LENGTH;
            chunksLeft = 0;
            return;
        }
        pos = off + RtcpHeader.LENGTH;
        end = off + RtcpHeader.lengthInBytes(b, off) - RtcpHeader.paddingLength(b, off);
        chunksLeft = RtcpHeader.countOrFormat(b, off);
    }

    public boolean nextItem() {
        while (error == null) {
            if (!inChunk) {
                if (chunksLeft == 0) {
                    return false;
                }
                if (pos + 4 > end) {
                    error = PacketError.BAD_RTCP_LENGTH;
                    return false;
                }
                ssrc = u32(buf, pos);
                pos += 4;
                chunksLeft--;
                inChunk = true;
            }
            if (pos >= end) {
                // Every chunk ends with at least one null octet.
                error = PacketError.BAD_RTCP_LENGTH;
                return false;
            }
            int type = u8(buf, pos);
            if (type == Sdes.END) {
                // The null octets run to the next 32-bit boundary of the packet.
                pos = packetOff + ((pos + 1 - packetOff + 3) & ~3);
                inChunk = false;
                continue;
            }
            if (pos + 2 > end || pos + 2 + u8(buf, pos + 1) > end) {
                error = PacketError.BAD_RTCP_LENGTH;
                return false;
            }
            itemType = type;
            itemLength = u8(buf, pos + 1);
            itemOffset = pos + 2;
            pos = itemOffset + itemLength;
            return true;
        }
        return false;
    }

    /** SSRC or CSRC of the chunk holding the current item. */
    public long ssrc() {
        return ssrc;
    }

    public int itemType() {
        return itemType;
    }

    /** Absolute index of the current item's text. */
    public int itemOffset() {
        return itemOffset;
    }

    public int itemLength() {
        return itemLength;
    }

    public PacketError error() {
        return error;
    }
}
