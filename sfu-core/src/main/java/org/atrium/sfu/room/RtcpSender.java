package org.atrium.sfu.room;

import org.atrium.rtp.Bye;
import org.atrium.rtp.ReceiverReport;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.ForwardingLane;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.transport.WebRtcTransport;

/**
 * The RTCP the SFU sends one participant of its own accord (what answers the participant's
 * own RTCP is {@link RtcpReceiver}'s): on the server's timer, its reports, NACKs for what
 * it publishes and congestion feedback on its uplink; and the BYE that ends a stream it
 * receives.
 */
final class RtcpSender {

    private final WebRtcTransport transport;
    private final ParticipantSink sink;
    private final RtcpReports reports;
    private final UplinkFeedback uplink;
    /** Where the streams this participant receives are sent from, or null: inline. */
    private final ForwardingLane lane;
    private final long feedbackSsrc;

    RtcpSender(WebRtcTransport transport, ParticipantSink sink, UplinkFeedback uplink, ForwardingLane lane,
            long feedbackSsrc) {
        this.transport = transport;
        this.sink = sink;
        this.reports = new RtcpReports(feedbackSsrc);
        this.uplink = uplink;
        this.lane = lane;
        this.feedbackSsrc = feedbackSsrc;
    }

    /**
     * Sends the RTCP that is due: Sender and Receiver Reports about once a second
     * (RFC 3550 6.2) and transport-wide congestion feedback (draft-holmer-rmcat-
     * transport-wide-cc-extensions-01) about every 100 ms. Called by the server's timer
     * every few tens of ms.
     */
    void sendDue(Producer[] producers, Consumer[] consumers, long nowMicros) {
        if (transport.isMediaReady()) {
            long nowNanos = nowMicros * 1000;
            reports.sendIfDue(producers, consumers, sink, nowNanos);
            for (Producer producer : producers) {
                producer.sendNacks(nowNanos);
            }
        }
        uplink.sendDue(producers, nowMicros, transport.isMediaReady(), sink);
    }

    /**
     * Tells this participant that a stream it received has ended (RTCP BYE, RFC 3550
     * 6.6), after an empty Receiver Report since a compound starts with a report; then
     * frees the stream's SRTP state, so that a long stay in a busy room does not run out
     * of SSRC slots.
     */
    void sendBye(Consumer consumer) {
        // On the receiver's lane, after the stream's last queued packets: no packet of it
        // follows its BYE, and none recreates the SRTP state freed here.
        if (lane == null || !lane.runAfterQueued(() -> sendByeNow(consumer))) {
            sendByeNow(consumer);
        }
    }

    private void sendByeNow(Consumer consumer) {
        byte[] packet = new byte[ReceiverReport.MIN_LENGTH + 12];
        int length = ReceiverReport.write(packet, 0, feedbackSsrc, 0);
        long[] ssrcs = consumer.rtxSsrc() >= 0 ? new long[] {consumer.ssrc(), consumer.rtxSsrc()}
                : new long[] {consumer.ssrc()};
        length += Bye.write(packet, length, ssrcs, ssrcs.length, null);
        transport.sendRtcp(packet, 0, length);
        for (long ssrc : ssrcs) {
            transport.forgetSentSsrc(ssrc);
        }
    }
}
