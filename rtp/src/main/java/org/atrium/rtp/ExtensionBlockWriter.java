package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put16;

/**
 * Builds an RFC 8285 extension block (profile word, elements, zero padding to 32 bits) in place,
 * for packets the SFU originates (probing, load generation, tests). Reusable: call
 * {@link #start} for each block. Setting the X bit of the RTP header is the caller's.
 */
public final class ExtensionBlockWriter {
    private byte[] buf;
    private int blockOff;
    private int pos;
    private boolean twoByte;

    /** Begins a block whose 4-byte profile/length word goes at {@code blockOff}. */
    public void start(byte[] b, int blockOff, boolean twoByte) {
        this.buf = b;
        this.blockOff = blockOff;
        this.pos = blockOff + 4;
        this.twoByte = twoByte;
    }

    /**
     * Appends an element. Returns false, writing nothing, when the id or length cannot be carried
     * in this block's form or the buffer has no room for it.
     */
    public boolean add(int id, byte[] data, int dataOff, int dataLen) {
        boolean representable = twoByte
            ? id >= 1 && id <= HeaderExtensions.TWO_BYTE_MAX_ID && dataLen >= 0
                && dataLen <= HeaderExtensions.TWO_BYTE_MAX_LENGTH
            : HeaderExtensions.fitsOneByte(id, dataLen);
        if (!representable || !Bytes.hasRoom(buf, pos, (twoByte ? 2 : 1) + dataLen)) {
            return false;
        }
        pos += twoByte
            ? HeaderExtensions.writeTwoByteElement(buf, pos, id, data, dataOff, dataLen)
            : HeaderExtensions.writeOneByteElement(buf, pos, id, data, dataOff, dataLen);
        return true;
    }

    /**
     * Pads the block to 32 bits and writes its profile/length word. Returns the block's whole
     * length (profile word included), or -1 when the buffer has no room for the padding.
     */
    public int finish() {
        int end = blockOff + 4 + HeaderExtensions.pad4(pos - blockOff - 4);
        if (!Bytes.hasRoom(buf, blockOff, end - blockOff)) {
            return -1;
        }
        while (pos < end) {
            buf[pos++] = 0;
        }
        put16(buf, blockOff, twoByte ? HeaderExtensions.TWO_BYTE_PROFILE : HeaderExtensions.ONE_BYTE_PROFILE);
        put16(buf, blockOff + 2, (end - blockOff - 4) / 4);
        return end - blockOff;
    }
}
