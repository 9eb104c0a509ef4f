package org.atrium.sctp.packet;

/** Chunk type codes (RFC 9260 3.2, RFC 3758 3.2, RFC 6525 3.1). */
public final class ChunkType {
    public static final int DATA = 0;
    public static final int INIT = 1;
    public static final int INIT_ACK = 2;
    public static final int SACK = 3;
    public static final int HEARTBEAT = 4;
    public static final int HEARTBEAT_ACK = 5;
    public static final int ABORT = 6;
    public static final int SHUTDOWN = 7;
    public static final int SHUTDOWN_ACK = 8;
    public static final int ERROR = 9;
    public static final int COOKIE_ECHO = 10;
    public static final int COOKIE_ACK = 11;
    public static final int SHUTDOWN_COMPLETE = 14;
    public static final int RE_CONFIG = 130;
    public static final int FORWARD_TSN = 192;

    private ChunkType() {
    }

    /**
     * What the two high bits of an unrecognized type ask (RFC 9260 3.2): 00 and 01 stop processing
     * the packet, 10 and 11 skip the chunk and go on.
     */
    public static boolean skipWhenUnknown(int type) {
        return (type & 0x80) != 0;
    }
}
