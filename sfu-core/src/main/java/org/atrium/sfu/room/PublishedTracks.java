package org.atrium.sfu.room;

import org.atrium.rtp.RtpPacket;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.media.ReceiveStream;
import org.atrium.sfu.stats.DropReason;
import org.atrium.sfu.stats.SfuMetrics;
import org.atrium.sfu.transport.WebRtcTransport;
import org.atrium.sfu.util.ArraySnapshots;
import org.atrium.sfu.util.LogContext;

/**
 * The tracks one participant publishes (its producers), and the routing of each RTP packet
 * it sends to the producer and stream of the packet's SSRC. An SSRC no stream has yet is
 * bound from the packet's RID, for simulcast ({@link RidBinder}); anything else is dropped
 * and counted.
 *
 * <p>The producers are a small array replaced on change (under this object's lock) and
 * scanned on each packet: a participant has a handful of producers, and a scan beats
 * hashing boxed SSRCs. {@link #onRtp} runs on the transport's receive thread, takes no
 * lock and allocates nothing.
 */
final class PublishedTracks {

    /** Under Participant's name, where these lines were logged before this class was split from it. */
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Participant.class);

    private final LogContext logContext;
    private final SfuMetrics metrics;
    /** Receive thread only. */
    private final RidBinder ridBinder;
    private volatile Producer[] producers = new Producer[0];

    PublishedTracks(LogContext logContext, RidBinder ridBinder, SfuMetrics metrics) {
        this.logContext = logContext;
        this.ridBinder = ridBinder;
        this.metrics = metrics;
    }

    /** The live array, not to be changed. */
    Producer[] array() {
        return producers;
    }

    synchronized void add(Producer producer) {
        producers = ArraySnapshots.with(producers, producer);
    }

    synchronized void remove(Producer producer) {
        producers = ArraySnapshots.without(producers, producer);
    }

    Producer forMid(String mid) {
        for (Producer producer : producers) {
            if (producer.mid().equals(mid)) {
                return producer;
            }
        }
        return null;
    }

    /** True when one of the tracks uses the SSRC, as main or RTX stream. */
    boolean receivesSsrc(long ssrc) {
        for (Producer producer : producers) {
            if (producer.usesSsrc(ssrc)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Frees the receive-side SRTP state of a closed producer's SSRCs, so that a participant
     * who starts and stops tracks all day (screen sharing, camera switches) never runs out
     * of SSRC slots. An SSRC that a live producer still uses keeps its state: a re-publish
     * under the same SSRC must keep its rollover counter.
     */
    void forgetReceivedSsrcs(Producer closed, WebRtcTransport transport) {
        for (ReceiveStream stream : closed.streams()) {
            for (long ssrc : new long[] {stream.ssrc(), stream.rtxSsrc()}) {
                if (ssrc >= 0 && !receivesSsrc(ssrc)) {
                    transport.forgetReceivedSsrc(ssrc);
                }
            }
        }
    }

    /** An authenticated RTP packet from the participant: to the producer of its SSRC. */
    void onRtp(byte[] buf, int off, int len, long receivedNanos) {
        long ssrc = RtpPacket.ssrc(buf, off);
        Producer[] current = producers;
        for (Producer producer : current) {
            int stream = producer.streamOf(ssrc);
            if (stream >= 0) {
                metrics.rtpReceived(producer.kind(), len);
                producer.receive(stream, buf, off, len, receivedNanos);
                return;
            }
        }
        switch (ridBinder.bind(current, buf, off, len, ssrc, receivedNanos)) {
            case MEDIA -> {
                logBinding(ridBinder.boundStream(), ssrc, false);
                metrics.rtpReceived(MediaKind.VIDEO, len);
                ridBinder.boundProducer().forward(ridBinder.boundStream(), buf, off, len, receivedNanos);
            }
            case REPAIR -> {
                logBinding(ridBinder.boundStream(), ssrc, true);
                metrics.rtpReceived(MediaKind.VIDEO, len);
                ridBinder.boundProducer().forwardRetransmission(ridBinder.boundStream(), buf, off, len, receivedNanos);
            }
            case UNKNOWN_RID -> metrics.drop(DropReason.UNKNOWN_RID);
            case CONFLICT -> metrics.drop(DropReason.SSRC_CONFLICT);
            default -> metrics.drop(DropReason.NO_ROUTE);
        }
    }

    private void logBinding(ReceiveStream stream, long ssrc, boolean repair) {
        try (LogContext.Scope scope = logContext.open()) {
            LOG.info("Simulcast encoding rid {} is {}ssrc {}", stream.rid(), repair ? "RTX " : "", ssrc);
        }
    }
}
