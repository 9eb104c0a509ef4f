package org.atrium.bench.load;

/**
 * Counts delays in log-linear buckets of microseconds: 16 buckets per power of two, so a
 * percentile read back is within about 4% of the true value. One writer thread; readers
 * take {@link #copyInto} snapshots, which may lag the writer by a few packets.
 */
final class DelayHistogram {

    static final int SUB_BUCKETS = 16;
    /** Up to 2^31 us (about 36 minutes); larger delays land in the last bucket. */
    static final int BUCKETS = (31 - 4 + 1) * SUB_BUCKETS + SUB_BUCKETS;

    private final long[] counts = new long[BUCKETS];

    void record(long micros) {
        counts[index(micros)]++;
    }

    void copyInto(long[] target) {
        for (int i = 0; i < BUCKETS; i++) {
            target[i] += counts[i];
        }
    }

    static int index(long micros) {
        if (micros < SUB_BUCKETS) {
            return (int) Math.max(0, micros);
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros); // >= 4
        int sub = (int) (micros >>> (exponent - 4)) & (SUB_BUCKETS - 1);
        int index = (exponent - 3) * SUB_BUCKETS + sub;
        return Math.min(index, BUCKETS - 1);
    }

    /** The middle of the bucket, in microseconds. */
    static double valueOf(int index) {
        if (index < SUB_BUCKETS) {
            return index + 0.5;
        }
        int exponent = index / SUB_BUCKETS + 3;
        int sub = index % SUB_BUCKETS;
        double low = (double) (SUB_BUCKETS + sub) * (1L << (exponent - 4));
        return low + (1L << (exponent - 4)) / 2.0;
    }

    /** The value at quantile q (0..1) of the counts, in microseconds; NaN when empty. */
    static double quantile(long[] counts, double q) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return valueOf(i);
            }
        }
        return valueOf(counts.length - 1);
    }
}
