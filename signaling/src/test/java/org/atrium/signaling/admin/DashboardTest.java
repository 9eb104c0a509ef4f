package org.atrium.signaling.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atrium.signaling.SignalingClient;
import org.atrium.signaling.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and scrape config in docs/ name only series the server really
 * serves. (MetricsBrowserTest also has a real Prometheus evaluate every panel's query.)
 */
class DashboardTest {

    private static final Pattern SERIES = Pattern.compile("\\b((?:atrium|process|system|jvm)_[a-z_]+)");

    @Test
    void everySeriesTheDashboardQueriesIsServed() throws Exception {
        List<String> expressions = DashboardQueries.expressions();
        assertTrue(expressions.size() >= 20, "panels: " + expressions.size());
        String scrape;
        try (TestServer server = TestServer.start()) {
            // Error counters appear with the first error of their code.
            try (SignalingClient client = new SignalingClient(server.webSocket())) {
                client.send("not json");
                client.await("error", java.time.Duration.ofSeconds(5));
            }
            // GC pause series appear with the first collection.
            System.gc();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            do {
                scrape = Http.get(server.http("/metrics")).body();
            } while (!scrape.contains("\njvm_gc_pause_seconds_sum{") && System.nanoTime() < deadline);
        }
        TreeSet<String> missing = new TreeSet<>();
        for (String expression : expressions) {
            Matcher series = SERIES.matcher(expression);
            while (series.find()) {
                String name = series.group(1);
                if (!scrape.contains("\n" + name + "{") && !scrape.contains("\n" + name + " ")) {
                    missing.add(name);
                }
            }
        }
        assertEquals(new TreeSet<>(), missing, "series the dashboard queries but /metrics lacks");
    }

    @Test
    void theScrapeConfigNamesTheMetricsPath() throws Exception {
        String config = Files.readString(Path.of("..", "docs", "prometheus.yml"));
        assertTrue(config.contains("metrics_path: /metrics"));
        assertTrue(config.contains("job_name: atrium"), "the dashboard's queries select job=\"atrium\"");
    }
}
