package org.atrium.sfu.cc;

import java.util.ArrayDeque;
import java.util.function.LongUnaryOperator;

/**
 * A test link: one bottleneck of a capacity that may change with time, a drop-tail FIFO queue of
 * bounded bytes in front of it, then a fixed propagation delay. Deterministic.
 */
final class BottleneckLink {
    private final LongUnaryOperator capacityBpsAt;
    private final int queueLimitBytes;
    private final long propagationMicros;
    /** Departure times and sizes of packets still queued or in transmission. */
    private final ArrayDeque<long[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long linkFreeAtMicros;
    private long drops;

    BottleneckLink(LongUnaryOperator capacityBpsAt, int queueLimitBytes, long propagationMicros) {
        this.capacityBpsAt = capacityBpsAt;
        this.queueLimitBytes = queueLimitBytes;
        this.propagationMicros = propagationMicros;
    }

    /** Offers a packet at {@code sendMicros} (not before the previous one); its arrival time, or -1 when dropped. */
    long send(long sendMicros, int sizeBytes) {
        while (!queue.isEmpty() && queue.peekFirst()[0] <= sendMicros) {
            queuedBytes -= queue.pollFirst()[1];
        }
        if (queuedBytes + sizeBytes > queueLimitBytes) {
            drops++;
            return -1;
        }
        long start = Math.max(linkFreeAtMicros, sendMicros);
        long departure = start + sizeBytes * 8L * 1_000_000 / capacityBpsAt.applyAsLong(start);
        linkFreeAtMicros = departure;
        queue.addLast(new long[] {departure, sizeBytes});
        queuedBytes += sizeBytes;
        return departure + propagationMicros;
    }

    long drops() {
        return drops;
    }
}
