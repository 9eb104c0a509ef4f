package org.atrium.sfu;

import org.atrium.rtp.HeaderExtensions;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.RtpHeaderExtension;

/**
 * Every packet the SFU sends carries its own transport-wide sequence number, a retransmission
 * a new one: tests that compare a retransmission with the original clear it first.
 */
final class TransportWideSequence {

    private static final int ID = MediaCapabilities.defaults().extensionId(RtpHeaderExtension.TRANSPORT_CC);

    private TransportWideSequence() {
    }

    /** A copy of the packet with its transport-wide sequence number zeroed. */
    static byte[] cleared(byte[] packet) {
        byte[] copy = packet.clone();
        long found = HeaderExtensions.find(copy, 0, copy.length, ID);
        if (found >= 0) {
            for (int i = 0; i < HeaderExtensions.dataLength(found); i++) {
                copy[HeaderExtensions.dataOffset(found) + i] = 0;
            }
        }
        return copy;
    }
}
