package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put16;
import static org.atrium.rtp.Bytes.u8;

/**
 * RTP header extension elements in the RFC 8285 forms, read and rewritten in place.
 *
 * <pre>
 * One-byte form (RFC 8285 4.2), ids 1..14, data 1..16 bytes:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       0xBE    |    0xDE       |           length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ID   |  L=0  |     data      |  ID   |  L=1  |   data...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Two-byte form (RFC 8285 4.3), ids 1..255, data 0..255 bytes:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         0x100         |appbits|           length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       ID      |     length    |     data...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * A zero byte between elements is padding in both forms. In the one-byte form id 15 ends parsing
 * of the whole block (RFC 8285 4.2).
 */
public final class HeaderExtensions {
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    public static final int TWO_BYTE_PROFILE = 0x1000;
    public static final int ONE_BYTE_MAX_ID = 14;
    public static final int ONE_BYTE_MAX_LENGTH = 16;
    public static final int TWO_BYTE_MAX_ID = 255;
    public static final int TWO_BYTE_MAX_LENGTH = 255;

    /** {@link #element} results that are not an element. */
    private static final long MALFORMED = -1;
    private static final long STOP = -2;

    private HeaderExtensions() {
    }

    /**
     * Finds the element with {@code id} in a validated RTP packet. Returns
     * {@code ((long) dataOffset << 32) | dataLength} with dataOffset absolute in {@code b}, or -1
     * when the packet has no RFC 8285 block, no such element, or the block is malformed before it.
     */
    public static long find(byte[] b, int off, int len, int id) {
        if (id <= 0 || !RtpPacket.hasExtension(b, off)) {
            return -1;
        }
        int pos = RtpPacket.extensionOffset(b, off, len);
        int end = pos + RtpPacket.extensionLength(b, off, len);
        if (end > off + len) {
            return -1;
        }
        int form = form(RtpPacket.extensionProfile(b, off, len));
        if (form == 0) {
            return -1;
        }
        while (pos < end) {
            long element = element(b, pos, end, form == 2);
            if (element < 0) {
                return -1;
            }
            int dataOffset = dataOffset(element);
            int dataLength = dataLength(element);
            if (elementId(element) == id) {
                return pack(dataOffset, 0, dataLength);
            }
            pos = dataOffset + dataLength;
        }
        return -1;
    }

    public static int dataOffset(long found) {
        return (int) (found >>> 32);
    }

    public static int dataLength(long found) {
        return (int) (found & 0xFFFF);
    }

    /** True when {@code profile} is the one-byte (0xBEDE) or two-byte (0x100X) RFC 8285 form. */
    public static boolean isRfc8285(int profile) {
        return form(profile) != 0;
    }

    /**
     * Copies the validated RTP packet {@code src[srcOff, srcOff + srcLen)} to {@code dst} at
     * {@code dstOff}, rebuilding its extension block: the element with id {@code i} is kept as id
     * {@code idMap[i] & 0xFF} when that is not 0 and dropped otherwise. The one-byte form is used
     * when every kept element fits it, else the two-byte form; with nothing kept the block and the
     * X bit go. A block that is not RFC 8285 is dropped. {@code src} and {@code dst} must not
     * overlap. Returns the bytes written, or -1 when they do not fit in {@code dst}.
     */
    public static int copyWithExtensions(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, byte[] idMap) {
        return copyWithExtensions(src, srcOff, srcLen, dst, dstOff, idMap, 0, 0);
    }

    /**
     * As {@link #copyWithExtensions(byte[], int, int, byte[], int, byte[])}, and appends one more
     * element, {@code addId} with {@code addLength} zero bytes of data, for the sender to fill in
     * later (such as a transport-wide sequence number, which is known only when the packet
     * leaves). {@code addId} 0 appends nothing; an element of that id in the source should be
     * mapped away by {@code idMap}.
     */
    public static int copyWithExtensions(byte[] src, int srcOff, int srcLen, byte[] dst, int dstOff, byte[] idMap,
            int addId, int addLength) {
        int fixedAndCsrcs = RtpPacket.FIXED_HEADER_LENGTH + 4 * RtpPacket.csrcCount(src, srcOff);
        int srcHeader = RtpPacket.headerLength(src, srcOff, srcLen);
        int rest = srcLen - srcHeader;

        int form = 0;
        int blockStart = 0;
        int blockEnd = 0;
        int kept = 0;
        int keptData = 0;
        boolean fitsOneByte = true;
        if (RtpPacket.hasExtension(src, srcOff) && idMap != null) {
            form = form(RtpPacket.extensionProfile(src, srcOff, srcLen));
            blockStart = RtpPacket.extensionOffset(src, srcOff, srcLen);
            blockEnd = blockStart + RtpPacket.extensionLength(src, srcOff, srcLen);
        }
        for (int pos = blockStart; form != 0 && pos < blockEnd; ) {
            long element = element(src, pos, blockEnd, form == 2);
            if (element < 0) {
                break;
            }
            int newId = mappedId(idMap, elementId(element));
            int dataLength = dataLength(element);
            if (newId != 0) {
                kept++;
                keptData += dataLength;
                fitsOneByte &= fitsOneByte(newId, dataLength);
            }
            pos = dataOffset(element) + dataLength;
        }
        if (addId != 0) {
            kept++;
            keptData += addLength;
            fitsOneByte &= fitsOneByte(addId, addLength);
        }

        int block = 0;
        if (kept > 0) {
            block = 4 + pad4((fitsOneByte ? 1 : 2) * kept + keptData);
        }
        int total = fixedAndCsrcs + block + rest;
        if (!Bytes.hasRoom(dst, dstOff, total)) {
            return -1;
        }

        System.arraycopy(src, srcOff, dst, dstOff, fixedAndCsrcs);
        RtpPacket.setExtension(dst, dstOff, kept > 0);
        if (kept > 0) {
            int out = dstOff + fixedAndCsrcs;
            put16(dst, out, fitsOneByte ? ONE_BYTE_PROFILE : TWO_BYTE_PROFILE);
            put16(dst, out + 2, (block - 4) / 4);
            int w = out + 4;
            for (int pos = blockStart; pos < blockEnd; ) {
                long element = element(src, pos, blockEnd, form == 2);
                if (element < 0) {
                    break;
                }
                int newId = mappedId(idMap, elementId(element));
                int dataOffset = dataOffset(element);
                int dataLength = dataLength(element);
                if (newId != 0) {
                    w += fitsOneByte
                        ? writeOneByteElement(dst, w, newId, src, dataOffset, dataLength)
                        : writeTwoByteElement(dst, w, newId, src, dataOffset, dataLength);
                }
                pos = dataOffset + dataLength;
            }
            if (addId != 0) {
                if (fitsOneByte) {
                    dst[w++] = (byte) (addId << 4 | (addLength - 1));
                } else {
                    dst[w++] = (byte) addId;
                    dst[w++] = (byte) addLength;
                }
                for (int end = w + addLength; w < end; w++) {
                    dst[w] = 0;
                }
            }
            for (int end = out + block; w < end; w++) {
                dst[w] = 0;
            }
        }
        System.arraycopy(src, srcOff + srcHeader, dst, dstOff + fixedAndCsrcs + block, rest);
        return total;
    }

    /**
     * Rewrites the element ids of an RTP packet's RFC 8285 block in place: the element with id
     * {@code i} gets id {@code idMap[i] & 0xFF}. An element whose new id is 0, whose id is
     * beyond {@code idMap}, or whose new id the block's form cannot carry (above 14 in the
     * one-byte form) is erased: its bytes become zero, which both forms read as padding, so a
     * receiver skips it whatever ids it uses. Nothing moves and the block keeps its form and
     * length. Parsing ends at a one-byte id 15, as RFC 8285 4.2 says; the bytes after it are
     * left as they are. A packet without an extension, or with a block of another profile, is
     * left as it is.
     *
     * <p>Checks every length it reads against the packet, so it needs no prior validation.
     * Returns null when done, else why the block is malformed; elements before the malformed
     * one may already be rewritten, so the caller drops the packet.
     */
    public static PacketError remapIds(byte[] b, int off, int len, byte[] idMap) {
        if (!Bytes.inBounds(b, off, len)) {
            return PacketError.OUT_OF_BOUNDS;
        }
        if (len < RtpPacket.FIXED_HEADER_LENGTH) {
            return PacketError.TOO_SHORT;
        }
        if (!RtpPacket.hasExtension(b, off)) {
            return null;
        }
        int profileAt = off + RtpPacket.FIXED_HEADER_LENGTH + 4 * RtpPacket.csrcCount(b, off);
        if (profileAt + 4 > off + len) {
            return PacketError.BAD_EXTENSION_LENGTH;
        }
        int pos = profileAt + 4;
        int end = pos + 4 * Bytes.u16(b, profileAt + 2);
        if (end > off + len) {
            return PacketError.BAD_EXTENSION_LENGTH;
        }
        int form = form(Bytes.u16(b, profileAt));
        if (form == 0) {
            return null;
        }
        boolean twoByte = form == 2;
        int maxId = twoByte ? TWO_BYTE_MAX_ID : ONE_BYTE_MAX_ID;
        while (pos < end) {
            long element = element(b, pos, end, twoByte);
            if (element == STOP) {
                return null;
            }
            if (element == MALFORMED) {
                return PacketError.BAD_EXTENSION_ELEMENT;
            }
            int dataOffset = dataOffset(element);
            int dataLength = dataLength(element);
            int id = elementId(element);
            if (id != 0) {
                int newId = mappedId(idMap, id);
                if (newId == 0 || newId > maxId) {
                    for (int i = pos; i < dataOffset + dataLength; i++) {
                        b[i] = 0;
                    }
                } else if (twoByte) {
                    b[pos] = (byte) newId;
                } else {
                    b[pos] = (byte) (newId << 4 | (b[pos] & 0x0F));
                }
            }
            pos = dataOffset + dataLength;
        }
        return null;
    }

    /** Writes one one-byte-form element at {@code pos}; returns the bytes written (1 + length). */
    public static int writeOneByteElement(byte[] b, int pos, int id, byte[] data, int dataOff, int dataLen) {
        b[pos] = (byte) (id << 4 | (dataLen - 1));
        System.arraycopy(data, dataOff, b, pos + 1, dataLen);
        return 1 + dataLen;
    }

    /** Writes one two-byte-form element at {@code pos}; returns the bytes written (2 + length). */
    public static int writeTwoByteElement(byte[] b, int pos, int id, byte[] data, int dataOff, int dataLen) {
        b[pos] = (byte) id;
        b[pos + 1] = (byte) dataLen;
        System.arraycopy(data, dataOff, b, pos + 2, dataLen);
        return 2 + dataLen;
    }

    static boolean fitsOneByte(int id, int dataLength) {
        return id >= 1 && id <= ONE_BYTE_MAX_ID && dataLength >= 1 && dataLength <= ONE_BYTE_MAX_LENGTH;
    }

    static int pad4(int n) {
        return (n + 3) & ~3;
    }

    /** 1 for the one-byte form, 2 for the two-byte form, 0 for any other profile. */
    private static int form(int profile) {
        if (profile == ONE_BYTE_PROFILE) {
            return 1;
        }
        // RFC 8285 4.3: the low 4 bits are application bits and do not change the form.
        return (profile & 0xFFF0) == TWO_BYTE_PROFILE ? 2 : 0;
    }

    private static int mappedId(byte[] idMap, int id) {
        return idMap != null && id > 0 && id < idMap.length ? idMap[id] & 0xFF : 0;
    }

    /**
     * Parses the element (or padding byte, reported as id 0 with no data) at {@code pos}. Returns
     * it packed as {@code dataOffset << 32 | id << 16 | dataLength}, {@link #STOP} at the one-byte
     * id 15, or {@link #MALFORMED} when the element runs past {@code end}.
     */
    private static long element(byte[] b, int pos, int end, boolean twoByte) {
        int first = u8(b, pos);
        if (first == 0) {
            return pack(pos + 1, 0, 0);
        }
        if (!twoByte) {
            int id = first >>> 4;
            if (id == 15) {
                return STOP;
            }
            int length = (first & 0x0F) + 1;
            return pos + 1 + length <= end ? pack(pos + 1, id, length) : MALFORMED;
        }
        if (pos + 2 > end) {
            return MALFORMED;
        }
        int length = u8(b, pos + 1);
        return pos + 2 + length <= end ? pack(pos + 2, first, length) : MALFORMED;
    }

    private static long pack(int dataOffset, int id, int dataLength) {
        return (long) dataOffset << 32 | (long) id << 16 | dataLength;
    }

    private static int elementId(long element) {
        return (int) (element >>> 16) & 0xFF;
    }
}
