package org.atrium.sctp.packet;

/**
 * Walks the parameters (or error causes) in {@code b[off, off + len)}. Stops with
 * {@link #malformed()} at a parameter shorter than 4 or running past the end; the last one may
 * omit its padding. Every parameter it yields lies inside the range.
 */
public final class ParameterIterator {
    private byte[] b;
    private int next;
    private int end;
    private int offset;
    private int length;
    private boolean malformed;

    public ParameterIterator reset(byte[] b, int off, int len) {
        this.b = b;
        this.next = off;
        this.end = off + len;
        this.malformed = !Bytes.inBounds(b, off, len);
        this.offset = -1;
        return this;
    }

    public boolean next() {
        if (malformed || next >= end) {
            return false;
        }
        if (end - next < Parameter.HEADER_LENGTH) {
            malformed = true;
            return false;
        }
        int len = Parameter.length(b, next);
        if (len < Parameter.HEADER_LENGTH || len > end - next) {
            malformed = true;
            return false;
        }
        offset = next;
        length = len;
        next = offset + Math.min(Bytes.pad4(len), end - offset);
        return true;
    }

    public int type() {
        return Parameter.type(b, offset);
    }

    /** Where the current parameter starts (its type field). */
    public int offset() {
        return offset;
    }

    /** The current parameter's length field. */
    public int length() {
        return length;
    }

    public int valueOffset() {
        return offset + Parameter.HEADER_LENGTH;
    }

    public int valueLength() {
        return length - Parameter.HEADER_LENGTH;
    }

    public boolean malformed() {
        return malformed;
    }

    /**
     * Finds the first parameter of {@code type} in {@code b[off, off + len)}; returns its offset or
     * -1 (also when the list is malformed before it).
     */
    public static int find(byte[] b, int off, int len, int type) {
        ParameterIterator it = new ParameterIterator().reset(b, off, len);
        while (it.next()) {
            if (it.type() == type) {
                return it.offset();
            }
        }
        return -1;
    }
}
