package org.atrium.sfu.media;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.atrium.sfu.stats.DropReason;
import org.atrium.sfu.stats.SfuMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that rewrites, protects and sends the packets of the receivers assigned to
 * it, so that the per-receiver work of a fan-out (most of its cost: SRTP and the send
 * system call) spreads over the cores while each receiver's packets stay in order.
 *
 * <p>Everything sent as RTP to a receiver goes through its lane: forwarded packets and
 * retransmissions alike. That keeps each of the receiver's SRTP streams (rollover counter,
 * cipher) on one thread, as the SRTP session requires.
 *
 * <p>The queue is a bounded ring of preallocated jobs, each with its own packet buffer
 * (Vyukov's bounded queue, used with many producers and this one consumer): enqueueing
 * copies the packet once per lane and allocates nothing. A full ring drops the packet
 * for this lane's receivers and counts it as {@code queue_full}; the receive thread never
 * waits for a lane.
 *
 * <p>A lane runs on a thread of its own, or on an event loop of the media port (epoll): then
 * each drain is a task of that loop, and what the drain sends leaves in one batch at the end
 * of the loop's turn ({@code sendmmsg}).
 */
public final class ForwardingLane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardingLane.class);

    /** Jobs per lane: about 0.3 s of a busy room's video, 2.3 MB of buffers. */
    static final int CAPACITY = 1024;
    private static final int MASK = CAPACITY - 1;

    private static final class Job {
        final byte[] packet = new byte[Consumer.MAX_PACKET];
        int length;
        /** The producer's encoding it belongs to. */
        int streamIndex;
        long receivedNanos;
        /** The receivers of a forwarded packet, or null for a retransmission. */
        Consumer[] consumers;
        /** The receiver of a retransmission. */
        Consumer consumer;
        int sequence;
        /** Control work, instead of a packet. */
        Runnable task;
        /** Where it is in the ring while being filled. */
        long position;
    }

    private final Job[] jobs = new Job[CAPACITY];
    /** Per slot: equal to the position it may be written at, position + 1 once written. */
    private final AtomicLongArray slotSequences = new AtomicLongArray(CAPACITY);
    private final AtomicLong tail = new AtomicLong();
    /** Read position: written by the lane's thread only, read by {@link #backlog()}. */
    private volatile long head;
    /** Jobs one drain on an event loop runs before it lets the loop read and flush. */
    static final int DRAIN_BATCH = 64;

    private final SfuMetrics metrics;
    /** The lane's own thread, or null when it runs on {@link #loop}. */
    private final Thread thread;
    private final Executor loop;
    /** On a loop: a drain is queued and has not started yet. */
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private final Runnable drain = this::drainOnLoop;
    private volatile boolean sleeping;
    private volatile boolean closed;

    ForwardingLane(String name, SfuMetrics metrics) {
        this(name, metrics, null);
    }

    /** @param loop the event loop to drain on, or null for a thread of the lane's own */
    ForwardingLane(String name, SfuMetrics metrics, Executor loop) {
        this.metrics = metrics;
        this.loop = loop;
        for (int i = 0; i < CAPACITY; i++) {
            jobs[i] = new Job();
            slotSequences.set(i, i);
        }
        if (loop == null) {
            this.thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        } else {
            this.thread = null;
        }
    }

    /** Queues one packet for {@code consumers}, all of them this lane's; false when it was dropped. */
    boolean forward(int streamIndex, byte[] buf, int off, int len, long receivedNanos, Consumer[] consumers) {
        if (len > Consumer.MAX_PACKET) {
            metrics.drop(DropReason.TOO_LARGE);
            return false;
        }
        Job job = claim();
        if (job == null) {
            metrics.drop(DropReason.QUEUE_FULL);
            return false;
        }
        System.arraycopy(buf, off, job.packet, 0, len);
        job.length = len;
        job.streamIndex = streamIndex;
        job.receivedNanos = receivedNanos;
        job.consumers = consumers;
        publish(job);
        return true;
    }

    /** Queues a receiver's NACK of one of its sequence numbers; false when the queue is full. */
    boolean retransmit(Consumer consumer, int sequence, long nowNanos) {
        Job job = claim();
        if (job == null) {
            metrics.drop(DropReason.QUEUE_FULL);
            return false;
        }
        job.consumer = consumer;
        job.sequence = sequence;
        job.receivedNanos = nowNanos;
        publish(job);
        return true;
    }

    /**
     * Queues control work for this lane's receivers, to run after every packet queued
     * before it (such as a stream's BYE after its last packets); false when the queue is
     * full, and the caller runs it itself.
     */
    public boolean runAfterQueued(Runnable task) {
        Job job = claim();
        if (job == null) {
            return false;
        }
        job.task = task;
        publish(job);
        return true;
    }

    /**
     * The job at a free position, to fill and publish, or null when the ring is full. Its
     * consumers, consumer and task are null: the lane clears them when it is done.
     */
    private Job claim() {
        long position = tail.get();
        while (true) {
            long difference = slotSequences.get((int) position & MASK) - position;
            if (difference == 0) {
                if (tail.compareAndSet(position, position + 1)) {
                    Job job = jobs[(int) position & MASK];
                    job.position = position;
                    return job;
                }
                position = tail.get();
            } else if (difference < 0) {
                return null;
            } else {
                position = tail.get();
            }
        }
    }

    private void publish(Job job) {
        slotSequences.set((int) job.position & MASK, job.position + 1);
        if (loop != null) {
            if (!drainQueued.get() && drainQueued.compareAndSet(false, true)) {
                try {
                    loop.execute(drain);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // The port is closing: so is the lane.
                }
            }
            return;
        }
        if (sleeping) {
            sleeping = false;
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (!closed) {
            int slot = (int) head & MASK;
            if (slotSequences.get(slot) != head + 1) {
                sleeping = true;
                // Checked again after saying so: a producer that published before it saw
                // the flag has left its job in the ring.
                if (slotSequences.get(slot) != head + 1 && !closed) {
                    LockSupport.parkNanos(this, 10_000_000L);
                }
                sleeping = false;
                continue;
            }
            runJob(slot);
        }
    }

    /**
     * One drain on the event loop: at most {@link #DRAIN_BATCH} jobs, then the loop's other
     * work (its reads, and the flush of what this drain wrote); a drain is queued again for
     * the rest. The flag is cleared before looking, so a job published during the drain
     * queues the next one.
     */
    private void drainOnLoop() {
        drainQueued.set(false);
        for (int n = 0; n < DRAIN_BATCH && !closed; n++) {
            int slot = (int) head & MASK;
            if (slotSequences.get(slot) != head + 1) {
                return;
            }
            runJob(slot);
        }
        if (!closed && slotSequences.get((int) head & MASK) == head + 1 && drainQueued.compareAndSet(false, true)) {
            loop.execute(drain);
        }
    }

    private void runJob(int slot) {
        Job job = jobs[slot];
        try {
            if (job.consumers != null) {
                for (Consumer consumer : job.consumers) {
                    consumer.send(job.streamIndex, job.packet, 0, job.length, job.receivedNanos);
                }
            } else if (job.consumer != null) {
                job.consumer.retransmit(job.sequence, job.receivedNanos);
            } else {
                job.task.run();
            }
        } catch (RuntimeException e) {
            // One receiver's failure must not stop the others'.
            LOG.warn("Forwarding failed", e);
        }
        job.consumers = null;
        job.consumer = null;
        job.task = null;
        slotSequences.set(slot, head + CAPACITY);
        head++;
    }

    /** Packets and retransmissions queued and not yet sent. */
    public int backlog() {
        return (int) Math.max(0, tail.get() - head);
    }

    @Override
    public void close() {
        closed = true;
        if (thread == null) {
            return;
        }
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
