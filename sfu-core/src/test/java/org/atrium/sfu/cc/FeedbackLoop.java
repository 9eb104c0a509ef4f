package org.atrium.sfu.cc;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * The receiver and the return path, for tests: packets arrive at given times into the real
 * {@link TransportCcFeedbackGenerator}, which builds real transport-cc bytes every 100 ms; each
 * feedback reaches the estimator after the return propagation delay. Events run in time order as
 * the test advances the clock.
 */
final class FeedbackLoop {
    static final long FEEDBACK_INTERVAL_MICROS = 100_000;

    private final ReceiverBandwidthEstimator estimator;
    private final long returnDelayMicros;
    private final TransportCcFeedbackGenerator generator = new TransportCcFeedbackGenerator();
    /** {arrival time, sequence}. */
    private final PriorityQueue<long[]> arrivals = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    private final PriorityQueue<Delivery> deliveries = new PriorityQueue<>((a, b) -> Long.compare(a.atMicros, b.atMicros));
    private final byte[] buf = new byte[1500];
    private long nextFeedbackMicros;
    private long nowMicros;
    private final Listener listener;

    record Delivery(long atMicros, byte[] bytes) {
    }

    interface Listener {
        /** Called after each feedback the estimator read. */
        void afterFeedback(long nowMicros);
    }

    FeedbackLoop(ReceiverBandwidthEstimator estimator, long startMicros, long returnDelayMicros, Listener listener) {
        this.estimator = estimator;
        this.returnDelayMicros = returnDelayMicros;
        this.nowMicros = startMicros;
        this.nextFeedbackMicros = startMicros + FEEDBACK_INTERVAL_MICROS;
        this.listener = listener;
    }

    /** Sends a packet now; it arrives at {@code arrivalMicros}, or never when that is negative. */
    void send(int sequence, int sizeBytes, long sendMicros, int cluster, long arrivalMicros) {
        advanceTo(sendMicros);
        estimator.onPacketSent(sequence, sizeBytes, sendMicros, cluster);
        if (arrivalMicros >= 0) {
            arrivals.add(new long[] {arrivalMicros, sequence & 0xFFFF});
        }
    }

    /** Runs every event up to and including {@code t}. */
    void advanceTo(long t) {
        while (true) {
            long next = Long.MAX_VALUE;
            if (!arrivals.isEmpty()) {
                next = arrivals.peek()[0];
            }
            next = Math.min(next, nextFeedbackMicros);
            if (!deliveries.isEmpty()) {
                next = Math.min(next, deliveries.peek().atMicros);
            }
            if (next > t) {
                break;
            }
            nowMicros = next;
            if (!arrivals.isEmpty() && arrivals.peek()[0] == next) {
                long[] a = arrivals.poll();
                generator.onPacket((int) a[1], a[0]);
            } else if (!deliveries.isEmpty() && deliveries.peek().atMicros == next) {
                Delivery d = deliveries.poll();
                estimator.onTransportCcFeedback(d.bytes, 0, d.bytes.length, d.atMicros);
                listener.afterFeedback(d.atMicros);
            } else {
                int len;
                while ((len = generator.buildFeedback(buf, 0, 1, 2, next)) > 0) {
                    deliveries.add(new Delivery(next + returnDelayMicros, Arrays.copyOf(buf, len)));
                }
                nextFeedbackMicros += FEEDBACK_INTERVAL_MICROS;
            }
        }
        nowMicros = Math.max(nowMicros, t);
    }
}
