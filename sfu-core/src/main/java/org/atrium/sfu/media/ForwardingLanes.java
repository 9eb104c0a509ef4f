package org.atrium.sfu.media;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.atrium.sfu.stats.SfuMetrics;

/**
 * The server's forwarding lanes: receivers are spread over them in turn as they join.
 * With no lanes every packet is forwarded on the thread that received it, one receiver
 * after the other.
 */
public final class ForwardingLanes implements AutoCloseable {

    private final ForwardingLane[] lanes;
    private final AtomicInteger next = new AtomicInteger();

    /** @param count lanes (threads), 0 to forward on the receiving thread */
    public ForwardingLanes(int count, SfuMetrics metrics) {
        this(count, metrics, new Executor[0]);
    }

    /**
     * @param count lanes, 0 to forward on the receiving thread
     * @param loops the media port's event loops to run the lanes on, lane i on loop i modulo
     *     their number; empty to give each lane a thread of its own
     */
    public ForwardingLanes(int count, SfuMetrics metrics, Executor[] loops) {
        if (count < 0) {
            throw new IllegalArgumentException("forwarding threads must not be negative: " + count);
        }
        lanes = new ForwardingLane[count];
        for (int i = 0; i < count; i++) {
            Executor loop = loops.length == 0 ? null : loops[i % loops.length];
            lanes[i] = new ForwardingLane("atrium-forward-" + i, metrics, loop);
        }
    }

    /** The lane for a new receiver, or null to forward inline. */
    public ForwardingLane assign() {
        return lanes.length == 0 ? null : lanes[Math.floorMod(next.getAndIncrement(), lanes.length)];
    }

    public int count() {
        return lanes.length;
    }

    /** Packets waiting in all lanes. */
    public int backlog() {
        int sum = 0;
        for (ForwardingLane lane : lanes) {
            sum += lane.backlog();
        }
        return sum;
    }

    @Override
    public void close() {
        for (ForwardingLane lane : lanes) {
            lane.close();
        }
    }
}
