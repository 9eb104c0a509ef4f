package org.atrium.bench.load;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * Cumulative counters of a whole load (all publishers and receivers, and the server) at
 * one instant; the difference of two is a {@link WindowResult}. The data fields count
 * data-channel messages ({@link DataTraffic}); zero without them. {@code serverForwarded} and
 * {@code serverRelayed} are the servers' own counts, summed over the nodes: packets sent to
 * receivers and packets sent to other nodes over relay links; -1 when not known.
 * {@code generatorCpuSeconds} is the load generator's own CPU time: its process's, less the
 * server's when the server runs in it; {@code generatorThreads} the same per thread (without the
 * server's threads, or none when they cannot be told apart); {@code serverLatency} the servers'
 * own forwarding-delay buckets, null when not known (the raw relay).
 */
record LoadSnapshot(long nanos, int publishers, int subscribers, long sentPackets, long sentBytes,
        long keyframesSent, long receivedPackets, long receivedBytes, long expectedPackets, long lostPackets,
        long retransmittedPackets, long ignoredPackets, long nacksSent, long plisSent, long undecryptable,
        long maxDelayMicros, double jitterMillisMean, long[] delayCounts, double serverCpuSeconds,
        long serverForwarded, long serverRelayed, long dataSent, long dataSendRefused, long dataReceived,
        long dataReceivedBytes, long dataExpected, long dataLost, long dataMaxDelayMicros, long[] dataDelayCounts,
        double generatorCpuSeconds, ThreadCpuSample generatorThreads, ServerLatency serverLatency) {

    /** Sums the parts of a snapshot. Fields are public to the package for the parts to add to. */
    static final class Builder {
        int publishers;
        int subscribers;
        long sentPackets;
        long sentBytes;
        long keyframesSent;
        long receivedPackets;
        long receivedBytes;
        long expectedPackets;
        long lostPackets;
        long retransmittedPackets;
        long ignoredPackets;
        long nacksSent;
        long plisSent;
        long undecryptable;
        long maxDelayMicros;
        double jitterMillisSum;
        int jitterStreams;
        final long[] delayCounts = new long[DelayHistogram.BUCKETS];
        double serverCpuSeconds = Double.NaN;
        long serverForwarded = -1;
        long serverRelayed = -1;
        long dataSent;
        long dataSendRefused;
        long dataReceived;
        long dataReceivedBytes;
        long dataExpected;
        long dataLost;
        long dataMaxDelayMicros;
        final long[] dataDelayCounts = new long[DelayHistogram.BUCKETS];
        /** The server runs in the load generator's process: its CPU is not the generator's. */
        boolean serverInProcess;
        /** With {@link #serverInProcess}: the server's threads, when known; not the generator's. */
        java.util.Set<Long> serverThreadIds = java.util.Set.of();
        ServerLatency serverLatency;

        void addSent(SyntheticStream stream) {
            sentPackets += stream.packetsSent();
            sentBytes += stream.bytesSent();
            if (stream instanceof VideoStream video) {
                keyframesSent += video.keyframesSent();
            }
        }

        LoadSnapshot build() {
            return new LoadSnapshot(System.nanoTime(), publishers, subscribers, sentPackets, sentBytes,
                    keyframesSent, receivedPackets, receivedBytes, expectedPackets, lostPackets, retransmittedPackets,
                    ignoredPackets, nacksSent, plisSent, undecryptable, maxDelayMicros,
                    jitterStreams == 0 ? 0 : jitterMillisSum / jitterStreams, delayCounts, serverCpuSeconds,
                    serverForwarded, serverRelayed, dataSent, dataSendRefused, dataReceived, dataReceivedBytes,
                    dataExpected, dataLost, dataMaxDelayMicros, dataDelayCounts, generatorCpuSeconds(),
                    serverInProcess && serverThreadIds.isEmpty() ? ThreadCpuSample.NONE
                            : ThreadCpuSample.take(serverThreadIds), serverLatency);
        }

        private double generatorCpuSeconds() {
            double process = processCpuSeconds();
            return serverInProcess && !Double.isNaN(serverCpuSeconds) ? process - serverCpuSeconds : process;
        }

        /** User + system time of this process, all threads. */
        private static double processCpuSeconds() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
                long nanos = os.getProcessCpuTime();
                if (nanos >= 0) {
                    return nanos / 1e9;
                }
            }
            return ServerProbe.procCpuSeconds(ProcessHandle.current().pid());
        }
    }
}
