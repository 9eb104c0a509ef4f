package org.atrium.sctp;

import static org.atrium.sctp.Tsn.le;
import static org.atrium.sctp.Tsn.lt;

import org.atrium.sctp.packet.SackChunk;

/**
 * The receiver's TSN bookkeeping: the cumulative TSN, the received ranges past it (the SACK's gap
 * blocks) and the duplicates since the last SACK. Bounded: TSNs more than {@link #MAX_AHEAD}
 * past the cumulative TSN, or that would make more than {@link #MAX_GAPS} ranges, are refused.
 */
final class ReceivedTsns {
    /** Gap block offsets are 16 bits. */
    static final int MAX_AHEAD = 65535;
    static final int MAX_GAPS = 128;
    private static final int MAX_DUPLICATES = 16;

    static final int NEW = 0;
    static final int DUPLICATE = 1;
    static final int REFUSED = 2;

    private int cum;
    private long cumUnwrapped;
    private final int[] starts = new int[MAX_GAPS];
    private final int[] ends = new int[MAX_GAPS];
    private int gaps;
    private final int[] duplicates = new int[MAX_DUPLICATES];
    private int duplicateCount;
    private final int[] offStarts = new int[MAX_GAPS];
    private final int[] offEnds = new int[MAX_GAPS];

    void init(int peerInitialTsn) {
        cum = peerInitialTsn - 1;
        cumUnwrapped = cum & 0xFFFF_FFFFL;
        gaps = 0;
        duplicateCount = 0;
    }

    int cumulative() {
        return cum;
    }

    /** The TSN as a 64-bit count that does not wrap, for ordering across the 2^32 wrap. */
    long unwrap(int tsn) {
        return cumUnwrapped + (tsn - cum);
    }

    int highest() {
        return gaps == 0 ? cum : ends[gaps - 1];
    }

    boolean hasGaps() {
        return gaps > 0;
    }

    int add(int tsn) {
        if (le(tsn, cum)) {
            duplicate(tsn);
            return DUPLICATE;
        }
        if (tsn - cum > MAX_AHEAD || tsn - cum < 0) {
            return REFUSED;
        }
        if (tsn == cum + 1) {
            advanceTo(tsn);
            if (gaps > 0 && starts[0] == cum + 1) {
                advanceTo(ends[0]);
                removeGap(0);
            }
            return NEW;
        }
        int p = 0;
        while (p < gaps && lt(ends[p], tsn)) {
            p++;
        }
        if (p < gaps && le(starts[p], tsn)) {
            duplicate(tsn);
            return DUPLICATE;
        }
        boolean joinsPrevious = p > 0 && ends[p - 1] + 1 == tsn;
        boolean joinsNext = p < gaps && starts[p] == tsn + 1;
        if (joinsPrevious && joinsNext) {
            ends[p - 1] = ends[p];
            removeGap(p);
        } else if (joinsPrevious) {
            ends[p - 1] = tsn;
        } else if (joinsNext) {
            starts[p] = tsn;
        } else {
            if (gaps == MAX_GAPS) {
                return REFUSED;
            }
            System.arraycopy(starts, p, starts, p + 1, gaps - p);
            System.arraycopy(ends, p, ends, p + 1, gaps - p);
            starts[p] = tsn;
            ends[p] = tsn;
            gaps++;
        }
        return NEW;
    }

    /** FORWARD TSN (RFC 3758 3.6): everything up to {@code newCum} counts as received. */
    void forwardTo(int newCum) {
        if (!lt(cum, newCum)) {
            return;
        }
        advanceTo(newCum);
        while (gaps > 0 && le(starts[0], cum + 1)) {
            if (lt(cum, ends[0])) {
                advanceTo(ends[0]);
            }
            removeGap(0);
        }
    }

    private void advanceTo(int tsn) {
        cumUnwrapped += tsn - cum;
        cum = tsn;
    }

    private void removeGap(int i) {
        System.arraycopy(starts, i + 1, starts, i, gaps - i - 1);
        System.arraycopy(ends, i + 1, ends, i, gaps - i - 1);
        gaps--;
    }

    private void duplicate(int tsn) {
        if (duplicateCount < MAX_DUPLICATES) {
            duplicates[duplicateCount++] = tsn;
        }
    }

    boolean hasDuplicates() {
        return duplicateCount > 0;
    }

    /**
     * Writes a SACK announcing {@code window}, with as many gap blocks and duplicates as fit in
     * {@code room}; forgets the duplicates. Returns the bytes written, 0 when even the fixed part
     * does not fit.
     */
    int writeSack(byte[] b, int off, int room, long window) {
        if (room < SackChunk.FIXED_LENGTH) {
            return 0;
        }
        int fit = (room - SackChunk.FIXED_LENGTH) / 4;
        int g = Math.min(gaps, fit);
        int d = Math.min(duplicateCount, fit - g);
        for (int i = 0; i < g; i++) {
            offStarts[i] = starts[i] - cum;
            offEnds[i] = ends[i] - cum;
        }
        int len = SackChunk.write(b, off, cum, window, offStarts, offEnds, g, duplicates, d);
        duplicateCount = 0;
        return len;
    }
}
