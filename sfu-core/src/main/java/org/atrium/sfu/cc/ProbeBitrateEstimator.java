package org.atrium.sfu.cc;

import java.util.Arrays;

/**
 * The rate a probe cluster got through, from the feedback about its packets (libwebrtc's
 * ProbeBitrateEstimator; draft-ietf-rmcat-gcc-02 leaves probing to the implementation). A cluster
 * is a burst the pacer sent at a target rate above the estimate; if the path carried it, the
 * receive rate matches the send rate and the estimate may jump to it.
 *
 * <p>Once at least 80 % of the cluster's packets and bytes are acknowledged (see
 * {@link #onClusterSent}), the result is min(send rate, receive rate), where the send rate leaves
 * out the last packet sent and the receive rate the first received (each is a fence post of its
 * interval). A receive rate under 90 % of the send rate means the probe saturated the path: the
 * result is then 95 % of the receive rate. Intervals over a second, or a receive rate more than
 * twice the send rate, make the probe invalid.
 *
 * <p>Remembers the last {@value #CLUSTERS} clusters in a fixed table; allocation-free. Times in
 * microseconds.
 */
public final class ProbeBitrateEstimator {
    static final int CLUSTERS = 8;
    static final double MIN_RECEIVED_FRACTION = 0.80;
    private static final double MAX_VALID_RATIO = 2.0;
    private static final double MIN_RATIO_UNSATURATED = 0.9;
    private static final double TARGET_UTILIZATION = 0.95;
    private static final long MAX_INTERVAL_MICROS = 1_000_000;
    private static final int DEFAULT_MIN_PACKETS = 5;

    private final int[] ids = new int[CLUSTERS];
    private final int[] expectedPackets = new int[CLUSTERS];
    private final long[] expectedBytes = new long[CLUSTERS];
    private final long[] firstSend = new long[CLUSTERS];
    private final long[] lastSend = new long[CLUSTERS];
    private final int[] lastSendSize = new int[CLUSTERS];
    private final long[] firstReceive = new long[CLUSTERS];
    private final int[] firstReceiveSize = new int[CLUSTERS];
    private final long[] lastReceive = new long[CLUSTERS];
    private final int[] packets = new int[CLUSTERS];
    private final long[] bytes = new long[CLUSTERS];
    private final long[] results = new long[CLUSTERS];
    private final long[] touched = new long[CLUSTERS];
    private long clock;
    private long lastResultBps = -1;
    private int lastResultCluster = -1;

    public ProbeBitrateEstimator() {
        Arrays.fill(ids, -1);
    }

    /** Declares what a cluster sent in all, so that its result waits for most of it. */
    public void onClusterSent(int clusterId, int packetCount, long byteCount) {
        int s = slot(clusterId);
        expectedPackets[s] = packetCount;
        expectedBytes[s] = byteCount;
    }

    /**
     * Adds one received probe packet.
     *
     * @return the cluster's rate in bits per second when this packet made it computable, else -1
     */
    public long onProbePacket(int clusterId, long sendMicros, long receiveMicros, int sizeBytes) {
        if (clusterId < 0) {
            return -1;
        }
        int s = slot(clusterId);
        if (packets[s] == 0 || sendMicros < firstSend[s]) {
            firstSend[s] = sendMicros;
        }
        if (packets[s] == 0 || sendMicros > lastSend[s]) {
            lastSend[s] = sendMicros;
            lastSendSize[s] = sizeBytes;
        }
        if (packets[s] == 0 || receiveMicros < firstReceive[s]) {
            firstReceive[s] = receiveMicros;
            firstReceiveSize[s] = sizeBytes;
        }
        if (packets[s] == 0 || receiveMicros > lastReceive[s]) {
            lastReceive[s] = receiveMicros;
        }
        packets[s]++;
        bytes[s] += sizeBytes;
        int minPackets = expectedPackets[s] > 0 ? expectedPackets[s] : DEFAULT_MIN_PACKETS;
        if (packets[s] < MIN_RECEIVED_FRACTION * minPackets || bytes[s] < MIN_RECEIVED_FRACTION * expectedBytes[s]) {
            return -1;
        }
        long sendInterval = lastSend[s] - firstSend[s];
        long receiveInterval = lastReceive[s] - firstReceive[s];
        if (sendInterval <= 0 || sendInterval > MAX_INTERVAL_MICROS
            || receiveInterval <= 0 || receiveInterval > MAX_INTERVAL_MICROS) {
            return -1;
        }
        double sendBps = (bytes[s] - lastSendSize[s]) * 8e6 / sendInterval;
        double receiveBps = (bytes[s] - firstReceiveSize[s]) * 8e6 / receiveInterval;
        if (receiveBps / sendBps > MAX_VALID_RATIO) {
            return -1;
        }
        double result = Math.min(sendBps, receiveBps);
        if (receiveBps < MIN_RATIO_UNSATURATED * sendBps) {
            result = TARGET_UTILIZATION * receiveBps;
        }
        results[s] = (long) result;
        lastResultBps = results[s];
        lastResultCluster = clusterId;
        return results[s];
    }

    /** The latest result of cluster {@code clusterId} in bits per second, or -1 (none yet, or forgotten). */
    public long resultBps(int clusterId) {
        for (int i = 0; i < CLUSTERS; i++) {
            if (ids[i] == clusterId && clusterId >= 0) {
                return results[i];
            }
        }
        return -1;
    }

    public long lastResultBps() {
        return lastResultBps;
    }

    public int lastResultCluster() {
        return lastResultCluster;
    }

    /** The cluster's slot; a new cluster takes the least recently used one. */
    private int slot(int clusterId) {
        int oldest = 0;
        for (int i = 0; i < CLUSTERS; i++) {
            if (ids[i] == clusterId) {
                touched[i] = ++clock;
                return i;
            }
            if (touched[i] < touched[oldest]) {
                oldest = i;
            }
        }
        ids[oldest] = clusterId;
        expectedPackets[oldest] = 0;
        expectedBytes[oldest] = 0;
        packets[oldest] = 0;
        bytes[oldest] = 0;
        results[oldest] = -1;
        touched[oldest] = ++clock;
        return oldest;
    }
}
