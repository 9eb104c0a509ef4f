package org.atrium.sfu.media;

/**
 * Maps a wrapping counter of a source stream (an RTP sequence number, a VP8 picture id)
 * onto the counter a receiver sees: continuous across a change of source, and without
 * the gaps that packets deliberately not forwarded would leave. A receiver takes every
 * gap for loss: it would NACK it, and stall its decoder waiting for it.
 *
 * <p>An input maps to {@code input + offset - (inputs dropped before it)}. Drops are
 * recorded only ahead of the highest input seen, so every output stays what it was the
 * first time: a late packet or a retransmission maps to the same number again. A late
 * packet that is dropped leaves its gap (the receiver's NACK for it finds nothing).
 *
 * <p>The drops are kept in a ring, in increasing order; when it is full, or the oldest
 * falls half the counter's range behind, the oldest is folded into the offset and inputs
 * older than it are refused, as are inputs older than the last rebase. One instance per receiver stream, used by one thread;
 * nothing is allocated after construction.
 */
final class SequenceMap {

    private static final int DROP_CAPACITY = 1024;

    private final long modulus;
    private final long mask;
    private final long half;
    private final long[] drops = new long[DROP_CAPACITY];
    private int dropHead;
    private int dropCount;
    /** Inputs at or below this are refused: their drops are no longer known. */
    private long floor = Long.MIN_VALUE;
    private boolean started;
    /** Highest input seen (forwarded or dropped), unwrapped. */
    private long highestInput;
    /** Highest output given, unwrapped. */
    private long highestOutput;
    private long offset;

    /** @param bits the counter's width: 16 for RTP sequence numbers, 15 for VP8 picture ids */
    SequenceMap(int bits) {
        this.modulus = 1L << bits;
        this.mask = modulus - 1;
        this.half = modulus >>> 1;
    }

    /**
     * Starts (or restarts, on a change of source) the mapping so that {@code input} maps
     * to the output after the last one given, or to {@code firstOutput} the first time.
     */
    void rebase(int input, long firstOutput) {
        long next = started ? highestOutput + 1 : firstOutput & mask;
        highestInput = input & mask;
        offset = next - highestInput;
        highestOutput = next - 1;
        dropHead = 0;
        dropCount = 0;
        // Inputs before the new start belong to what came before: a late packet of it.
        floor = highestInput - 1;
        started = true;
    }

    boolean isStarted() {
        return started;
    }

    /**
     * The output for a forwarded input, or -1 when it cannot be given one (too old, or
     * an input that was dropped).
     */
    int map(int input) {
        if (!started) {
            return -1;
        }
        long unwrapped = unwrap(input);
        if (unwrapped <= floor || isDropped(unwrapped)) {
            return -1;
        }
        if (unwrapped > highestInput) {
            highestInput = unwrapped;
        }
        long output = unwrapped + offset - droppedBefore(unwrapped);
        if (output > highestOutput) {
            highestOutput = output;
        }
        return (int) (output & mask);
    }

    /** Takes an input out of the output space: it will not be forwarded. */
    void drop(int input) {
        if (!started) {
            return;
        }
        long unwrapped = unwrap(input);
        if (unwrapped <= highestInput) {
            // Already given an output, or late: its gap stays (see the class comment).
            return;
        }
        highestInput = unwrapped;
        while (dropCount > 0 && (dropCount == DROP_CAPACITY || unwrapped - drops[dropHead] > half)) {
            foldOldestDrop();
        }
        drops[(dropHead + dropCount) % DROP_CAPACITY] = unwrapped;
        dropCount++;
    }

    /** The last output given, within the counter's range, or -1 before the first. */
    int lastOutput() {
        return started ? (int) (highestOutput & mask) : -1;
    }

    private void foldOldestDrop() {
        floor = drops[dropHead];
        offset--;
        dropHead = (dropHead + 1) % DROP_CAPACITY;
        dropCount--;
    }

    /** The input on the unwrapped axis, the nearest to the highest input seen. */
    private long unwrap(int input) {
        long value = input & mask;
        long candidate = (highestInput & ~mask) | value;
        if (candidate - highestInput > half) {
            candidate -= modulus;
        } else if (highestInput - candidate > half) {
            candidate += modulus;
        }
        return candidate;
    }

    private boolean isDropped(long unwrapped) {
        int index = lowerBound(unwrapped);
        return index < dropCount && drops[(dropHead + index) % DROP_CAPACITY] == unwrapped;
    }

    private long droppedBefore(long unwrapped) {
        return lowerBound(unwrapped);
    }

    /** How many recorded drops are below {@code value} (binary search over the ring). */
    private int lowerBound(long value) {
        int low = 0;
        int high = dropCount;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (drops[(dropHead + middle) % DROP_CAPACITY] < value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
