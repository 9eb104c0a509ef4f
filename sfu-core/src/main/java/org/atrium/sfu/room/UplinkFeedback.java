package org.atrium.sfu.room;

import java.util.IdentityHashMap;
import java.util.Map;
import org.atrium.rtp.Remb;
import org.atrium.rtp.TransportCcExtension;
import org.atrium.sfu.cc.CongestionFeedback;
import org.atrium.sfu.cc.LossBasedRateEstimator;
import org.atrium.sfu.cc.TransportCcFeedbackGenerator;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.media.ReceiveStream;

/**
 * What the SFU tells a publisher about the media it receives from it, so that the
 * publisher's encoder adapts to its uplink: transport-wide congestion feedback about every
 * 100 ms (draft-holmer-rmcat-transport-wide-cc-extensions-01), and for a publisher whose
 * answer dropped transport-cc, REMB from a loss-based estimate about once a second.
 *
 * <p>Packets are counted on the transport's receive thread ({@link #onPacket}); feedback
 * is built on the server's timer thread ({@link #sendDue}).
 */
final class UplinkFeedback {

    private static final long REMB_INTERVAL_NANOS = 1_000_000_000L;

    /** Where the feedback goes: the participant's transport. */
    interface RtcpOut {
        boolean sendRtcp(byte[] buf, int off, int len);
    }

    private final int transportCcExtensionId;
    private final long feedbackSsrc;
    private final TransportCcFeedbackGenerator transportCc = new TransportCcFeedbackGenerator();
    /** Built on the timer thread only. */
    private final byte[] buffer = new byte[1200];
    private volatile CongestionFeedback mode = CongestionFeedback.TRANSPORT_CC;
    /** Timer thread only: the REMB fallback. */
    private final LossBasedRateEstimator rembEstimator = new LossBasedRateEstimator();
    private final Map<Producer, long[]> rembLast = new IdentityHashMap<>();
    private long rembNextNanos;

    /**
     * @param transportCcExtensionId the transport-wide sequence number's header extension id, or 0 for none
     * @param feedbackSsrc the sender SSRC of the SFU's RTCP to this participant
     */
    UplinkFeedback(int transportCcExtensionId, long feedbackSsrc) {
        this.transportCcExtensionId = transportCcExtensionId;
        this.feedbackSsrc = feedbackSsrc;
    }

    CongestionFeedback mode() {
        return mode;
    }

    void setMode(CongestionFeedback feedback) {
        mode = feedback;
    }

    /** An authenticated RTP packet from the publisher: every one counts, RTX and padding too. */
    void onPacket(byte[] buf, int off, int len, long receivedNanos) {
        if (transportCcExtensionId > 0) {
            int transportSequence = TransportCcExtension.sequence(buf, off, len, transportCcExtensionId);
            if (transportSequence >= 0) {
                transportCc.onPacket(transportSequence, receivedNanos / 1000);
            }
        }
    }

    /**
     * Sends what is due: REMB (when that is the mode, once media flows) and transport-wide
     * feedback.
     *
     * @param mediaReady whether the transport carries media yet
     */
    void sendDue(Producer[] producers, long nowMicros, boolean mediaReady, RtcpOut out) {
        if (mediaReady && mode == CongestionFeedback.REMB) {
            sendRembIfDue(producers, nowMicros * 1000, out);
        }
        if (!transportCc.isDue(nowMicros)) {
            return;
        }
        long mediaSsrc = 0;
        for (Producer producer : producers) {
            if (producer.isBound()) {
                mediaSsrc = producer.ssrc();
                break;
            }
        }
        int length;
        while ((length = transportCc.buildFeedback(buffer, 0, feedbackSsrc, mediaSsrc, nowMicros)) > 0) {
            out.sendRtcp(buffer, 0, length);
        }
    }

    /**
     * Once a second, for a publisher without transport-cc: the loss-based estimate of
     * what it may send, as REMB for all its streams.
     */
    private void sendRembIfDue(Producer[] producers, long nowNanos, RtcpOut out) {
        if (rembNextNanos != 0 && nowNanos - rembNextNanos < 0) {
            return;
        }
        boolean first = rembNextNanos == 0;
        rembNextNanos = nowNanos + REMB_INTERVAL_NANOS;
        long bytes = 0;
        long lost = 0;
        long received = 0;
        long[] ssrcs = new long[producers.length * 4];
        int count = 0;
        for (Producer producer : producers) {
            if (!producer.isBound()) {
                continue;
            }
            for (ReceiveStream stream : producer.streams()) {
                if (stream.isBound() && count < ssrcs.length) {
                    ssrcs[count++] = stream.ssrc();
                }
            }
            long[] now = {producer.byteCount(), producer.statistics().cumulativeLost(),
                    producer.statistics().receivedCount()};
            long[] last = rembLast.put(producer, now);
            if (last != null) {
                bytes += now[0] - last[0];
                lost += Math.max(0, now[1] - last[1]);
                received += now[2] - last[2];
            }
        }
        rembLast.keySet().retainAll(java.util.List.of(producers));
        if (count == 0 || first) {
            return;
        }
        double loss = lost + received > 0 ? (double) lost / (lost + received) : 0;
        long estimate = rembEstimator.update(bytes * 8 * 1_000_000_000L / REMB_INTERVAL_NANOS, loss);
        int length = Remb.write(buffer, 0, feedbackSsrc, estimate, ssrcs, count);
        if (length > 0) {
            out.sendRtcp(buffer, 0, length);
        }
    }
}
