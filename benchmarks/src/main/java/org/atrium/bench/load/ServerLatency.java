package org.atrium.bench.load;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The servers' own forwarding delay, from the receipt of a publisher's packet to its send to
 * one receiver: the cumulative buckets of {@code atrium_forwarding_latency_seconds}, summed over
 * the nodes, at one instant. Beside the subscribers' delay it tells where a packet waited: a
 * server that sent in time on loopback handed the packet to the subscriber's socket at once,
 * so what came after was the load generator's.
 *
 * @param upperBoundsSeconds the buckets' {@code le} bounds, ascending, the last +Inf
 * @param cumulativeCounts forwarded packets at or under each bound
 */
record ServerLatency(double[] upperBoundsSeconds, long[] cumulativeCounts) {

    static final String BUCKET = "atrium_forwarding_latency_seconds_bucket";

    /** The buckets summed over the nodes' {@code /metrics} texts; null when one lacks them. */
    static ServerLatency parse(List<String> texts) {
        Map<Double, Long> sums = new TreeMap<>();
        for (String text : texts) {
            if (text == null) {
                return null;
            }
            boolean found = false;
            for (String line : text.split("\n")) {
                if (!line.startsWith(BUCKET + "{")) {
                    continue;
                }
                int le = line.indexOf("le=\"");
                int end = le < 0 ? -1 : line.indexOf('"', le + 4);
                if (end < 0) {
                    continue;
                }
                try {
                    String bound = line.substring(le + 4, end);
                    double seconds = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                    long count = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    sums.merge(seconds, count, Long::sum);
                    found = true;
                } catch (NumberFormatException e) {
                    // an odd sample: skip it
                }
            }
            if (!found) {
                return null;
            }
        }
        if (sums.isEmpty()) {
            return null;
        }
        double[] bounds = new double[sums.size()];
        long[] counts = new long[sums.size()];
        int i = 0;
        for (Map.Entry<Double, Long> entry : sums.entrySet()) {
            bounds[i] = entry.getKey();
            counts[i++] = entry.getValue();
        }
        return new ServerLatency(bounds, counts);
    }

    /**
     * The bucket bound under which a share {@code q} of the packets forwarded since
     * {@code start} fell, in milliseconds: an upper bound of that quantile (+Inf past the last
     * finite bucket); NaN when nothing was forwarded or either side is missing.
     */
    static double quantileMs(ServerLatency start, ServerLatency end, double q) {
        if (start == null || end == null || start.upperBoundsSeconds.length != end.upperBoundsSeconds.length) {
            return Double.NaN;
        }
        int last = end.cumulativeCounts.length - 1;
        long total = end.cumulativeCounts[last] - start.cumulativeCounts[last];
        if (total <= 0) {
            return Double.NaN;
        }
        for (int i = 0; i <= last; i++) {
            if (end.cumulativeCounts[i] - start.cumulativeCounts[i] >= q * total) {
                return end.upperBoundsSeconds[i] * 1000;
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
