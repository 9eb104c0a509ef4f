package org.atrium.bench;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * The buffer jitsi-srtp transforms packets in, over a caller-owned array with room for the
 * trailer: the benchmark resets its length per packet, so neither side pays for a copy.
 */
final class JitsiBuffer implements ByteArrayBuffer {
    private final byte[] buffer;
    private int offset;
    private int length;

    JitsiBuffer(byte[] buffer) {
        this.buffer = buffer;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int len) {
        length = len;
    }

    @Override
    public void setOffset(int off) {
        offset = off;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] outBuf) {
        System.arraycopy(buffer, offset + off, outBuf, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (buffer.length < offset + length + howMuch) {
            throw new IllegalStateException("the benchmark sized the buffer too small");
        }
    }

    @Override
    public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        length = Math.max(0, length - len);
    }
}
