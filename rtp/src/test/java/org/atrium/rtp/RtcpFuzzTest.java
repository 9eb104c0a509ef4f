package org.atrium.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzz target for compound RTCP: the iterator, the validator and every packet view. Without
 * JAZZER_FUZZ it runs the committed inputs in {@code RtcpFuzzTestInputs/compound/} (see
 * docs/fuzzing.md). The contract: nothing throws, each packet the iterator yields lies inside the
 * compound, and a view whose {@code is} accepted a packet reads only inside that packet. Each
 * packet is copied into an array of its own length, so a read past it throws.
 */
class RtcpFuzzTest {
    private static final int MAX_INPUT = 4096;

    private final RtcpIterator packets = new RtcpIterator();
    private final SdesIterator items = new SdesIterator();
    private final TransportCcFeedback.Reader feedback = new TransportCcFeedback.Reader();
    private final int[] lost = new int[128];

    @FuzzTest(maxDuration = "60s")
    void compound(byte[] input) {
        if (input.length > MAX_INPUT) {
            return;
        }
        int len = input.length;
        PacketError valid = RtcpCompound.validate(input, 0, len);
        RtcpHeader.looksLikeRtcp(input, 0, len);

        int end = 0;
        packets.reset(input, 0, len);
        while (packets.next()) {
            int off = packets.offset();
            int plen = packets.length();
            assertEquals(end, off, "packets follow each other without gaps");
            assertTrue(plen >= RtcpHeader.LENGTH && off + plen <= len, "packet inside the compound");
            assertEquals(RtcpHeader.packetType(input, off), packets.packetType());
            end = off + plen;
            readViews(Arrays.copyOfRange(input, off, off + plen));
        }
        if (len > 0) {
            assertEquals(valid, packets.error(), "iterator and validator agree on the first error");
            assertEquals(valid == null, end == len, "a valid compound is walked to its end");
        }
        // The views' is() checks are documented to be safe on their own, without the iterator.
        readViews(input);
    }

    /** Calls every view whose {@code is} accepts the packet at the start of {@code p}, and all its accessors. */
    private void readViews(byte[] p) {
        int len = p.length;
        if (SenderReport.is(p, 0, len)) {
            SenderReport.senderSsrc(p, 0);
            SenderReport.ntpTimestamp(p, 0);
            SenderReport.compactNtp(p, 0);
            SenderReport.rtpTimestamp(p, 0);
            SenderReport.packetCount(p, 0);
            SenderReport.octetCount(p, 0);
            for (int i = 0; i < SenderReport.reportCount(p, 0); i++) {
                readReportBlock(p, SenderReport.reportBlockOffset(p, 0, i));
            }
        }
        if (ReceiverReport.is(p, 0, len)) {
            ReceiverReport.senderSsrc(p, 0);
            for (int i = 0; i < ReceiverReport.reportCount(p, 0); i++) {
                readReportBlock(p, ReceiverReport.reportBlockOffset(p, 0, i));
            }
        }
        if (Sdes.is(p, 0, len)) {
            Sdes.cname(p, 0, len);
            Sdes.chunkCount(p, 0);
        }
        items.reset(p, 0, len);
        int itemCount = 0;
        while (items.nextItem()) {
            assertTrue(items.itemOffset() >= 0 && items.itemOffset() + items.itemLength() <= len, "SDES item inside");
            items.ssrc();
            items.itemType();
            assertTrue(++itemCount <= len, "the SDES iterator always advances");
        }
        if (Bye.is(p, 0, len)) {
            for (int i = 0; i < Bye.ssrcCount(p, 0); i++) {
                Bye.ssrc(p, 0, i);
            }
            int reason = Bye.reasonOffset(p, 0);
            assertTrue(reason == -1 || reason + Bye.reasonLength(p, 0) <= len, "BYE reason inside");
            Bye.reason(p, 0);
        }
        if (len >= RtcpHeader.LENGTH
            && RtcpFeedback.is(p, 0, len, RtcpHeader.packetType(p, 0), RtcpHeader.countOrFormat(p, 0), 0)) {
            RtcpFeedback.senderSsrc(p, 0);
            RtcpFeedback.mediaSsrc(p, 0);
            assertTrue(RtcpFeedback.fciOffset(p, 0) + RtcpFeedback.fciLength(p, 0) <= len, "FCI inside");
        }
        if (Nack.is(p, 0, len)) {
            for (int i = 0; i < Nack.pairCount(p, 0); i++) {
                Nack.pid(p, 0, i);
                Nack.blp(p, 0, i);
            }
            int n = Nack.lostSequences(p, 0, lost);
            assertTrue(n >= 1 && n <= Math.min(lost.length, Nack.lostCount(p, 0)), "NACK reports at least its PID");
        }
        if (Pli.is(p, 0, len)) {
            RtcpFeedback.mediaSsrc(p, 0);
        }
        if (Fir.is(p, 0, len)) {
            int entries = Fir.entryCount(p, 0);
            assertTrue(entries >= 1);
            for (int i = 0; i < entries; i++) {
                Fir.entrySsrc(p, 0, i);
                Fir.entrySequence(p, 0, i);
            }
        }
        if (Remb.is(p, 0, len)) {
            assertTrue(Remb.bitrate(p, 0) >= 0, "REMB bitrate is never negative");
            for (int i = 0; i < Remb.ssrcCount(p, 0); i++) {
                Remb.ssrc(p, 0, i);
            }
        }
        if (TransportCcFeedback.is(p, 0, len)) {
            TransportCcFeedback.baseSequence(p, 0);
            TransportCcFeedback.referenceTimeMicros(p, 0);
            TransportCcFeedback.feedbackPacketCount(p, 0);
        }
        if (feedback.reset(p, 0, len)) {
            int count = TransportCcFeedback.packetStatusCount(p, 0);
            int statuses = 0;
            while (feedback.next()) {
                statuses++;
                assertEquals((TransportCcFeedback.baseSequence(p, 0) + statuses - 1) & 0xFFFF, feedback.sequence());
                assertTrue(feedback.status() >= 0 && feedback.status() <= 2, "no reserved status is reported");
                assertEquals(feedback.received(), feedback.status() != TransportCcFeedback.STATUS_NOT_RECEIVED);
            }
            assertEquals(count, statuses, "the reader yields exactly the status count");
        } else {
            assertTrue(!feedback.next(), "a rejected packet yields no status");
        }
    }

    private static void readReportBlock(byte[] p, int at) {
        assertTrue(at + ReportBlock.LENGTH <= p.length, "report block inside");
        ReportBlock.ssrc(p, at);
        ReportBlock.fractionLost(p, at);
        ReportBlock.cumulativeLost(p, at);
        ReportBlock.highestSequence(p, at);
        ReportBlock.jitter(p, at);
        ReportBlock.lastSr(p, at);
        ReportBlock.delaySinceLastSr(p, at);
    }
}
