package org.atrium.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.atrium.rtp.codec.H264Payload;
import org.atrium.rtp.codec.Vp8PayloadDescriptor;
import org.junit.jupiter.api.Test;

/**
 * Mutated real packets through every parser: nothing may throw, and whatever a parser accepts must
 * keep its accessors inside the packet. A fixed seed keeps failures reproducible.
 */
class MalformedInputTest {
    private static final int ROUNDS = 20_000;

    @Test
    void rtpParsersNeverThrowOnMutatedPackets() {
        Random random = new Random(8285);
        String[] seeds = {RtpPacketTest.CHROME_OPUS, HeaderExtensionsTest.RFC8285_ONE_BYTE, HeaderExtensionsTest.RFC8285_TWO_BYTE};
        byte[] idMap = {0, 3, 0, (byte) 200, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 15};
        byte[] dst = new byte[2048];
        for (int round = 0; round < ROUNDS; round++) {
            byte[] packet = mutate(Hex.bytes(seeds[round % seeds.length]), random);
            int len = random.nextInt(packet.length + 1);
            if (RtpPacket.validate(packet, 0, len) != null) {
                continue;
            }
            int payloadOffset = RtpPacket.payloadOffset(packet, 0, len);
            int payloadLength = RtpPacket.payloadLength(packet, 0, len);
            assertTrue(payloadLength >= 0 && payloadOffset + payloadLength <= len);
            for (int id = 0; id < 256; id++) {
                long found = HeaderExtensions.find(packet, 0, len, id);
                assertTrue(found == -1
                    || HeaderExtensions.dataOffset(found) + HeaderExtensions.dataLength(found) <= len);
            }
            int written = HeaderExtensions.copyWithExtensions(packet, 0, len, dst, 0, idMap);
            assertNull(RtpPacket.validate(dst, 0, written), "copy of a valid packet is valid");
            assertEquals(payloadLength, RtpPacket.payloadLength(dst, 0, written));
            Vp8PayloadDescriptor.isKeyframe(packet, payloadOffset, payloadLength);
            Vp8PayloadDescriptor.pictureId(packet, payloadOffset, payloadLength);
            H264Payload.isKeyframe(packet, payloadOffset, payloadLength);
        }
    }

    @Test
    void rtcpParsersNeverThrowOnMutatedCompounds() {
        Random random = new Random(3550);
        String[] seeds = {
            RtcpPackets.RR + RtcpPackets.SDES_CNAME,
            RtcpPackets.SR + RtcpPackets.BYE + RtcpPackets.PLI,
            RtcpPackets.NACK + RtcpPackets.TRANSPORT_CC + RtcpPackets.REMB + RtcpPackets.FIR,
        };
        RtcpIterator packets = new RtcpIterator();
        SdesIterator items = new SdesIterator();
        int[] lost = new int[64];
        for (int round = 0; round < ROUNDS; round++) {
            byte[] compound = mutate(Hex.bytes(seeds[round % seeds.length]), random);
            int len = random.nextInt(compound.length + 1);
            RtcpCompound.validate(compound, 0, len);
            packets.reset(compound, 0, len);
            while (packets.next()) {
                int off = packets.offset();
                int plen = packets.length();
                assertTrue(off + plen <= len);
                if (Nack.is(compound, off, plen)) {
                    Nack.lostSequences(compound, off, lost);
                }
                if (Fir.is(compound, off, plen)) {
                    Fir.entrySequence(compound, off, Fir.entryCount(compound, off) - 1);
                }
                if (Remb.is(compound, off, plen) && Remb.ssrcCount(compound, off) > 0) {
                    Remb.ssrc(compound, off, Remb.ssrcCount(compound, off) - 1);
                }
                if (TransportCcFeedback.is(compound, off, plen)) {
                    TransportCcFeedback.feedbackPacketCount(compound, off);
                }
                if (SenderReport.is(compound, off, plen) && SenderReport.reportCount(compound, off) > 0) {
                    ReportBlock.delaySinceLastSr(compound,
                        SenderReport.reportBlockOffset(compound, off, SenderReport.reportCount(compound, off) - 1));
                }
                if (ReceiverReport.is(compound, off, plen) && ReceiverReport.reportCount(compound, off) > 0) {
                    ReportBlock.delaySinceLastSr(compound,
                        ReceiverReport.reportBlockOffset(compound, off, ReceiverReport.reportCount(compound, off) - 1));
                }
                if (Bye.is(compound, off, plen)) {
                    Bye.reason(compound, off);
                }
                if (Sdes.is(compound, off, plen)) {
                    items.reset(compound, off, plen);
                    while (items.nextItem()) {
                        assertTrue(items.itemOffset() + items.itemLength() <= off + plen);
                    }
                }
            }
        }
    }

    /** Flips a few random bytes, biased towards the headers where the lengths and counts live. */
    private static byte[] mutate(byte[] packet, Random random) {
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++) {
            int at = random.nextBoolean() ? random.nextInt(Math.min(24, packet.length)) : random.nextInt(packet.length);
            packet[at] = (byte) random.nextInt(256);
        }
        return packet;
    }
}
