package org.atrium.sfu.media;

/**
 * Decides which of a producer's packets the SFU asks the publisher to retransmit (generic NACK,
 * RFC 4585 6.2.1), from the sequence numbers it receives.
 *
 * <p>A gap in the sequence numbers records each missing packet. A missing packet is first
 * requested {@link Config#reorderDelayNanos} after the gap appeared, since most late packets are
 * reordered rather than lost; it is requested again every max(RTT, {@link
 * Config#minRetryIntervalNanos}), the earliest a retransmission of the previous request could have
 * arrived, until it arrives, {@link Config#maxRetries} requests were sent, or it is older than
 * {@link Config#maxAgeNanos} (too late for any receiver's jitter buffer). Across all packets no
 * more than {@link Config#maxNacksPerSecond} requests are made per second, with bursts of up to one
 * second's worth, so that a burst of loss cannot turn into a burst of retransmissions that makes
 * the congestion worse.
 *
 * <p>At most {@link Config#maxMissing} packets are tracked. When more go missing, or the sequence
 * jumps forward by more than that, the oldest are given up and a keyframe is needed
 * ({@link #takeKeyframeRequest}): retransmission cannot repair the stream any more.
 *
 * <p>Memory: {@code 28 × maxMissing} bytes (28 KB for 1000), allocated by the constructor.
 *
 * <p>Thread-safety: all methods synchronize on this object. {@link #onPacket} is called by the
 * publisher's receive thread and {@link #collectNacks} by a timer (or the same thread); the lock
 * is held for O(log maxMissing) per packet in order, O(gap) for a gap, and O(maxMissing) per
 * collection. Nothing allocates after construction.
 */
public final class NackGenerator {

    /**
     * Tuning, with units in the names.
     *
     * @param maxMissing packets tracked at most; libwebrtc uses 1000
     * @param reorderDelayNanos wait before the first request: 10 ms covers the reordering seen on
     *     real paths (a few ms, from parallel links and Wi-Fi retries) at a small cost next to an
     *     RTT, and avoids retransmitting packets that were only late
     * @param minRetryIntervalNanos floor of the retry interval, for paths whose measured RTT is
     *     shorter than the publisher's reaction time
     * @param maxRetries requests per packet at most; libwebrtc and mediasoup use 10
     * @param maxAgeNanos packets missing for longer are given up
     * @param maxNacksPerSecond requests per second at most, over all packets
     * @param initialRttNanos RTT until {@link #setRtt} is called; libwebrtc assumes 100 ms
     */
    public record Config(int maxMissing, long reorderDelayNanos, long minRetryIntervalNanos, int maxRetries,
            long maxAgeNanos, int maxNacksPerSecond, long initialRttNanos) {

        public static final Config DEFAULT = new Config(1000, 10_000_000L, 20_000_000L, 10, 1_000_000_000L,
                1000, 100_000_000L);

        public Config {
            if (maxMissing < 1 || maxMissing > 1 << 15) {
                throw new IllegalArgumentException("maxMissing must be in [1, 32768]: " + maxMissing);
            }
            if (reorderDelayNanos < 0 || minRetryIntervalNanos <= 0 || maxAgeNanos <= 0 || initialRttNanos <= 0) {
                throw new IllegalArgumentException("delays must be positive");
            }
            if (maxRetries < 1 || maxNacksPerSecond < 1 || maxNacksPerSecond > 1_000_000_000) {
                throw new IllegalArgumentException("maxRetries and maxNacksPerSecond must be positive");
            }
        }
    }

    private static final long SECOND = 1_000_000_000L;

    private final Config config;
    private final long nanosPerNack;

    // Missing packets, a ring in increasing sequence order (gaps are found in that order),
    // from head for size entries, some of them removed (REMOVED in tries).
    private final long[] sequences;
    private final long[] missingSince;
    private final long[] dueAt;
    private final int[] tries;
    private int head;
    private int size;
    private int live;

    private long highest = -1;
    private long rttNanos;
    private long credit;
    private long creditAt;
    private boolean creditStarted;
    private boolean keyframeNeeded;

    private static final int REMOVED = -1;

    public NackGenerator(Config config) {
        this.config = config;
        this.nanosPerNack = Math.max(1, SECOND / config.maxNacksPerSecond());
        int n = config.maxMissing();
        this.sequences = new long[n];
        this.missingSince = new long[n];
        this.dueAt = new long[n];
        this.tries = new int[n];
        this.rttNanos = config.initialRttNanos();
    }

    /**
     * Records a received packet of the producer, original or recovered by RTX.
     *
     * @return true when it is news: the first packet, one after the highest so far, or one that
     *     was missing. False for a duplicate or one older than what is tracked; an RTX-recovered
     *     packet for which this returns false was forwarded already, or given up on, and should be
     *     dropped
     */
    public synchronized boolean onPacket(int sequence, long nowNanos) {
        if (highest < 0) {
            highest = PacketCache.extend(sequence & 0xFFFF, -1);
            return true;
        }
        long extended = PacketCache.extend(sequence & 0xFFFF, highest);
        if (extended > highest) {
            long gap = extended - highest - 1;
            if (gap > config.maxMissing()) {
                // More is lost than could be tracked: only a keyframe repairs the stream.
                keyframeNeeded = true;
                clear();
            } else {
                for (long s = highest + 1; s < extended; s++) {
                    addMissing(s, nowNanos);
                }
            }
            highest = extended;
            return true;
        }
        if (extended == highest) {
            return false;
        }
        int i = indexOf(extended);
        if (i < 0) {
            return false;
        }
        tries[i] = REMOVED;
        live--;
        return true;
    }

    /**
     * Writes the 16-bit sequence numbers due for a request now into {@code out}, in increasing
     * order as {@code Nack.write} wants them, and counts each as one more request. Gives up on
     * packets past the retry or age limit. Packets left out by the rate limit or by the size of
     * {@code out} stay due for the next call.
     *
     * @return how many were written
     */
    public synchronized int collectNacks(int[] out, long nowNanos) {
        refillCredit(nowNanos);
        long interval = Math.max(rttNanos, config.minRetryIntervalNanos());
        int n = 0;
        for (int k = 0; k < size; k++) {
            int i = index(k);
            if (tries[i] == REMOVED) {
                continue;
            }
            if (nowNanos - missingSince[i] > config.maxAgeNanos()) {
                remove(i);
                continue;
            }
            if (nowNanos - dueAt[i] < 0) {
                continue;
            }
            if (tries[i] >= config.maxRetries()) {
                // Its last request had a full interval to be answered.
                remove(i);
                continue;
            }
            if (n == out.length || credit < nanosPerNack) {
                continue;
            }
            credit -= nanosPerNack;
            out[n++] = (int) (sequences[i] & 0xFFFF);
            tries[i]++;
            dueAt[i] = nowNanos + interval;
        }
        trimHead();
        return n;
    }

    /** Sets the round-trip time to the publisher (from RTCP receiver reports, RFC 3550 6.4.1). */
    public synchronized void setRtt(long rttNanos) {
        if (rttNanos > 0) {
            this.rttNanos = rttNanos;
        }
    }

    /**
     * True once after packets were given up because too many went missing at once: the producer
     * should ask the publisher for a keyframe. Reading it clears it.
     */
    public synchronized boolean takeKeyframeRequest() {
        boolean needed = keyframeNeeded;
        keyframeNeeded = false;
        return needed;
    }

    /** Packets currently missing and still requested. */
    public synchronized int missingCount() {
        return live;
    }

    /** Forgets everything, for a new publisher SSRC whose numbering starts afresh. */
    public synchronized void reset() {
        clear();
        highest = -1;
        keyframeNeeded = false;
    }

    private void addMissing(long sequence, long nowNanos) {
        if (size == sequences.length) {
            compact();
        }
        if (size == sequences.length) {
            // Still full of live entries: give up the oldest.
            head = index(1);
            size--;
            live--;
            keyframeNeeded = true;
        }
        int i = index(size++);
        sequences[i] = sequence;
        missingSince[i] = nowNanos;
        dueAt[i] = nowNanos + config.reorderDelayNanos();
        tries[i] = 0;
        live++;
    }

    private void remove(int i) {
        tries[i] = REMOVED;
        live--;
    }

    /** Binary search of the ring, which is sorted by sequence; removed entries keep their sequence. */
    private int indexOf(long sequence) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long s = sequences[index(mid)];
            if (s < sequence) {
                lo = mid + 1;
            } else if (s > sequence) {
                hi = mid - 1;
            } else {
                int i = index(mid);
                return tries[i] == REMOVED ? -1 : i;
            }
        }
        return -1;
    }

    private void trimHead() {
        while (size > 0 && tries[head] == REMOVED) {
            head = index(1);
            size--;
        }
        if (size == 0) {
            head = 0;
        }
    }

    /** Moves the live entries to the front of the ring, in order. */
    private void compact() {
        int kept = 0;
        for (int k = 0; k < size; k++) {
            int from = index(k);
            if (tries[from] == REMOVED) {
                continue;
            }
            int to = index(kept++);
            sequences[to] = sequences[from];
            missingSince[to] = missingSince[from];
            dueAt[to] = dueAt[from];
            tries[to] = tries[from];
        }
        size = kept;
    }

    private void clear() {
        head = 0;
        size = 0;
        live = 0;
    }

    private int index(int k) {
        int i = head + k;
        return i >= sequences.length ? i - sequences.length : i;
    }

    private void refillCredit(long nowNanos) {
        if (!creditStarted) {
            credit = SECOND;
            creditAt = nowNanos;
            creditStarted = true;
            return;
        }
        long elapsed = nowNanos - creditAt;
        if (elapsed > 0) {
            credit = Math.min(SECOND, credit + elapsed);
            creditAt = nowNanos;
        }
    }
}
