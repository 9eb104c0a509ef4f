package org.atrium.srtp;

import java.util.Arrays;

/**
 * A sliding replay window over packet indices (RFC 3711 section 3.3.2): the highest accepted
 * index and a bitmap of which of the {@code size} indices below it were seen. The bitmap is
 * circular, indexed by index modulo size, so advancing only clears the bits it passes over.
 *
 * <p>{@link #check} has no side effects; only {@link #accept}, called after authentication,
 * moves the window, so forged packets cannot disturb it.
 */
final class ReplayWindow {
    private final long[] bits;
    private final int mask;
    private boolean empty = true;
    private long highest;

    /** @param size a power of two, at least 64 */
    ReplayWindow(int size) {
        if (size < 64 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("replay window size must be a power of two >= 64: " + size);
        }
        this.bits = new long[size >>> 6];
        this.mask = size - 1;
    }

    boolean isEmpty() {
        return empty;
    }

    long highest() {
        return highest;
    }

    /** 0 if the index may be accepted, else {@link SrtpError#REPLAYED} or {@link SrtpError#TOO_OLD}. */
    int check(long index) {
        if (empty || index > highest) {
            return 0;
        }
        if (highest - index > mask) {
            return SrtpError.TOO_OLD;
        }
        return isSet(index) ? SrtpError.REPLAYED : 0;
    }

    /** Records an authenticated index that {@link #check} allowed. */
    void accept(long index) {
        if (empty) {
            empty = false;
            highest = index;
        } else if (index > highest) {
            long advance = index - highest;
            if (advance > mask) {
                Arrays.fill(bits, 0L);
            } else {
                for (long i = highest + 1; i < index; i++) {
                    clear(i);
                }
            }
            highest = index;
        }
        set(index);
    }

    private boolean isSet(long index) {
        int bit = (int) index & mask;
        return (bits[bit >>> 6] & (1L << bit)) != 0;
    }

    private void set(long index) {
        int bit = (int) index & mask;
        bits[bit >>> 6] |= 1L << bit;
    }

    private void clear(long index) {
        int bit = (int) index & mask;
        bits[bit >>> 6] &= ~(1L << bit);
    }
}
