package org.atrium.sfu;

import static org.atrium.sfu.peer.RtpPacketBuilder.rtp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.atrium.rtp.Bye;
import org.atrium.rtp.ReceiverReport;
import org.atrium.rtp.ReportBlock;
import org.atrium.rtp.SenderReport;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.rtcp.NtpTime;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SFU terminates RTCP on each leg between real peers: it reports reception to the
 * publisher (RR, with the loss it saw) and sends its own SRs to the receiver, whose
 * NTP/RTP pair follows the publisher's through the SFU's timestamp rewriting.
 */
@Timeout(60)
class RtcpReportsTest {

    private static final int VP8 = 96;
    private static final long PUBLISHER_SSRC = 0x01020304L;
    private static final Duration WAIT = Duration.ofSeconds(5);

    @AutoClose
    private final SfuFixture fixture = new SfuFixture();

    @Test
    void publisherGetsReceiverReportsAndReceiverGetsMappedSenderReports() throws Exception {
        PeerInRoom publisher = fixture.connected("room", "publisher");
        PeerInRoom subscriber = fixture.connected("room", "subscriber");
        publisher.participant().publish("1", MediaKind.VIDEO, PUBLISHER_SSRC, -1);
        Consumer consumer = subscriber.listener().nextConsumerAdded(WAIT);
        consumer.resume();

        // 100 packets with 10 of them never sent: the SFU sees 10 % loss upstream.
        long baseTimestamp = 3_000_000L;
        for (int i = 0; i < 100; i++) {
            if (i % 10 == 5) {
                continue;
            }
            publisher.peer().sendRtp(rtp(PUBLISHER_SSRC, VP8).sequenceNumber(1000 + i)
                    .timestamp(baseTimestamp + 3000L * i).payload(new byte[] {0x10, 0, 0, 0, 1, 2, 3}).build());
        }
        // The publisher's SR: its wall clock now maps to the timestamp of packet 100.
        long publisherNtp = NtpTime.now();
        long publisherRtp = baseTimestamp + 3000L * 100;
        byte[] sr = new byte[SenderReport.MIN_LENGTH];
        SenderReport.write(sr, 0, PUBLISHER_SSRC, publisherNtp, publisherRtp, 90, 630, 0);
        publisher.peer().sendRtcp(sr);

        // Upstream: an RR from the SFU about the publisher's stream.
        byte[] block = awaitReportBlock(publisher, PUBLISHER_SSRC);
        assertEquals(publisher.participant().feedbackSsrc(), ReceiverReport.senderSsrc(block, 0));
        int blockOffset = ReceiverReport.reportBlockOffset(block, 0, 0);
        assertEquals(1000 + 99, ReportBlock.highestSequence(block, blockOffset));
        assertEquals(10, ReportBlock.cumulativeLost(block, blockOffset));

        // Downstream: an SR for the consumer's SSRC, on the publisher's line shifted by the
        // consumer's timestamp offset: timestamps of packets it forwarded tell the offset.
        byte[] forwarded = subscriber.peer().pollRtp(WAIT);
        assertNotNull(forwarded);
        long offset = (org.atrium.rtp.RtpPacket.timestamp(forwarded, 0) - baseTimestamp) & 0xFFFFFFFFL;
        byte[] consumerSr = awaitSenderReport(subscriber, consumer.ssrc());
        long ntp = SenderReport.ntpTimestamp(consumerSr, 0);
        long rtp = SenderReport.rtpTimestamp(consumerSr, 0);
        double elapsedSeconds = (NtpTime.toUnixMillis(ntp) - NtpTime.toUnixMillis(publisherNtp)) / 1000.0;
        long expected = (publisherRtp + Math.round(elapsedSeconds * 90000) + offset) & 0xFFFFFFFFL;
        long error = Math.abs(((rtp - expected) << 32) >> 32);
        // The SFU anchors the publisher's line at the SR's arrival, so the SR's transit and
        // handling time (a few ms on loopback, more on a busy machine) shows as an offset;
        // lip sync needs only that audio and video of one sender share it.
        assertTrue(error <= 90 * 50, "SR RTP timestamp within 50 ms of the publisher's line: off by " + error);
        assertTrue(SenderReport.packetCount(consumerSr, 0) >= 90, "the consumer's own packet count");
    }

    @Test
    void receiverGetsByeForTheStreamsOfAPublisherWhoLeaves() throws Exception {
        PeerInRoom publisher = fixture.connected("room", "publisher");
        PeerInRoom subscriber = fixture.connected("room", "subscriber");
        publisher.participant().publish("1", MediaKind.VIDEO, PUBLISHER_SSRC, PUBLISHER_SSRC + 1);
        Consumer consumer = subscriber.listener().nextConsumerAdded(WAIT);
        consumer.resume();
        publisher.participant().leave();

        byte[] bye = SfuFixture.awaitRtcp(subscriber.peer(), WAIT, "BYE",
                (b, off, len) -> Bye.is(b, off, len));
        assertEquals(2, Bye.ssrcCount(bye, 0));
        assertEquals(consumer.ssrc(), Bye.ssrc(bye, 0, 0));
        assertEquals(consumer.rtxSsrc(), Bye.ssrc(bye, 0, 1));
    }

    private static byte[] awaitReportBlock(PeerInRoom peer, long sourceSsrc) throws InterruptedException {
        return SfuFixture.awaitRtcp(peer.peer(), WAIT, "receiver report about " + sourceSsrc,
                (b, off, len) -> ReceiverReport.is(b, off, len) && ReceiverReport.reportCount(b, off) > 0
                        && ReportBlock.ssrc(b, ReceiverReport.reportBlockOffset(b, off, 0)) == sourceSsrc);
    }

    private static byte[] awaitSenderReport(PeerInRoom peer, long ssrc) throws InterruptedException {
        return SfuFixture.awaitRtcp(peer.peer(), WAIT, "sender report for " + ssrc,
                (b, off, len) -> SenderReport.is(b, off, len) && SenderReport.senderSsrc(b, off) == ssrc);
    }
}
