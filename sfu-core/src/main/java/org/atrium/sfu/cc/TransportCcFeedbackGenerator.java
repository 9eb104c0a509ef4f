package org.atrium.sfu.cc;

import java.util.Arrays;
import org.atrium.rtp.TransportCcFeedback;

/**
 * Receive side of transport-wide congestion control
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01) for one transport: records the arrival
 * time of every packet carrying the transport-wide sequence number and turns them into feedback
 * packets, so that the remote sender's bandwidth estimator can ramp up.
 *
 * <p>Sequence numbers are unwrapped to 64 bits against the highest seen. Arrivals live in a ring
 * of {@link #HISTORY} slots (64 KiB), covering the last {@value #HISTORY} sequence numbers; with
 * the writer's arrays that is the whole memory, fixed at construction. Each feedback reports from
 * the first number not yet reported up to the highest received, as libwebrtc's receiver does: a
 * packet that arrives after its number was reported lost rewinds the next feedback to it, a
 * packet older than the base of the last feedback sent is ignored, a duplicate keeps the first
 * arrival, and a jump of more than {@value #HISTORY} numbers (or {@value #RESTART_AFTER_LATE}
 * packets in a row older than the window) is taken as the sender restarting its counter: the
 * history is cleared.
 *
 * <p>Feedback is due every {@code intervalMicros} (100 ms by default: libwebrtc's receiver sends
 * every 50 to 250 ms, keeping feedback at about 5 % of the media rate, and 100 ms is its default
 * before the rate is known; at 1000 packets a second that is about 8 kbit/s of feedback), and at
 * once when {@value #URGENT_SPAN} numbers are pending, well within what one packet of the default
 * size holds, so a fast sender never overruns the ring between timer ticks.
 *
 * <p>Thread-safety: {@link #onPacket} runs on the transport's receive thread and
 * {@link #buildFeedback} on a timer thread; all methods take one private lock, held for O(1) in
 * onPacket (O(gap) when numbers are skipped, at most {@value #HISTORY}) and for one packet's worth
 * of work in buildFeedback. Nothing is allocated after construction.
 */
public final class TransportCcFeedbackGenerator {
    /** Arrivals remembered, a power of two. */
    public static final int HISTORY = 8192;
    public static final long DEFAULT_INTERVAL_MICROS = 100_000;
    /** Fits a 1500-byte datagram with SRTCP's index and tag. */
    public static final int DEFAULT_MAX_FEEDBACK_BYTES = 1200;
    /** Pending numbers that make feedback due before the interval ends. */
    public static final int URGENT_SPAN = 500;
    /** Consecutive packets older than the window that mean the sender restarted its counter. */
    public static final int RESTART_AFTER_LATE = 32;

    private static final int MASK = HISTORY - 1;
    private static final long NOT_RECEIVED = Long.MIN_VALUE;

    private final Object lock = new Object();
    private final long[] arrivals = new long[HISTORY];
    private final TransportCcFeedback.Writer writer;
    private final long intervalMicros;
    private final int maxFeedbackBytes;

    private boolean started;
    /** Highest unwrapped sequence number received; always a received one. */
    private long highest;
    /** First number the next feedback reports. */
    private long nextStart;
    /** Base of the last feedback built; older packets are ignored. */
    private long lastBase;
    private int feedbackPacketCount;
    private boolean sentAny;
    private long lastSentMicros;
    private int lateInARow;

    private long latePackets;
    private long duplicatePackets;
    private long restarts;

    public TransportCcFeedbackGenerator() {
        this(DEFAULT_INTERVAL_MICROS, DEFAULT_MAX_FEEDBACK_BYTES);
    }

    /**
     * @param intervalMicros how often feedback is due while packets arrive
     * @param maxFeedbackBytes the largest feedback packet, at least 32 so that any single arrival
     *        fits (a run of {@value #HISTORY} losses before it needs 28 bytes)
     */
    public TransportCcFeedbackGenerator(long intervalMicros, int maxFeedbackBytes) {
        if (intervalMicros <= 0) {
            throw new IllegalArgumentException("intervalMicros must be positive: " + intervalMicros);
        }
        if (maxFeedbackBytes < 32) {
            throw new IllegalArgumentException("maxFeedbackBytes must be at least 32: " + maxFeedbackBytes);
        }
        this.intervalMicros = intervalMicros;
        this.maxFeedbackBytes = maxFeedbackBytes;
        this.writer = new TransportCcFeedback.Writer(maxFeedbackBytes);
        Arrays.fill(arrivals, NOT_RECEIVED);
    }

    /**
     * Records an authenticated RTP packet (media, RTX or padding) carrying transport-wide sequence
     * number {@code transportSequence} (0..65535) that arrived at {@code arrivalMicros} (any
     * monotonic clock in microseconds, the same for every call). Returns true when it was recorded,
     * false for a duplicate or a packet too old to report.
     */
    public boolean onPacket(int transportSequence, long arrivalMicros) {
        int sequence = transportSequence & 0xFFFF;
        synchronized (lock) {
            if (!started) {
                restart(sequence, arrivalMicros);
                return true;
            }
            int distance = (short) (sequence - (int) (highest & 0xFFFF));
            long unwrapped = highest + distance;
            if (distance > HISTORY) {
                restarts++;
                restart(sequence, arrivalMicros);
                return true;
            }
            if (distance > 0) {
                for (long s = highest + 1; s < unwrapped; s++) {
                    arrivals[(int) s & MASK] = NOT_RECEIVED;
                }
                arrivals[(int) unwrapped & MASK] = arrivalMicros;
                highest = unwrapped;
                long oldest = unwrapped - HISTORY + 1;
                nextStart = Math.max(nextStart, oldest);
                lastBase = Math.max(lastBase, oldest);
                lateInARow = 0;
                return true;
            }
            if (unwrapped < Math.max(lastBase, highest - HISTORY + 1)) {
                latePackets++;
                if (++lateInARow >= RESTART_AFTER_LATE) {
                    restarts++;
                    restart(sequence, arrivalMicros);
                    return true;
                }
                return false;
            }
            lateInARow = 0;
            int slot = (int) unwrapped & MASK;
            if (arrivals[slot] != NOT_RECEIVED) {
                duplicatePackets++;
                return false;
            }
            arrivals[slot] = arrivalMicros;
            // Reported lost already: report it again with its arrival, as libwebrtc's receiver does.
            nextStart = Math.min(nextStart, unwrapped);
            return true;
        }
    }

    /** True when feedback should be built now: packets are pending and the interval has passed, or many are pending. */
    public boolean isDue(long nowMicros) {
        synchronized (lock) {
            if (!started || nextStart > highest) {
                return false;
            }
            return !sentAny || nowMicros - lastSentMicros >= intervalMicros || highest - nextStart + 1 >= URGENT_SPAN;
        }
    }

    /**
     * Writes one feedback packet at {@code off}, reporting from the first unreported number to the
     * highest received, or as much of that as fits in one packet (at most the constructor's size,
     * and the room left in {@code buf}) or in 16-bit deltas. Call again until it returns 0.
     *
     * @return the packet's length, 0 when there is nothing to report, -1 when not even one arrival fits
     */
    public int buildFeedback(byte[] buf, int off, long senderSsrc, long mediaSsrc, long nowMicros) {
        synchronized (lock) {
            if (!started || nextStart > highest) {
                return 0;
            }
            if (buf == null || off < 0 || off > buf.length) {
                return -1;
            }
            int limit = Math.min(maxFeedbackBytes, buf.length - off);
            if (limit < TransportCcFeedback.MIN_LENGTH) {
                return -1;
            }
            long first = nextStart;
            while (arrivals[(int) first & MASK] == NOT_RECEIVED) {
                first++; // ends at highest, which is always received
            }
            writer.reset((int) nextStart, arrivals[(int) first & MASK], feedbackPacketCount, limit);
            long last = -1;
            for (long s = first; s <= highest; s++) {
                long arrival = arrivals[(int) s & MASK];
                if (arrival == NOT_RECEIVED) {
                    continue;
                }
                if (!writer.addReceived((int) s, arrival)) {
                    break;
                }
                last = s;
            }
            if (last < 0) {
                return -1;
            }
            int length = writer.write(buf, off, senderSsrc, mediaSsrc);
            if (length < 0) {
                return -1;
            }
            lastBase = nextStart;
            nextStart = last + 1;
            feedbackPacketCount = (feedbackPacketCount + 1) & 0xFF;
            sentAny = true;
            lastSentMicros = nowMicros;
            return length;
        }
    }

    /** Packets ignored because they were older than the last feedback's base or the window. */
    public long latePackets() {
        synchronized (lock) {
            return latePackets;
        }
    }

    public long duplicatePackets() {
        synchronized (lock) {
            return duplicatePackets;
        }
    }

    /** Times the history was cleared because the sender's counter jumped. */
    public long restarts() {
        synchronized (lock) {
            return restarts;
        }
    }

    private void restart(int sequence, long arrivalMicros) {
        Arrays.fill(arrivals, NOT_RECEIVED);
        started = true;
        highest = sequence;
        nextStart = sequence;
        lastBase = sequence;
        lateInARow = 0;
        arrivals[sequence & MASK] = arrivalMicros;
    }
}
