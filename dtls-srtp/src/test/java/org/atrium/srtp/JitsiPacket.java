package org.atrium.srtp;

import java.util.Arrays;
import org.jitsi.utils.ByteArrayBuffer;

/** The minimal growable buffer jitsi-srtp transforms packets in. */
final class JitsiPacket implements ByteArrayBuffer {
    private byte[] buffer;
    private int offset;
    private int length;

    JitsiPacket(byte[] data, int len) {
        this.buffer = Arrays.copyOf(data, len + 64);
        this.length = len;
    }

    byte[] bytes() {
        return Arrays.copyOfRange(buffer, offset, offset + length);
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
            buffer = Arrays.copyOf(buffer, offset + length + howMuch);
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
