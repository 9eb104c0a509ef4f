package org.atrium.sctp.packet;

/**
 * Walks the chunks of one SCTP packet after its common header. A chunk whose length is below 4 or
 * runs past the packet stops the walk with {@link #malformed()} set; every chunk the iterator
 * yields lies inside the packet. The last chunk may omit its padding (some stacks do), any other
 * is followed by padding to a multiple of 4.
 */
public final class ChunkIterator {
    private byte[] b;
    private int next;
    private int end;
    private int offset;
    private int length;
    private boolean malformed;

    /** Starts at the first chunk of the packet {@code b[off, off + len)}; the header must be there. */
    public ChunkIterator reset(byte[] b, int off, int len) {
        this.b = b;
        this.next = off + SctpPacket.HEADER_LENGTH;
        this.end = off + len;
        this.malformed = !SctpPacket.is(b, off, len);
        this.offset = -1;
        this.length = 0;
        return this;
    }

    public boolean next() {
        if (malformed || next >= end) {
            return false;
        }
        if (end - next < Chunk.HEADER_LENGTH) {
            malformed = true;
            return false;
        }
        int len = Chunk.length(b, next);
        if (len < Chunk.HEADER_LENGTH || len > end - next) {
            malformed = true;
            return false;
        }
        offset = next;
        length = len;
        next = offset + Math.min(Bytes.pad4(len), end - offset);
        return true;
    }

    /** Where the current chunk starts (its type byte). */
    public int offset() {
        return offset;
    }

    /** The current chunk's length field: header and value, no padding. */
    public int length() {
        return length;
    }

    public int type() {
        return Chunk.type(b, offset);
    }

    public int flags() {
        return Chunk.flags(b, offset);
    }

    /** True when the walk stopped at a chunk that does not fit. */
    public boolean malformed() {
        return malformed;
    }

    /** Counts the chunks of a packet, or -1 when one is malformed or there are none. */
    public static int count(byte[] b, int off, int len) {
        ChunkIterator it = new ChunkIterator().reset(b, off, len);
        int n = 0;
        while (it.next()) {
            n++;
        }
        return it.malformed() || n == 0 ? -1 : n;
    }
}
