package org.atrium.bench.load;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Prints results as a fixed-width table, and the once-a-second progress line. {@code srv pps}
 * and {@code srv relay pps} are the servers' own counts summed over the nodes: packets
 * forwarded to receivers, and packets sent to other nodes over relay links ("-" for the raw
 * relay). With data channels on, data columns follow: messages sent and received in the
 * window, messages lost, and the delivery delay's p50 and p99. {@code gen cpu %} is the load
 * generator's own CPU; after the table, a line for each result that something limited
 * ({@link LimitRule}).
 */
final class ResultTable {

    private static final String HEADER = String.format(Locale.ROOT,
            "%-6s %5s %5s %9s %9s %13s %8s %8s %7s %8s %8s %8s %7s %7s %8s %9s %9s %10s",
            "target", "pubs", "subs", "fwd pps", "srv pps", "srv relay pps", "in Mb/s", "out Mb/s", "loss %",
            "p50 ms", "p99 ms", "p99.9 ms", "jit ms", "cpu %", "us/pkt", "gen cpu %", "gen thr %", "srv p99 ms");

    private static final String DATA_HEADER = String.format(Locale.ROOT, " %8s %8s %6s %8s %8s",
            "dat sent", "dat rcvd", "d lost", "d p50 ms", "d p99 ms");

    private ResultTable() {
    }

    static void print(PrintStream out, List<WindowResult> results, boolean data, LimitRule rule) {
        out.println(data ? HEADER + DATA_HEADER : HEADER);
        for (WindowResult r : results) {
            out.println(row(r, data));
        }
        for (WindowResult r : results) {
            String limit = rule.explain(r);
            if (limit != null) {
                out.println(limit);
            }
        }
    }

    static String row(WindowResult r, boolean data) {
        if (!data) {
            return row(r);
        }
        return row(r) + String.format(Locale.ROOT, " %8d %8d %6d %8.2f %8.2f", r.dataSent(), r.dataReceived(),
                r.dataLost(), r.dataDelayP50Ms(), r.dataDelayP99Ms());
    }

    static String row(WindowResult r) {
        return String.format(Locale.ROOT,
                "%-6s %5d %5d %9.0f %9.0f %13s %8.2f %8.2f %7.3f %8.2f %8.2f %8.2f %7.2f %7.1f %8.2f %9.1f %9.1f %10.2f",
                r.target(), r.publishers(), r.subscribers(), r.forwardedPps(), r.serverForwardedPps(),
                Double.isNaN(r.relayedPps()) ? "-" : String.format(Locale.ROOT, "%.0f", r.relayedPps()),
                r.bitrateInMbps(), r.bitrateOutMbps(), r.lossPercent(), r.delayP50Ms(), r.delayP99Ms(),
                r.delayP999Ms(), r.jitterMs(), r.serverCpuPercent(), r.cpuMicrosPerPacket(), r.generatorCpuPercent(),
                r.generatorBusiestThreadPercent(), r.serverDelayP99Ms());
    }

    /** With {@code relay} (several nodes), the packets/s the nodes relayed to each other follow the CPU. */
    static String progress(int second, WindowResult r, boolean data, boolean relay) {
        String line = relay ? progress(second, r) + String.format(Locale.ROOT, " relay=%.0f pps", r.relayedPps())
                : progress(second, r);
        if (!data) {
            return line;
        }
        return line + String.format(Locale.ROOT, " data sent=%d rcvd=%d lost=%d p50=%.2f ms p99=%.2f ms",
                r.dataSent(), r.dataReceived(), r.dataLost(), r.dataDelayP50Ms(), r.dataDelayP99Ms());
    }

    static String progress(int second, WindowResult r) {
        return String.format(Locale.ROOT,
                "[%4ds] %s pubs=%d subs=%d sent=%.0f pps fwd=%.0f pps in=%.1f Mb/s out=%.1f Mb/s loss=%.2f%% "
                        + "p50=%.2f ms p99=%.2f ms cpu=%.0f%% gen=%.0f%% gen thread=%.0f%%",
                second, r.target(), r.publishers(), r.subscribers(), r.sentPps(), r.forwardedPps(), r.bitrateInMbps(),
                r.bitrateOutMbps(), r.lossPercent(), r.delayP50Ms(), r.delayP99Ms(), r.serverCpuPercent(),
                r.generatorCpuPercent(), r.generatorBusiestThreadPercent());
    }
}
