package org.atrium.sfu.cc;

/**
 * What was sent on one transport, by transport-wide sequence number
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 2): send time, size and probe
 * cluster, kept so that transport-cc feedback, which names packets only by number, can be matched
 * to them.
 *
 * <p>A ring of a fixed power-of-two number of slots, indexed by the 16-bit number unwrapped to a
 * long against the highest number sent. All memory is allocated at construction; {@link #onSent}
 * and {@link #find} allocate nothing. Feedback about a number never sent, or older than the ring,
 * is not an error on the media path: {@link #find} returns -1 and counts it.
 *
 * <p>Each slot also remembers what feedback said about it ({@link #SENT}, {@link #LOST},
 * {@link #RECEIVED}), so that duplicate or reordered feedback is recognised (see
 * {@link TransportCcFeedbackAdapter}). Times are microseconds on the sender's clock.
 * Not thread-safe: one instance per transport, used on its send lane.
 */
public final class SentPacketHistory {
    public static final int DEFAULT_CAPACITY = 8192;
    /** {@link #probeClusterAt} of a packet that is not part of a probe. */
    public static final int NOT_PROBE = -1;

    static final byte EMPTY = 0;
    static final byte SENT = 1;
    /** Reported lost; a later feedback may still report it received. */
    static final byte LOST = 2;
    static final byte RECEIVED = 3;

    private final int mask;
    private final long[] sequences;
    private final long[] sendMicros;
    private final int[] sizes;
    private final int[] probeClusters;
    private final byte[] states;

    private boolean started;
    private long highest;
    private long unknown;
    private long tooOld;

    public SentPacketHistory() {
        this(DEFAULT_CAPACITY);
    }

    /** @param capacity packets remembered, a power of two; cover at least a second of sending */
    public SentPacketHistory(int capacity) {
        if (capacity < 16 || Integer.bitCount(capacity) != 1 || capacity > 1 << 15) {
            throw new IllegalArgumentException("capacity must be a power of two in 16..32768: " + capacity);
        }
        this.mask = capacity - 1;
        this.sequences = new long[capacity];
        this.sendMicros = new long[capacity];
        this.sizes = new int[capacity];
        this.probeClusters = new int[capacity];
        this.states = new byte[capacity];
    }

    /**
     * Records a packet stamped with transport-wide number {@code sequence} (its low 16 bits count).
     * Numbers normally increase by one; a number sent again (a retransmission reusing it) replaces
     * the old record.
     *
     * @param probeClusterId the probe cluster it belongs to, or {@link #NOT_PROBE}
     * @return the unwrapped sequence number (the first one sent plus 65536, so that numbers
     *         before it stay positive)
     */
    public long onSent(int sequence, int sizeBytes, long sendTimeMicros, int probeClusterId) {
        long unwrapped = started ? unwrap(sequence) : (sequence & 0xFFFF) + (1L << 16);
        if (!started || unwrapped > highest) {
            highest = unwrapped;
            started = true;
        }
        int slot = (int) unwrapped & mask;
        sequences[slot] = unwrapped;
        sendMicros[slot] = sendTimeMicros;
        sizes[slot] = sizeBytes;
        probeClusters[slot] = probeClusterId;
        states[slot] = SENT;
        return unwrapped;
    }

    /**
     * The slot of the packet sent with number {@code sequence}, or -1, counted in
     * {@link #unknownFeedback} or {@link #tooOldFeedback}, when no such packet is remembered.
     */
    public int find(int sequence) {
        if (!started) {
            unknown++;
            return -1;
        }
        long unwrapped = unwrap(sequence);
        if (unwrapped > highest) {
            unknown++;
            return -1;
        }
        if (unwrapped <= highest - (mask + 1)) {
            tooOld++;
            return -1;
        }
        int slot = (int) unwrapped & mask;
        if (states[slot] == EMPTY || sequences[slot] != unwrapped) {
            unknown++;
            return -1;
        }
        return slot;
    }

    /** The number nearest the highest sent whose low 16 bits are {@code sequence}. */
    long unwrap(int sequence) {
        return highest + (short) (sequence - (int) highest);
    }

    public long sequenceAt(int slot) {
        return sequences[slot];
    }

    public long sendMicrosAt(int slot) {
        return sendMicros[slot];
    }

    public int sizeAt(int slot) {
        return sizes[slot];
    }

    public int probeClusterAt(int slot) {
        return probeClusters[slot];
    }

    byte stateAt(int slot) {
        return states[slot];
    }

    void setState(int slot, byte state) {
        states[slot] = state;
    }

    public int capacity() {
        return mask + 1;
    }

    /** The highest unwrapped number sent, or -1 before the first. */
    public long highestSent() {
        return started ? highest : -1;
    }

    /** Feedback entries about numbers never sent (or overwritten since). */
    public long unknownFeedback() {
        return unknown;
    }

    /** Feedback entries about numbers that have left the ring. */
    public long tooOldFeedback() {
        return tooOld;
    }
}
