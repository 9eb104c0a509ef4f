package org.atrium.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.atrium.rtp.HeaderExtensions;
import org.atrium.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

/** Stamping transport-wide sequence numbers into what the SFU sends a receiver, and its feedback. */
class DownlinkCongestionControlTest {

    private static final int ID = 3;

    /** A packet with the element a consumer reserves: one-byte form, id 3, two zero bytes. */
    private static byte[] reserved() {
        byte[] packet = new byte[12 + 8 + 10];
        RtpPacket.writeHeader(packet, 0, false, 96, 7, 1000, 42);
        RtpPacket.setExtension(packet, 0, true);
        packet[12] = (byte) 0xBE;
        packet[13] = (byte) 0xDE;
        packet[15] = 1;
        packet[16] = (byte) (ID << 4 | 1);
        return packet;
    }

    private static int stamped(byte[] packet) {
        long found = HeaderExtensions.find(packet, 0, packet.length, ID);
        int at = HeaderExtensions.dataOffset(found);
        return (packet[at] & 0xFF) << 8 | packet[at + 1] & 0xFF;
    }

    @Test
    void eachPacketGetsTheNextSequenceNumberWrappingAt16Bits() {
        DownlinkCongestionControl control = new DownlinkCongestionControl(ID, BandwidthEstimatorConfig.defaults());
        control.setTransportCc(true);
        for (int i = 0; i < 70_000; i++) {
            byte[] packet = reserved();
            control.onSending(packet, 0, packet.length, i * 100L, SentPacketHistory.NOT_PROBE);
            assertEquals(i & 0xFFFF, stamped(packet));
        }
        assertEquals(70_000, control.packetsSent());
    }

    @Test
    void nothingIsStampedWithoutTransportCcOrWithoutTheElement() {
        DownlinkCongestionControl control = new DownlinkCongestionControl(ID, BandwidthEstimatorConfig.defaults());
        byte[] packet = reserved();
        control.setTransportCc(false);
        control.onSending(packet, 0, packet.length, 0, SentPacketHistory.NOT_PROBE);
        control.setTransportCc(true);
        byte[] plain = new byte[20];
        RtpPacket.writeHeader(plain, 0, false, 96, 1, 1, 42);
        byte[] before = plain.clone();
        control.onSending(plain, 0, plain.length, 0, SentPacketHistory.NOT_PROBE);
        assertEquals(0, control.packetsSent());
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(plain));
        assertFalse(control.hasFeedback(), "no feedback yet: the receiver is not adapted to");
    }

    @Test
    void rembIsFeedbackTooAndTheEstimateFollowsIt() {
        DownlinkCongestionControl control = new DownlinkCongestionControl(ID, BandwidthEstimatorConfig.defaults());
        control.onRemb(250_000, 1_000_000);
        assertTrue(control.hasFeedback());
        assertEquals(250_000, control.estimateBps());
    }

    @Test
    void malformedFeedbackIsRefusedNotThrown() {
        DownlinkCongestionControl control = new DownlinkCongestionControl(ID, BandwidthEstimatorConfig.defaults());
        byte[] garbage = {(byte) 0x8F, (byte) 205, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        assertFalse(control.onTransportCcFeedback(garbage, 0, garbage.length, 1_000));
    }
}
