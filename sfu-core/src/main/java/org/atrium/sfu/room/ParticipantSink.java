package org.atrium.sfu.room;

import org.atrium.rtp.Rtx;
import org.atrium.sfu.cc.DownlinkCongestionControl;
import org.atrium.sfu.cc.Pacer;
import org.atrium.sfu.cc.SentPacketHistory;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.PacketSink;
import org.atrium.sfu.stats.DropReason;
import org.atrium.sfu.stats.SfuMetrics;
import org.atrium.sfu.transport.WebRtcTransport;
import org.atrium.srtp.SrtpSession;

/**
 * Where the SFU's packets to one participant go: the media and retransmissions of the
 * streams it receives (through the pacer while its link is slow), bandwidth probes, and
 * RTCP, to its transport. Each RTP packet is recorded by the downlink's congestion control
 * as it leaves, so that the participant's transport-wide feedback can be matched to it.
 *
 * <p>{@link #sendRtp} runs on the receiver's lane (or the publisher's receive thread) for
 * every packet: it takes no lock and allocates nothing.
 */
final class ParticipantSink implements PacketSink, UplinkFeedback.RtcpOut {

    private final WebRtcTransport transport;
    private final DownlinkCongestionControl downlink;
    private final SfuMetrics metrics;
    /** When the participant joined: its first media sent is timed from then. */
    private final long joinedNanos;
    private final Pacer pacer;
    private volatile boolean mediaSent;

    ParticipantSink(WebRtcTransport transport, DownlinkCongestionControl downlink, SfuMetrics metrics,
            long joinedNanos, java.util.concurrent.ScheduledExecutorService timers) {
        this.transport = transport;
        this.downlink = downlink;
        this.metrics = metrics;
        this.joinedNanos = joinedNanos;
        this.pacer = new Pacer(this::sendNow, timers, Consumer.MAX_PACKET + Rtx.OSN_LENGTH + SrtpSession.MAX_TRAILER);
    }

    /**
     * Media and retransmissions: offered to the pacer while this participant's link is slow,
     * which queues them when the link's budget is spent; sent from here otherwise.
     */
    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
        if (pacer.isActive()) {
            int paced = pacer.offer(buf, off, len, SentPacketHistory.NOT_PROBE);
            if (paced == Pacer.QUEUED) {
                return true;
            }
            if (paced == Pacer.DROPPED) {
                metrics.drop(DropReason.QUEUE_FULL);
                return false;
            }
        }
        return sendNow(buf, off, len, SentPacketHistory.NOT_PROBE);
    }

    /** Probes are paced by their prober, at their own rate: never queued behind media. */
    @Override
    public boolean sendProbe(byte[] buf, int off, int len, int cluster) {
        return sendNow(buf, off, len, cluster);
    }

    private boolean sendNow(byte[] buf, int off, int len, int cluster) {
        downlink.onSending(buf, off, len, System.nanoTime() / 1000, cluster);
        if (!transport.sendRtp(buf, off, len)) {
            return false;
        }
        if (!mediaSent) {
            mediaSent = true;
            metrics.firstMediaSent(System.nanoTime() - joinedNanos);
        }
        return true;
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
        return transport.sendRtcp(buf, off, len);
    }

    /** Paces to a new downlink estimate; counts the packets that no longer fit the queue as dropped. */
    void setEstimate(long estimateBps) {
        for (int dropped = pacer.setEstimate(estimateBps); dropped > 0; dropped--) {
            metrics.drop(DropReason.QUEUE_FULL);
        }
    }

    /** Drops what the pacer still holds; nothing is sent after. */
    void close() {
        pacer.close();
    }
}
