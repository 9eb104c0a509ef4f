package org.atrium.sfu.room;

import org.atrium.rtp.ReceiverReport;
import org.atrium.rtp.Sdes;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.PacketSink;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.media.ReceiveStream;
import org.atrium.sfu.rtcp.NtpTime;
import org.atrium.sfu.rtcp.RtcpReportInterval;

/**
 * The SFU's own RTCP reports on one participant's transport (RFC 3550 6.4): a Sender
 * Report for each stream it sends there, with an NTP/RTP pair derived from the
 * publisher's own reports so that lip sync survives the rewriting, and a Receiver
 * Report with one block per stream it receives there. Each leg is reported on its own;
 * nothing is copied from another leg.
 *
 * <p>Used by the server's timer thread only.
 */
final class RtcpReports {

    /** Compound packets are kept below a typical path MTU, less the SRTCP trailer. */
    private static final int MAX_COMPOUND = 1100;
    private static final String CNAME = "atrium";

    private final long feedbackSsrc;
    private final byte[] buffer = new byte[1500];
    private long nextDueNanos;
    private boolean scheduled;

    RtcpReports(long feedbackSsrc) {
        this.feedbackSsrc = feedbackSsrc;
    }

    /** Sends the reports when they are due; returns the number of compound packets sent. */
    int sendIfDue(Producer[] producers, Consumer[] consumers, PacketSink sink, long nowNanos) {
        boolean anyVideo = false;
        for (Consumer consumer : consumers) {
            anyVideo |= consumer.kind() == MediaKind.VIDEO;
        }
        for (Producer producer : producers) {
            anyVideo |= producer.kind() == MediaKind.VIDEO;
        }
        long base = RtcpReportInterval.baseIntervalNanos(anyVideo);
        // The first report waits one interval; a report scheduled at the audio-only pace
        // comes sooner once there is video (a producer or consumer added since).
        if (!scheduled || nextDueNanos - nowNanos > base + base / 2) {
            scheduled = true;
            nextDueNanos = nowNanos + RtcpReportInterval.nextReportDelayNanos(anyVideo);
            return 0;
        }
        if (nowNanos - nextDueNanos < 0) {
            return 0;
        }
        nextDueNanos = nowNanos + RtcpReportInterval.nextReportDelayNanos(anyVideo);
        return send(producers, consumers, sink, nowNanos);
    }

    private int send(Producer[] producers, Consumer[] consumers, PacketSink sink, long nowNanos) {
        long ntp = NtpTime.now();
        int sent = 0;
        int length = 0;
        for (Consumer consumer : consumers) {
            if (!consumer.isResumed()) {
                continue;
            }
            if (length > MAX_COMPOUND - 28) {
                sent += flush(sink, length);
                length = 0;
            }
            int written = consumer.senderReports().writeSenderReport(buffer, length, consumer.ssrc(), ntp, nowNanos);
            if (written > 0) {
                length += written;
            }
        }
        // The Receiver Report: one block per stream received, up to 31 per packet.
        int blocks = 0;
        int reportStart = -1;
        for (Producer producer : producers) {
            for (ReceiveStream stream : producer.streams()) {
                if (!stream.isBound()) {
                    continue;
                }
                if (reportStart < 0 || blocks == 31 || length > MAX_COMPOUND - 24) {
                    if (reportStart >= 0) {
                        ReceiverReport.write(buffer, reportStart, feedbackSsrc, blocks);
                    }
                    if (length > MAX_COMPOUND - 32) {
                        sent += flush(sink, length);
                        length = 0;
                    }
                    reportStart = length;
                    length += ReceiverReport.MIN_LENGTH;
                    blocks = 0;
                }
                int written = stream.statistics().writeReportBlock(buffer, length, stream.ssrc(), nowNanos);
                if (written > 0) {
                    length += written;
                    blocks++;
                }
            }
        }
        if (reportStart >= 0) {
            ReceiverReport.write(buffer, reportStart, feedbackSsrc, blocks);
        } else if (length == 0) {
            // RFC 3550 6.1: a compound starts with a report, even an empty one.
            ReceiverReport.write(buffer, 0, feedbackSsrc, 0);
            length = ReceiverReport.MIN_LENGTH;
        }
        sent += flush(sink, length);
        return sent;
    }

    /** Ends the compound with SDES CNAME (RFC 3550 6.1) and sends it. */
    private int flush(PacketSink sink, int length) {
        if (length == 0) {
            return 0;
        }
        length += Sdes.writeCname(buffer, length, feedbackSsrc, CNAME);
        return sink.sendRtcp(buffer, 0, length) ? 1 : 0;
    }
}
