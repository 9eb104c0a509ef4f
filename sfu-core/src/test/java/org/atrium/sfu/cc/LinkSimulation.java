package org.atrium.sfu.cc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * A deterministic simulation of one receiver's downlink for the estimator's tests: a sender that
 * sends 1200-byte packets paced at the estimator's current estimate, a {@link BottleneckLink}, and
 * the receiver's real transport-cc feedback every 100 ms ({@link FeedbackLoop}). Optionally a
 * simple prober, like libwebrtc's ProbeController: clusters at 3x and 6x the start rate, further
 * clusters at twice each result that reached 70 % of its target, and every 5 s one at twice the
 * estimate. Every packet sent is recorded, so a run can be saved as a trace and replayed as fixed
 * input ({@link #replay}).
 */
final class LinkSimulation {
    static final int PACKET_BYTES = 1200;
    static final long ONE_WAY_MICROS = 25_000;
    /** 30 packets: 144 ms at 2 Mbps, 960 ms at 300 kbps. */
    static final int QUEUE_BYTES = 30 * PACKET_BYTES;
    private static final long PERIODIC_PROBE_MICROS = 5_000_000;
    private static final long PROBE_DURATION_MICROS = 15_000;
    private static final int PROBE_MIN_PACKETS = 5;

    record Packet(long sequence, long sendMicros, int size, long receiveMicros, int cluster) {
    }

    record Sample(long micros, long estimateBps) {
    }

    /** What a run produced: the estimate after each feedback, every packet sent, drops. */
    record Run(List<Sample> samples, List<Packet> packets, long drops, ReceiverBandwidthEstimator estimator) {
        /** First time at or after {@code from} the estimate is at least {@code bps}; -1 if never. */
        long firstAtLeast(long bps, long from) {
            for (Sample s : samples) {
                if (s.micros >= from && s.estimateBps >= bps) {
                    return s.micros;
                }
            }
            return -1;
        }

        /** First time at or after {@code from} the estimate is at most {@code bps}; -1 if never. */
        long firstAtMost(long bps, long from) {
            for (Sample s : samples) {
                if (s.micros >= from && s.estimateBps <= bps) {
                    return s.micros;
                }
            }
            return -1;
        }

        /** Mean of estimate / capacity over samples in [from, to). */
        double meanRatio(LongUnaryOperator capacity, long from, long to) {
            double sum = 0;
            int n = 0;
            for (Sample s : samples) {
                if (s.micros >= from && s.micros < to) {
                    sum += (double) s.estimateBps / capacity.applyAsLong(s.micros);
                    n++;
                }
            }
            return sum / n;
        }

        double minRatio(LongUnaryOperator capacity, long from, long to) {
            double min = Double.MAX_VALUE;
            for (Sample s : samples) {
                if (s.micros >= from && s.micros < to) {
                    min = Math.min(min, (double) s.estimateBps / capacity.applyAsLong(s.micros));
                }
            }
            return min;
        }

        double maxRatio(LongUnaryOperator capacity, long from, long to) {
            double max = 0;
            for (Sample s : samples) {
                if (s.micros >= from && s.micros < to) {
                    max = Math.max(max, (double) s.estimateBps / capacity.applyAsLong(s.micros));
                }
            }
            return max;
        }

        double lossFraction() {
            long lost = packets.stream().filter(p -> p.receiveMicros < 0).count();
            return (double) lost / packets.size();
        }
    }

    private LinkSimulation() {
    }

    /** Runs the closed loop: the sender follows the estimate. */
    static Run run(LongUnaryOperator capacityBpsAt, long durationMicros, boolean probing) {
        ReceiverBandwidthEstimator estimator = new ReceiverBandwidthEstimator();
        BottleneckLink link = new BottleneckLink(capacityBpsAt, QUEUE_BYTES, ONE_WAY_MICROS);
        List<Sample> samples = new ArrayList<>();
        List<Packet> packets = new ArrayList<>();
        Prober prober = new Prober(estimator, probing);
        FeedbackLoop loop = new FeedbackLoop(estimator, 0, ONE_WAY_MICROS, now -> {
            samples.add(new Sample(now, estimator.estimateBps()));
            prober.afterFeedback(now);
        });
        long now = 0;
        long sequence = 0;
        while (now < durationMicros) {
            int cluster = prober.clusterFor(now);
            long arrival = link.send(now, PACKET_BYTES);
            loop.send((int) sequence, PACKET_BYTES, now, cluster, arrival);
            packets.add(new Packet(sequence, now, PACKET_BYTES, arrival, cluster));
            sequence++;
            long rate = cluster >= 0 ? prober.rateBps() : estimator.estimateBps();
            prober.onSent(cluster, PACKET_BYTES);
            now += PACKET_BYTES * 8L * 1_000_000 / rate;
        }
        loop.advanceTo(durationMicros);
        return new Run(samples, packets, link.drops(), estimator);
    }

    /**
     * Replays a recorded trace as fixed input: the same sends and arrivals whatever the estimator
     * now says, with feedback built as in the live run.
     */
    static Run replay(List<Packet> trace) {
        ReceiverBandwidthEstimator estimator = new ReceiverBandwidthEstimator();
        List<Sample> samples = new ArrayList<>();
        FeedbackLoop loop = new FeedbackLoop(estimator, 0, ONE_WAY_MICROS,
            now -> samples.add(new Sample(now, estimator.estimateBps())));
        long end = 0;
        for (int i = 0; i < trace.size(); i++) {
            Packet p = trace.get(i);
            loop.send((int) p.sequence, p.size, p.sendMicros, p.cluster, p.receiveMicros);
            boolean lastOfCluster = p.cluster >= 0 && (i + 1 == trace.size() || trace.get(i + 1).cluster != p.cluster);
            if (lastOfCluster) {
                int n = 0;
                long bytes = 0;
                for (int j = i; j >= 0 && trace.get(j).cluster == p.cluster; j--) {
                    n++;
                    bytes += trace.get(j).size;
                }
                estimator.onProbeClusterSent(p.cluster, n, bytes);
            }
            end = Math.max(end, p.sendMicros);
        }
        loop.advanceTo(end + 1_000_000);
        return new Run(samples, trace, trace.stream().filter(p -> p.receiveMicros < 0).count(), estimator);
    }

    static void write(List<Packet> packets, String header, Writer out) throws IOException {
        out.write("# " + header + "\n");
        out.write("# seq,send_us,size,recv_us (-1: lost),probe_cluster (-1: none)\n");
        for (Packet p : packets) {
            out.write(p.sequence + "," + p.sendMicros + "," + p.size + "," + p.receiveMicros + "," + p.cluster + "\n");
        }
    }

    static List<Packet> read(InputStream in) throws IOException {
        List<Packet> packets = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                packets.add(new Packet(Long.parseLong(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2]),
                    Long.parseLong(f[3]), Integer.parseInt(f[4])));
            }
        }
        return packets;
    }

    /** The test's stand-in for the pacer's probe controller. */
    private static final class Prober {
        private final ReceiverBandwidthEstimator estimator;
        private final boolean enabled;
        private final long[] targets = new long[1 << 12];
        private int nextCluster;
        /** The cluster being sent, or -1. */
        private int sending = -1;
        private int sentPackets;
        private long sentBytes;
        private int packetsWanted;
        private long pendingTarget;
        private int awaited = -1;
        private long lastProbeMicros;

        Prober(ReceiverBandwidthEstimator estimator, boolean enabled) {
            this.estimator = estimator;
            this.enabled = enabled;
            if (enabled) {
                long start = BandwidthEstimatorConfig.DEFAULT_START_BPS;
                start(3 * start);
                pendingTarget = 6 * start;
            }
        }

        private void start(long target) {
            sending = nextCluster++;
            targets[sending] = target;
            sentPackets = 0;
            sentBytes = 0;
            long bytes = target * PROBE_DURATION_MICROS / 8_000_000;
            packetsWanted = (int) Math.max(PROBE_MIN_PACKETS, (bytes + PACKET_BYTES - 1) / PACKET_BYTES);
        }

        int clusterFor(long now) {
            if (sending < 0 && pendingTarget > 0) {
                start(pendingTarget);
                pendingTarget = 0;
            }
            if (sending < 0 && enabled && awaited < 0 && now - lastProbeMicros >= PERIODIC_PROBE_MICROS
                && estimator.state() == BandwidthUsage.NORMAL) {
                start(Math.min(2 * estimator.estimateBps(), BandwidthEstimatorConfig.DEFAULT_MAX_BPS));
            }
            if (sending >= 0) {
                lastProbeMicros = now;
            }
            return sending;
        }

        long rateBps() {
            return targets[sending];
        }

        void onSent(int cluster, int size) {
            if (cluster < 0) {
                return;
            }
            sentPackets++;
            sentBytes += size;
            if (sentPackets == packetsWanted) {
                estimator.onProbeClusterSent(cluster, sentPackets, sentBytes);
                awaited = cluster;
                sending = -1;
            }
        }

        void afterFeedback(long now) {
            if (awaited < 0) {
                return;
            }
            long result = estimator.probeResultBps(awaited);
            if (result > 0) {
                // Further probing while each probe gets most of its target through.
                if (result > 0.7 * targets[awaited] && pendingTarget == 0 && awaited >= 1
                    && targets[awaited] < BandwidthEstimatorConfig.DEFAULT_MAX_BPS) {
                    pendingTarget = Math.min(2 * result, BandwidthEstimatorConfig.DEFAULT_MAX_BPS);
                }
                awaited = -1;
            } else if (now - lastProbeMicros > 1_000_000) {
                awaited = -1; // no result: give up on it
            }
        }
    }
}
