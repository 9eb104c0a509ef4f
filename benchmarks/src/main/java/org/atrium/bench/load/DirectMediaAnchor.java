package org.atrium.bench.load;

import java.io.PrintStream;
import java.util.List;

/**
 * The load generator's fixed run, for tools outside this package that need the SFU's CPU per
 * forwarded packet with direct UDP media as an anchor (and the raw UDP relay's, with
 * {@code --baseline}) in the same run as their own measurement.
 */
public final class DirectMediaAnchor {

    /** One window of the load generator: its target ("sfu" or "relay") and what was measured. */
    public record Result(String target, int publishers, int subscribers, double seconds, double forwardedPps,
            double serverForwardedPps, double lossPercent, double serverCpuPercent, double cpuMicrosPerPacket,
            double delayP50Ms, double delayP99Ms) {
    }

    private DirectMediaAnchor() {
    }

    /** Runs the load generator with these arguments (as on its command line) and returns its windows. */
    public static List<Result> run(String[] args, PrintStream out) throws Exception {
        LoadGenerator generator = new LoadGenerator(LoadOptions.parse(args), out);
        generator.run(args);
        return generator.results().stream()
                .map(r -> new Result(r.target(), r.publishers(), r.subscribers(), r.seconds(), r.forwardedPps(),
                        r.serverForwardedPps(), r.lossPercent(), r.serverCpuPercent(), r.cpuMicrosPerPacket(),
                        r.delayP50Ms(), r.delayP99Ms()))
                .toList();
    }
}
