package org.atrium.bench.load;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Prints results as a fixed-width table, and the once-a-second progress line. */
final class ResultTable {

    private static final String HEADER = String.format(Locale.ROOT,
            "%-6s %5s %5s %9s %9s %8s %8s %7s %8s %8s %8s %7s %7s %8s",
            "target", "pubs", "subs", "fwd pps", "srv pps", "in Mb/s", "out Mb/s", "loss %", "p50 ms", "p99 ms",
            "p99.9 ms", "jit ms", "cpu %", "us/pkt");

    private ResultTable() {
    }

    static void print(PrintStream out, List<WindowResult> results) {
        out.println(HEADER);
        for (WindowResult r : results) {
            out.println(row(r));
        }
    }

    static String row(WindowResult r) {
        return String.format(Locale.ROOT, "%-6s %5d %5d %9.0f %9.0f %8.2f %8.2f %7.3f %8.2f %8.2f %8.2f %7.2f %7.1f %8.2f",
                r.target(), r.publishers(), r.subscribers(), r.forwardedPps(), r.serverForwardedPps(),
                r.bitrateInMbps(), r.bitrateOutMbps(), r.lossPercent(), r.delayP50Ms(), r.delayP99Ms(),
                r.delayP999Ms(), r.jitterMs(), r.serverCpuPercent(), r.cpuMicrosPerPacket());
    }

    static String progress(int second, WindowResult r) {
        return String.format(Locale.ROOT,
                "[%4ds] %s pubs=%d subs=%d sent=%.0f pps fwd=%.0f pps in=%.1f Mb/s out=%.1f Mb/s loss=%.2f%% "
                        + "p50=%.2f ms p99=%.2f ms cpu=%.0f%%",
                second, r.target(), r.publishers(), r.subscribers(), r.sentPps(), r.forwardedPps(), r.bitrateInMbps(),
                r.bitrateOutMbps(), r.lossPercent(), r.delayP50Ms(), r.delayP99Ms(), r.serverCpuPercent());
    }
}
