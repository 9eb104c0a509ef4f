package org.atrium.sfu.room;

import org.atrium.rtp.Fir;
import org.atrium.rtp.Nack;
import org.atrium.rtp.Pli;
import org.atrium.rtp.ReceiverReport;
import org.atrium.rtp.Remb;
import org.atrium.rtp.ReportBlock;
import org.atrium.rtp.RtcpFeedback;
import org.atrium.rtp.RtcpIterator;
import org.atrium.rtp.RtcpPacketType;
import org.atrium.rtp.SenderReport;
import org.atrium.rtp.TransportCcFeedback;
import org.atrium.sfu.cc.DownlinkCongestionControl;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.media.ReceiveStream;
import org.atrium.sfu.rtcp.NtpTime;
import org.atrium.sfu.stats.SfuMetrics;

/**
 * The RTCP a participant sends the SFU, as publisher and as receiver. As publisher: its
 * Sender Reports (the NTP/RTP pair of each stream). As receiver, about the streams the SFU
 * sends it: report blocks (round-trip time, loss), NACKs (retransmitted from the cache),
 * PLI and FIR (a keyframe request to the publisher), transport-wide feedback and REMB (its
 * downlink estimate). Runs on the transport's receive thread; nothing here throws on
 * malformed input, which {@link RtcpIterator} and each packet's {@code is} check skip.
 */
final class RtcpReceiver {

    private final Participant participant;
    private final DownlinkCongestionControl downlink;
    private final SfuMetrics metrics;
    private final RtcpIterator iterator = new RtcpIterator();
    /** Sequence numbers of one NACK. */
    private final int[] lostScratch = new int[256];

    RtcpReceiver(Participant participant, DownlinkCongestionControl downlink, SfuMetrics metrics) {
        this.participant = participant;
        this.downlink = downlink;
        this.metrics = metrics;
    }

    /** One compound RTCP packet from the participant, already decrypted. */
    void onRtcp(byte[] buf, int off, int len) {
        RtcpIterator packets = iterator;
        packets.reset(buf, off, len);
        long nowNanos = System.nanoTime();
        long ntpNow = 0;
        while (packets.next()) {
            int type = packets.packetType();
            int packetOffset = packets.offset();
            int packetLength = packets.length();
            if (type == RtcpPacketType.SR && SenderReport.is(buf, packetOffset, packetLength)) {
                ntpNow = ntpNow == 0 ? NtpTime.now() : ntpNow;
                onSenderReport(buf, packetOffset, nowNanos);
                onReportBlocks(buf, packetOffset, SenderReport.reportCount(buf, packetOffset), true, ntpNow);
                continue;
            }
            if (type == RtcpPacketType.RR && ReceiverReport.is(buf, packetOffset, packetLength)) {
                ntpNow = ntpNow == 0 ? NtpTime.now() : ntpNow;
                onReportBlocks(buf, packetOffset, ReceiverReport.reportCount(buf, packetOffset), false, ntpNow);
                continue;
            }
            if (type == RtcpPacketType.RTPFB && Nack.is(buf, packetOffset, packetLength)) {
                onNack(buf, packetOffset, nowNanos);
                continue;
            }
            if (type == RtcpPacketType.RTPFB && TransportCcFeedback.is(buf, packetOffset, packetLength)) {
                downlink.onTransportCcFeedback(buf, packetOffset, packetLength, nowNanos / 1000);
                continue;
            }
            if (type != RtcpPacketType.PSFB) {
                continue;
            }
            if (Remb.is(buf, packetOffset, packetLength)) {
                downlink.onRemb(Remb.bitrate(buf, packetOffset), nowNanos / 1000);
                continue;
            }
            if (Pli.is(buf, packetOffset, packetLength)) {
                requestKeyframe(RtcpFeedback.mediaSsrc(buf, packetOffset), false);
            } else if (Fir.is(buf, packetOffset, packetLength)) {
                int entries = Fir.entryCount(buf, packetOffset);
                for (int i = 0; i < entries; i++) {
                    requestKeyframe(Fir.entrySsrc(buf, packetOffset, i), true);
                }
            }
        }
    }

    /** A receiver's NACK for a stream the SFU sends it: retransmit from the cache. */
    private void onNack(byte[] buf, int off, long nowNanos) {
        long mediaSsrc = RtcpFeedback.mediaSsrc(buf, off);
        for (Consumer consumer : participant.consumerArray()) {
            if (consumer.ssrc() == mediaSsrc) {
                int count = Nack.lostSequences(buf, off, lostScratch);
                metrics.nacksReceived(count);
                for (int i = 0; i < count; i++) {
                    consumer.onNack(lostScratch[i], nowNanos);
                }
                return;
            }
        }
    }

    /** A publisher's SR: the NTP/RTP pair of its stream, for its statistics and its consumers' SRs. */
    private void onSenderReport(byte[] buf, int off, long nowNanos) {
        long ssrc = SenderReport.senderSsrc(buf, off);
        for (Producer producer : participant.producerArray()) {
            ReceiveStream stream = producer.streamBySsrc(ssrc);
            if (stream != null) {
                producer.onSenderReport(stream, SenderReport.ntpTimestamp(buf, off), SenderReport.rtpTimestamp(buf, off),
                        nowNanos);
                return;
            }
        }
    }

    /** A receiver's report blocks about the streams the SFU sends it: round-trip times. */
    private void onReportBlocks(byte[] buf, int off, int count, boolean senderReport, long ntpNow) {
        for (int i = 0; i < count; i++) {
            int block = senderReport ? SenderReport.reportBlockOffset(buf, off, i)
                    : ReceiverReport.reportBlockOffset(buf, off, i);
            long ssrc = ReportBlock.ssrc(buf, block);
            for (Consumer consumer : participant.consumerArray()) {
                if (consumer.ssrc() == ssrc) {
                    consumer.onReceiverReport(ReportBlock.fractionLost(buf, block),
                            ReportBlock.cumulativeLost(buf, block), ReportBlock.jitter(buf, block));
                    consumer.senderReports().onReportBlock(ReportBlock.lastSr(buf, block),
                            ReportBlock.delaySinceLastSr(buf, block), ntpNow);
                    // One transport, one round trip: it also spaces the NACKs to this participant.
                    long rtt = consumer.senderReports().roundTripTimeNanos();
                    if (rtt > 0) {
                        for (Producer producer : participant.producerArray()) {
                            producer.setRoundTripTime(rtt);
                        }
                    }
                    break;
                }
            }
        }
    }

    private void requestKeyframe(long consumerSsrc, boolean fir) {
        for (Consumer consumer : participant.consumerArray()) {
            if (consumer.ssrc() == consumerSsrc) {
                consumer.onKeyframeRequest(fir);
                return;
            }
        }
    }
}
