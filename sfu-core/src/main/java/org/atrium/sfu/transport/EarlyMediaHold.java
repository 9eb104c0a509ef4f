package org.atrium.sfu.transport;

/**
 * Media that arrives in the last moments of the DTLS handshake. The browser, as DTLS client, may
 * send media as soon as it has the server's last handshake message, a moment before this side has
 * exported the keys: its first packets, which start with a keyframe, would be lost. They are kept
 * (a bounded few, copied, only during the handshake) and handed back, on the receive thread,
 * before the next datagram once the keys are in place. Receive thread only.
 */
final class EarlyMediaHold {

    /** Where held packets go once the keys are in place. */
    interface Release {
        void packet(byte[] buf, int off, int len);
    }

    private static final int MAX_HELD = 64;
    private static final int HELD_PACKET_SIZE = 1500;

    private byte[][] held;
    private int[] heldLengths;
    private int heldCount;

    /** Keeps a copy of the packet; false when it cannot (too large, or the hold is full). */
    boolean hold(byte[] buf, int off, int len) {
        if (len > HELD_PACKET_SIZE) {
            return false;
        }
        if (held == null) {
            held = new byte[MAX_HELD][HELD_PACKET_SIZE + UdpMediaPort.TAIL_ROOM];
            heldLengths = new int[MAX_HELD];
        }
        if (heldCount == MAX_HELD) {
            return false;
        }
        System.arraycopy(buf, off, held[heldCount], 0, len);
        heldLengths[heldCount++] = len;
        return true;
    }

    /** Hands every held packet to {@code release}, in arrival order, and forgets them. */
    void release(Release release) {
        if (held == null) {
            return;
        }
        byte[][] packets = held;
        int count = heldCount;
        held = null;
        heldCount = 0;
        for (int i = 0; i < count; i++) {
            release.packet(packets[i], 0, heldLengths[i]);
        }
    }
}
