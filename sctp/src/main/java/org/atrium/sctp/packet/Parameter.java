package org.atrium.sctp.packet;

import static org.atrium.sctp.packet.Bytes.put16;
import static org.atrium.sctp.packet.Bytes.u16;

/**
 * The type-length-value parameter of INIT, INIT ACK, HEARTBEAT and RE-CONFIG chunks (RFC 9260
 * 3.2.1), also the layout of the error causes in ABORT and ERROR (RFC 9260 3.3.10). The length
 * counts the 4-byte header and the value, not the padding.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Parameter Type       |       Parameter Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * \                       Parameter Value                         /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Parameter {
    public static final int HEADER_LENGTH = 4;

    public static final int HEARTBEAT_INFO = 1;
    public static final int STATE_COOKIE = 7;
    public static final int ECN_CAPABLE = 0x8000;
    public static final int SUPPORTED_EXTENSIONS = 0x8008;
    public static final int FORWARD_TSN_SUPPORTED = 0xC000;
    /** RFC 6525 4.1 to 4.4. */
    public static final int OUTGOING_SSN_RESET_REQUEST = 13;
    public static final int INCOMING_SSN_RESET_REQUEST = 14;
    public static final int SSN_TSN_RESET_REQUEST = 15;
    public static final int RECONFIGURATION_RESPONSE = 16;
    public static final int ADD_OUTGOING_STREAMS_REQUEST = 17;
    public static final int ADD_INCOMING_STREAMS_REQUEST = 18;

    private Parameter() {
    }

    public static int type(byte[] b, int off) {
        return u16(b, off);
    }

    public static int length(byte[] b, int off) {
        return u16(b, off + 2);
    }

    public static int writeHeader(byte[] b, int off, int type, int length) {
        put16(b, off, type);
        put16(b, off + 2, length);
        return HEADER_LENGTH;
    }

    /** Writes a parameter whose value is {@code value[vOff, vOff + vLen)}, padded; returns the padded length. */
    public static int write(byte[] b, int off, int type, byte[] value, int vOff, int vLen) {
        writeHeader(b, off, type, HEADER_LENGTH + vLen);
        System.arraycopy(value, vOff, b, off + HEADER_LENGTH, vLen);
        return Chunk.pad(b, off, HEADER_LENGTH + vLen);
    }
}
