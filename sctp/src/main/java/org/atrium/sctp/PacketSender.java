package org.atrium.sctp;

import org.atrium.sctp.packet.Chunk;
import org.atrium.sctp.packet.PacketBuilder;

/**
 * Where an association's packets leave it: one reusable {@link PacketBuilder} for every packet,
 * sealed, counted and handed to the output, which may read the bytes only during the call.
 */
final class PacketSender {
    /** Takes a finished packet; {@code packet[offset, offset + length)} is valid only during the call. */
    interface Output {
        void sendPacket(byte[] packet, int offset, int length);
    }

    private final PacketBuilder out;
    private final Output output;
    private long packets;
    private long bytes;

    PacketSender(SctpConfig config, Output output) {
        this.out = new PacketBuilder(config.maxPacketSize(), config.localPort(), config.remotePort());
        this.output = output;
    }

    /** Starts a packet to fill: whatever was written and not sent is discarded. */
    PacketBuilder begin(int verificationTag) {
        return out.begin(verificationTag);
    }

    /** Seals the packet begun last and hands it to the output. */
    void send() {
        int n = out.finish();
        packets++;
        bytes += n;
        output.sendPacket(out.buffer(), 0, n);
    }

    /** Sends a packet of one chunk that is only a header (SHUTDOWN ACK, SHUTDOWN COMPLETE). */
    void sendHeaderOnly(int verificationTag, int type, int flags) {
        out.begin(verificationTag);
        out.advance(Chunk.writeHeader(out.buffer(), out.position(), type, flags, Chunk.HEADER_LENGTH));
        send();
    }

    long packets() {
        return packets;
    }

    long bytes() {
        return bytes;
    }
}
