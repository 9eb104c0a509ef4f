package org.atrium.sctp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.atrium.sctp.packet.SctpPacket;

/** A {@link PacketSender.Output} that keeps a copy of every packet, for tests of one part of an association. */
final class PacketCapture implements PacketSender.Output {
    final List<byte[]> packets = new ArrayList<>();

    @Override
    public void sendPacket(byte[] packet, int offset, int length) {
        packets.add(Arrays.copyOfRange(packet, offset, offset + length));
    }

    byte[] last() {
        return packets.get(packets.size() - 1);
    }

    /** Offset of the first chunk in a captured packet. */
    static int firstChunk() {
        return SctpPacket.HEADER_LENGTH;
    }
}
