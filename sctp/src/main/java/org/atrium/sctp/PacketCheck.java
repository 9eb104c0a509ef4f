package org.atrium.sctp;

import org.atrium.sctp.packet.ChunkIterator;
import org.atrium.sctp.packet.ChunkType;
import org.atrium.sctp.packet.SctpPacket;

/**
 * The first look at an incoming packet, before any of its chunks is acted on: a common header,
 * a valid CRC32C, our ports, chunks that walk to its end, and an INIT alone with tag 0 (RFC 9260
 * 8.5.1 A). Which other verification tag it must carry depends on the association's state and
 * its first chunk, given by {@link #firstType} and {@link #firstFlags}.
 */
final class PacketCheck {
    private final int localPort;
    private final int remotePort;
    private final ChunkIterator chunks = new ChunkIterator();
    private int firstType;
    private int firstFlags;

    PacketCheck(SctpConfig config) {
        this.localPort = config.localPort();
        this.remotePort = config.remotePort();
    }

    /** Null when the packet may be read; otherwise why it is dropped. */
    SctpDropReason check(byte[] b, int off, int len) {
        if (!SctpPacket.is(b, off, len)) {
            return SctpDropReason.MALFORMED_PACKET;
        }
        if (!SctpPacket.checksumValid(b, off, len)) {
            return SctpDropReason.BAD_CHECKSUM;
        }
        if (SctpPacket.destinationPort(b, off) != localPort || SctpPacket.sourcePort(b, off) != remotePort) {
            return SctpDropReason.WRONG_PORT;
        }
        int count = 0;
        firstType = -1;
        firstFlags = 0;
        chunks.reset(b, off, len);
        while (chunks.next()) {
            if (count++ == 0) {
                firstType = chunks.type();
                firstFlags = chunks.flags();
            }
        }
        if (chunks.malformed() || count == 0) {
            return SctpDropReason.MALFORMED_PACKET;
        }
        if (firstType == ChunkType.INIT && (count != 1 || SctpPacket.verificationTag(b, off) != 0)) {
            return SctpDropReason.MALFORMED_CHUNK;
        }
        return null;
    }

    /** The type of the checked packet's first chunk. */
    int firstType() {
        return firstType;
    }

    int firstFlags() {
        return firstFlags;
    }
}
