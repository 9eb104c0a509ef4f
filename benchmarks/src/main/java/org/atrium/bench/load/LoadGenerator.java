package org.atrium.bench.load;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's command line: synthetic WebRTC participants against an Atrium
 * server on this host, a capacity search, and the raw UDP relay baseline. Prints a
 * progress line a second, then a table, and writes the results as JSON. See
 * benchmarks/README.md, "Load generator".
 */
public final class LoadGenerator {

    /** The results measured so far (each fixed run, each capacity step). */
    List<WindowResult> results() {
        return results;
    }

    private final LoadOptions options;
    private final PrintStream out;
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final List<WindowResult> results = new ArrayList<>();
    private final LimitRule rule;

    LoadGenerator(LoadOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.rule = new LimitRule(Runtime.getRuntime().availableProcessors(), options.maxLossPercent(),
                options.maxP99Ms());
    }

    public static void main(String[] args) {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (LoadOptions.HelpRequested e) {
            System.out.print(LoadOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            new LoadGenerator(options, System.out).run(args);
            System.exit(0);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Runs what the options say, prints the table, writes the JSON file; returns the report. */
    Map<String, Object> run(String[] args) throws Exception {
        report.put("date", Instant.now().toString());
        report.put("command", String.join(" ", args));
        report.put("machine", Map.of("availableProcessors", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version"), "os", System.getProperty("os.name") + " "
                        + System.getProperty("os.arch")));
        report.put("loadAverageBefore", loadAverage());
        report.put("load", options.describe());
        if (options.cluster()) {
            report.put("nodes", options.webSocketUris().stream().map(URI::toString).toList());
        }
        switch (options.mode()) {
            case RUN -> {
                results.add(fixedRun(new SfuLoad(options)));
                if (options.baseline()) {
                    results.add(fixedRun(new RelayLoad(options)));
                }
            }
            case RELAY -> results.add(fixedRun(new RelayLoad(options)));
            case CAPACITY -> {
                WindowResult sfu = capacity(new SfuLoad(options));
                if (options.baseline()) {
                    WindowResult relay = capacity(new RelayLoad(options));
                    if (sfu != null && relay != null) {
                        report.put("sfuToRelayForwardedRatio", Math.round(1000 * sfu.forwardedPps()
                                / relay.forwardedPps()) / 1000.0);
                        List<String> byGenerator = generatorLimitedSearches();
                        if (!byGenerator.isEmpty()) {
                            report.put("sfuToRelayRatioLimitedByGenerator", byGenerator);
                        }
                    }
                }
            }
        }
        report.put("loadAverageAfter", loadAverage());
        report.put("results", results.stream().map(r -> r.toJson(rule)).toList());
        out.println();
        out.println(options.describe());
        ResultTable.print(out, results, options.dataRate() > 0, rule);
        if (report.containsKey("capacity")) {
            out.println("capacity (last good step): " + report.get("capacity"));
        }
        if (report.containsKey("sfuToRelayForwardedRatio")) {
            out.println("SFU / raw relay forwarded packets/s at the last good step: "
                    + report.get("sfuToRelayForwardedRatio")
                    + (report.containsKey("sfuToRelayRatioLimitedByGenerator")
                            ? " (the load generator, not the server, ended the search of: "
                                    + report.get("sfuToRelayRatioLimitedByGenerator") + ")"
                            : ""));
        }
        writeJson(options.output());
        out.println("results written to " + options.output().toAbsolutePath());
        return report;
    }

    private WindowResult fixedRun(Load load) throws Exception {
        try (load) {
            load.start();
            out.println(load.target() + ": " + options.describe() + " up; measuring for "
                    + options.durationSeconds() + " s");
            TimeUnit.SECONDS.sleep(options.settleSeconds());
            WindowResult result = measure(load, options.durationSeconds());
            if (load instanceof SfuLoad sfu) {
                report.put("sfuJoinFailures", sfu.failures());
                if (options.cluster()) {
                    report.put("sfuParticipantsPerNode", sfu.joinsPerNode());
                }
                long[] feedback = sfu.feedbackReceivedByPublishers();
                report.put("sfuKeyframeRequestsReceivedByPublishers", feedback[0]);
                report.put("sfuNacksReceivedByPublishers", feedback[1]);
            }
            return result;
        }
    }

    /**
     * Adds {@code --step} subscribers per room at a time until a step's loss or p99 delay
     * passes the limits; returns the last good step, or null when none was good.
     */
    private WindowResult capacity(Load load) throws Exception {
        List<Map<String, Object>> steps = new ArrayList<>();
        WindowResult lastGood = null;
        String limitedBy = null;
        try (load) {
            load.start();
            while (true) {
                TimeUnit.SECONDS.sleep(options.settleSeconds());
                WindowResult step = measure(load, options.stepSeconds());
                steps.add(step.toJson(rule));
                results.add(step);
                boolean good = step.isGood(options.maxLossPercent(), options.maxP99Ms());
                boolean byGenerator = LimitRule.GENERATOR.equals(rule.limitedBy(step));
                out.println("step: " + ResultTable.row(step, options.dataRate() > 0) + (good ? "  good" : "  over the limits")
                        + (byGenerator ? ", limited by the load generator" : ""));
                if (good) {
                    lastGood = step;
                }
                if (!good || byGenerator) {
                    // The step that ends the search says who limited it; a step the generator
                    // limited says nothing of the server's capacity, so the search stops there too.
                    limitedBy = rule.limitedBy(step);
                    if (byGenerator) {
                        out.println(load.target() + ": " + rule.explain(step) + "; the last good step is a lower"
                                + " bound of the " + load.target() + "'s capacity, not its capacity");
                    }
                    break;
                }
                int next = load.subscribersPerRoom() + options.step();
                if (next > options.maxSubscribers()) {
                    out.println(load.target() + ": reached --max-subscribers " + options.maxSubscribers()
                            + " without passing the limits");
                    break;
                }
                int failedBefore = load.failures().size();
                load.growSubscribers(next);
                if (load.failures().size() > failedBefore) {
                    // A refused join (room-full, server-busy) is a configured limit, not
                    // the machine's: the search ends at the last step the server accepted.
                    out.println(load.target() + ": " + (load.failures().size() - failedBefore)
                            + " participant(s) could not join at " + next + " subscribers per room; first: "
                            + load.failures().get(failedBefore) + "; the search stops here");
                    break;
                }
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> capacity = (Map<String, Object>) report.computeIfAbsent("capacity",
                k -> new LinkedHashMap<String, Object>());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("limits", Map.of("maxLossPercent", options.maxLossPercent(), "maxP99Ms", options.maxP99Ms()));
        summary.put("lastGoodSubscribersPerRoom", lastGood == null ? 0 : lastGood.subscribers() / options.rooms());
        summary.put("lastGood", lastGood == null ? null : lastGood.toJson(rule));
        summary.put("steps", steps.size());
        // "server": the last good step is the server's capacity; "generator": a lower bound of
        // it; null: the search ended at --max-subscribers or at a refused join.
        summary.put("limitedBy", limitedBy);
        if (options.cluster() && load instanceof SfuLoad sfu) {
            summary.put("participantsPerNode", sfu.joinsPerNode());
        }
        capacity.put(load.target(), summary);
        return lastGood;
    }

    /** The targets whose capacity search the load generator, not the server, ended. */
    private List<String> generatorLimitedSearches() {
        List<String> targets = new ArrayList<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> capacity = (Map<String, Object>) report.get("capacity");
        for (Map.Entry<String, Object> entry : capacity.entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> summary && LimitRule.GENERATOR.equals(summary.get("limitedBy"))) {
                targets.add(entry.getKey());
            }
        }
        return targets;
    }

    /** Measures for {@code seconds}, printing a progress line each second. */
    private WindowResult measure(Load load, int seconds) throws InterruptedException {
        LoadSnapshot start = load.snapshot();
        LoadSnapshot previous = start;
        for (int second = 1; second <= seconds; second++) {
            long wait = start.nanos() + TimeUnit.SECONDS.toNanos(second) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            LoadSnapshot now = load.snapshot();
            out.println(ResultTable.progress(second, WindowResult.between(load.target(), previous, now),
                    options.dataRate() > 0, options.cluster() && load instanceof SfuLoad));
            previous = now;
        }
        return WindowResult.between(load.target(), start, previous);
    }

    private void writeJson(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        SignalingConnection.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(path.toFile(), report);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
