package org.atrium.sctp.packet;

/**
 * Assembles one outgoing SCTP packet in a buffer of the maximum packet size, reused for every
 * packet: chunk writers write at {@link #position()} into {@link #buffer()}, then {@link #advance}.
 */
public final class PacketBuilder {
    private final byte[] buf;
    private final int sourcePort;
    private final int destinationPort;
    private int verificationTag;
    private int pos = SctpPacket.HEADER_LENGTH;

    public PacketBuilder(int maxPacketSize, int sourcePort, int destinationPort) {
        this.buf = new byte[maxPacketSize];
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
    }

    /** Starts a packet; whatever was written before is discarded. */
    public PacketBuilder begin(int verificationTag) {
        this.verificationTag = verificationTag;
        this.pos = SctpPacket.HEADER_LENGTH;
        return this;
    }

    public byte[] buffer() {
        return buf;
    }

    public int position() {
        return pos;
    }

    /** Bytes left for chunks. */
    public int room() {
        return buf.length - pos;
    }

    public void advance(int written) {
        pos += written;
    }

    public boolean isEmpty() {
        return pos == SctpPacket.HEADER_LENGTH;
    }

    /** Writes the common header and checksum; returns the packet's length, {@code buffer()[0, length)}. */
    public int finish() {
        SctpPacket.writeHeader(buf, 0, sourcePort, destinationPort, verificationTag);
        SctpPacket.seal(buf, 0, pos);
        return pos;
    }
}
