package org.atrium.sfu.cc;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Spreads what the SFU sends one receiver over time when its link is slow: a keyframe, or
 * the first frames after a switch to a larger encoding, would otherwise leave in one burst,
 * fill the bottleneck's queue at once (the estimator reads that as over-use and cuts) or
 * overflow it (loss, NACKs, a keyframe request, another burst). Sending is limited to
 * {@link #PACING_FACTOR} times the receiver's estimate, as libwebrtc's pacer sends at a
 * multiple of its target rate: a budget that grows with time at that rate (by at most
 * {@link #MAX_BUDGET_BYTES}) and shrinks by every packet sent.
 *
 * <p>While nothing is queued and the budget has room, a packet leaves at once, on the thread
 * that forwards it (the caller sends it: {@link #SEND_NOW}). Otherwise it is queued, and a
 * tick on the server's timer, every {@link #TICK_MILLIS} while packets wait and never while
 * none do, sends what the budget allows. So a paced receiver's packets wait only when its
 * link is busy, and an idle one costs the timer nothing.
 *
 * <p>Only a receiver whose estimate is under {@link #PACE_BELOW_BPS} is paced: above it,
 * bursts are short against the link and queueing would only cost copies. The queue holds at
 * most {@link #MAX_QUEUE_MILLIS} of sending at the current rate: a full queue drops the new
 * packet, and when the estimate falls the oldest packets beyond it are dropped (both counted
 * by the caller). Old media is worth less than the link's time: a backlog queued at a rate the
 * link no longer has would keep the link full for many seconds, and everything behind it, the
 * receiver's audio, its consent checks and its signaling, would wait. Queued packets are sent
 * in order; while any are queued, or a tick is sending, every new packet queues too, so a
 * stream is never reordered.
 *
 * <p>Threads: packets are offered by the threads that forward to the receiver, under this
 * object's lock; the ticks run on the server's timer, and send outside the lock.
 */
public final class Pacer {

    /** Sends one packet for real: stamp, protect, send. */
    public interface Link {
        boolean send(byte[] buf, int off, int len, int probeCluster);
    }

    static final long TICK_MILLIS = 5;
    static final double PACING_FACTOR = 2.5;
    public static final long PACE_BELOW_BPS = 2_000_000;
    /** Packets queued at most: a couple of seconds of a slow receiver's video. */
    static final int CAPACITY = 256;
    /** How long the queue may take to drain at the current rate. */
    static final long MAX_QUEUE_MILLIS = 1000;
    /** The queue's byte bound at the lowest rates: room for a small keyframe. */
    private static final long MIN_QUEUE_BYTES = 8_000;
    /** Bytes of budget carried over at most, so that an idle spell does not allow a burst. */
    static final long MAX_BUDGET_BYTES = 3_000;

    private final Link link;
    private final long tickMillis;
    private final ScheduledExecutorService timers;
    private final int slotSize;
    private final byte[][] slots;
    private final int[] lengths = new int[CAPACITY];
    private final int[] clusters = new int[CAPACITY];
    /** Guarded by this. */
    private int head;
    private int count;
    private long queuedBytes;
    private long budgetBytes;
    /** When the budget last grew. */
    private long refilledNanos;
    /** Whether the estimate is under {@link #PACE_BELOW_BPS}. */
    private boolean pacing;
    /** A tick took packets out of the queue and is sending them, outside the lock. */
    private boolean draining;
    /** The next tick, while packets wait. */
    private ScheduledFuture<?> nextTick;
    private volatile long rateBps;
    /** When pacing last started (the budget's reference), for tests. */
    long startedNanos;
    private volatile boolean active;
    /** The tick's own buffer: a packet is copied out of the ring under the lock, sent outside it. */
    private final byte[] sending;

    /** @param slotSize the largest packet plus the room its protection needs */
    public Pacer(Link link, ScheduledExecutorService timers, int slotSize) {
        this(link, timers, slotSize, TICK_MILLIS);
    }

    /** With another tick period: tests tick by hand. */
    Pacer(Link link, ScheduledExecutorService timers, int slotSize, long tickMillis) {
        this.tickMillis = tickMillis;
        this.link = link;
        this.timers = timers;
        this.slotSize = slotSize;
        this.slots = new byte[CAPACITY][];
        this.sending = new byte[slotSize];
    }

    /**
     * Sets the rate from the receiver's estimate: pacing starts under {@link #PACE_BELOW_BPS}
     * and stops above it once the queue is empty. Called by the allocation timer.
     *
     * @return how many queued packets were dropped because the lower rate would take longer
     *         than {@link #MAX_QUEUE_MILLIS} to send them
     */
    public synchronized int setEstimate(long estimateBps) {
        long now = System.nanoTime();
        refill(now);
        rateBps = (long) (Math.max(estimateBps, 50_000) * PACING_FACTOR);
        int dropped = 0;
        while (count > 0 && queuedBytes > maxQueueBytes()) {
            queuedBytes -= lengths[head];
            head = (head + 1) % CAPACITY;
            count--;
            dropped++;
        }
        boolean wanted = estimateBps > 0 && estimateBps < PACE_BELOW_BPS;
        if (wanted && !pacing) {
            refilledNanos = now;
            budgetBytes = 0;
            startedNanos = now;
        }
        pacing = wanted;
        active = wanted || count > 0;
        return dropped;
    }

    private long maxQueueBytes() {
        return Math.max(MIN_QUEUE_BYTES, rateBps * MAX_QUEUE_MILLIS / 8000);
    }

    /** Grows the budget by the time since it last grew; under the lock. */
    private void refill(long now) {
        // Capped: past a second the budget is full anyway, and the product must not overflow.
        long elapsed = Math.min(now - refilledNanos, 1_000_000_000L);
        if (elapsed > 0) {
            refilledNanos = now;
            budgetBytes = Math.min(MAX_BUDGET_BYTES, budgetBytes + rateBps * elapsed / 8_000_000_000L);
        }
    }

    /** Whether packets go through {@link #offer} now. */
    public boolean isActive() {
        return active;
    }

    /** {@link #offer} results. */
    public static final int QUEUED = 1;
    public static final int DROPPED = 0;
    /** The caller sends the packet itself, now: pacing has stopped, or the budget has room for it. */
    public static final int SEND_NOW = -1;

    /**
     * Offers a packet: {@link #SEND_NOW} when nothing waits and the budget has room (charged
     * for it), or when pacing has stopped; {@link #QUEUED}; {@link #DROPPED} when the queue is
     * full, in packets or in time to send (or the packet is too large). A queued packet's bytes
     * are copied: the caller's buffer is free again when this returns.
     */
    public int offer(byte[] buf, int off, int len, int probeCluster) {
        return offer(buf, off, len, probeCluster, System.nanoTime());
    }

    /** {@link #offer} at a given time: tests pass their own clock. */
    int offer(byte[] buf, int off, int len, int probeCluster, long now) {
        if (len > slotSize) {
            return DROPPED;
        }
        synchronized (this) {
            if (!pacing && count == 0 && !draining) {
                return SEND_NOW;
            }
            if (count == 0 && !draining) {
                refill(now);
                if (budgetBytes > 0) {
                    budgetBytes -= len;
                    return SEND_NOW;
                }
            }
            if (count == CAPACITY || queuedBytes + len > maxQueueBytes()) {
                return DROPPED;
            }
            int slot = (head + count) % CAPACITY;
            if (slots[slot] == null) {
                slots[slot] = new byte[slotSize];
            }
            System.arraycopy(buf, off, slots[slot], 0, len);
            lengths[slot] = len;
            clusters[slot] = probeCluster;
            count++;
            queuedBytes += len;
            if (nextTick == null && !draining) {
                scheduleTick();
            }
        }
        return QUEUED;
    }

    /**
     * Under the lock. Called from the forwarding threads too: a timer already shut down (the
     * server is stopping) leaves what is queued unsent rather than throw into the media path.
     */
    private void scheduleTick() {
        try {
            nextTick = timers.schedule(() -> tick(System.nanoTime()), tickMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            nextTick = null;
        }
    }

    /** Packets waiting. */
    public synchronized int queued() {
        return count;
    }

    /** Whether a tick is scheduled; for tests. */
    synchronized boolean tickPending() {
        return nextTick != null;
    }

    /** Sends what the budget allows; on the timer, while packets wait. */
    void tick(long now) {
        synchronized (this) {
            if (nextTick != null) {
                nextTick.cancel(false);
                nextTick = null;
            }
            refill(now);
        }
        while (true) {
            int length;
            int cluster;
            synchronized (this) {
                if (count == 0 || budgetBytes <= 0) {
                    draining = false;
                    if (count > 0) {
                        scheduleTick();
                    } else {
                        active = pacing;
                    }
                    return;
                }
                draining = true;
                length = lengths[head];
                cluster = clusters[head];
                System.arraycopy(slots[head], 0, sending, 0, length);
                head = (head + 1) % CAPACITY;
                count--;
                queuedBytes -= length;
                budgetBytes -= length;
            }
            link.send(sending, 0, length, cluster);
        }
    }

    /** Stops ticking; what is queued is dropped (the receiver is gone). */
    public synchronized void close() {
        if (nextTick != null) {
            nextTick.cancel(false);
            nextTick = null;
        }
        count = 0;
        queuedBytes = 0;
        pacing = false;
        active = false;
    }
}
