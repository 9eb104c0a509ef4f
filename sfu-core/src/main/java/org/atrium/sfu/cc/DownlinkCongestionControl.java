package org.atrium.sfu.cc;

import org.atrium.rtp.HeaderExtensions;

/**
 * Congestion control of what the SFU sends to one receiver: every RTP packet leaving for it
 * gets the next transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-
 * extensions-01) in the element its consumer reserved, and is recorded; the receiver's
 * transport-cc feedback, or its REMB, drives the {@link ReceiverBandwidthEstimator}.
 *
 * <p>Threads: packets are stamped by whichever thread sends to the receiver (its forwarding
 * lane, or publishers' receive threads without lanes), feedback arrives on the receiver's
 * receive thread and the allocation reads the estimate on the timer: the estimator, which is
 * not thread-safe, is used under this object's lock (uncontended but for a few feedback
 * packets a second). Nothing is allocated per packet.
 */
public final class DownlinkCongestionControl {

    /** Data bytes of the transport-wide sequence number element. */
    public static final int ELEMENT_LENGTH = 2;

    private final int extensionId;
    private final ReceiverBandwidthEstimator estimator;
    private int nextSequence;
    private volatile boolean transportCc;
    private volatile boolean feedbackSeen;
    private long sent;
    /** The probe cluster being sent now, whose packets the media sent meanwhile join. */
    private int activeCluster = SentPacketHistory.NOT_PROBE;
    private int clusterPackets;
    private long clusterBytes;

    /** @param extensionId the id of the transport-wide sequence number extension, 0 when not negotiated */
    public DownlinkCongestionControl(int extensionId, BandwidthEstimatorConfig config) {
        this.extensionId = extensionId;
        this.estimator = new ReceiverBandwidthEstimator(config);
    }

    /** The extension id consumers reserve an element for, 0 for none. */
    public int extensionId() {
        return extensionId;
    }

    /** Whether the receiver kept transport-cc in its answer, so that its packets are stamped. */
    public void setTransportCc(boolean negotiated) {
        transportCc = negotiated && extensionId > 0;
    }

    /**
     * Writes the next transport-wide sequence number into a packet about to be protected and
     * sent, and records it; a packet without the reserved element is left alone.
     *
     * @param probeCluster the probe cluster it belongs to (a padding packet), or
     *        {@link SentPacketHistory#NOT_PROBE}: then the cluster being sent, if any
     */
    public void onSending(byte[] buf, int off, int len, long nowMicros, int probeCluster) {
        if (!transportCc) {
            return;
        }
        long found = HeaderExtensions.find(buf, off, len, extensionId);
        if (found < 0 || HeaderExtensions.dataLength(found) != ELEMENT_LENGTH) {
            return;
        }
        int at = HeaderExtensions.dataOffset(found);
        synchronized (this) {
            int sequence = nextSequence;
            nextSequence = (sequence + 1) & 0xFFFF;
            buf[at] = (byte) (sequence >>> 8);
            buf[at + 1] = (byte) sequence;
            int cluster = probeCluster == SentPacketHistory.NOT_PROBE ? activeCluster : probeCluster;
            if (cluster != SentPacketHistory.NOT_PROBE && cluster == activeCluster) {
                clusterPackets++;
                clusterBytes += len;
            }
            estimator.onPacketSent(sequence, len, nowMicros, cluster);
            sent++;
        }
    }

    /**
     * A probe cluster starts: until {@link #endProbeCluster}, the media sent joins it, so that
     * its result is the total rate the link carried (the padding only tops the media up).
     */
    public synchronized void startProbeCluster(int clusterId) {
        activeCluster = clusterId;
        clusterPackets = 0;
        clusterBytes = 0;
    }

    /** The probe cluster has been sent whole: its result waits for most of what it sent. */
    public synchronized void endProbeCluster(int clusterId) {
        if (activeCluster == clusterId) {
            estimator.onProbeClusterSent(clusterId, clusterPackets, clusterBytes);
            activeCluster = SentPacketHistory.NOT_PROBE;
        }
    }

    /** The receiver's transport-cc feedback (RTPFB FMT 15); false when malformed (counted). */
    public synchronized boolean onTransportCcFeedback(byte[] buf, int off, int len, long nowMicros) {
        feedbackSeen = true;
        return estimator.onTransportCcFeedback(buf, off, len, nowMicros);
    }

    /** The receiver's REMB: for a receiver without transport-cc, the estimate follows it. */
    public synchronized void onRemb(long bitrateBps, long nowMicros) {
        feedbackSeen = true;
        estimator.onRemb(bitrateBps, nowMicros);
    }

    /**
     * True once the receiver has sent any congestion feedback. Before, nothing is known of
     * its link, and a receiver that never sends any (a plain RTP endpoint) is not adapted to.
     */
    public boolean hasFeedback() {
        return feedbackSeen;
    }

    public synchronized long estimateBps() {
        return estimator.estimateBps();
    }

    /** What a probe cluster got through, in bits/s, or -1 while unknown. */
    public synchronized long probeResultBps(int clusterId) {
        return estimator.probeResultBps(clusterId);
    }

    public synchronized long packetsSent() {
        return sent;
    }

    /** Feedback packets taken, and feedback entries about packets not sent or not remembered. */
    public synchronized long feedbackPackets() {
        return estimator.feedbackPackets();
    }

    public synchronized long ignoredFeedbackEntries() {
        return estimator.ignoredFeedbackEntries();
    }

    public synchronized double lossFraction() {
        return estimator.lossFraction();
    }

    public synchronized long rttMicros() {
        return estimator.rttMicros();
    }
}
