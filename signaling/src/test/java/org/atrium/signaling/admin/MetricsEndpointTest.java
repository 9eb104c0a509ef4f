package org.atrium.signaling.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atrium.signaling.SignalingClient;
import org.atrium.signaling.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /metrics}: both exposition formats, the JVM's and process's meters, the
 * signaling meters, and Atrium's metric names and label names held to a golden list
 * (signaling/src/test/resources/metrics/atrium-metrics.txt) so that dashboards and
 * alerts built on them keep working. A change of that list is a change of the
 * operator-facing interface: make it on purpose, and say so in docs/operations.md.
 */
@Timeout(60)
class MetricsEndpointTest {

    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = Http.get(server.http("/metrics"));
        assertEquals(200, response.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
                response.headers().firstValue("content-type").orElse(null));
        return response.body();
    }

    /** family name -> "type label,label" for every atrium_ family. */
    private static Map<String, String> atriumFamilies(String text) {
        Map<String, String> types = new TreeMap<>();
        Map<String, TreeSet<String>> labels = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher type = TYPE.matcher(line);
            if (type.matches() && type.group(1).startsWith("atrium_")) {
                types.put(type.group(1), type.group(2));
                labels.put(type.group(1), new TreeSet<>());
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches() || !sample.group(1).startsWith("atrium_")) {
                continue;
            }
            String family = familyOf(sample.group(1), types);
            Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
            while (label.find()) {
                if (!label.group(1).equals("le")) {
                    labels.get(family).add(label.group(1));
                }
            }
        }
        Map<String, String> families = new TreeMap<>();
        types.forEach((name, type) -> families.put(name, (type + " " + String.join(",", labels.get(name))).strip()));
        return families;
    }

    private static String familyOf(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (sample.endsWith(suffix) && types.containsKey(sample.substring(0, sample.length() - suffix.length()))) {
                return sample.substring(0, sample.length() - suffix.length());
            }
        }
        throw new AssertionError("sample of no declared family: " + sample);
    }

    private static Map<String, Double> samples(String text) {
        Map<String, Double> values = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (sample.matches()) {
                String labels = sample.group(2) == null ? "" : "{" + sample.group(2) + "}";
                values.put(sample.group(1) + labels, Double.parseDouble(sample.group(3)));
            }
        }
        return values;
    }

    private static String golden() throws IOException {
        try (InputStream in = MetricsEndpointTest.class.getResourceAsStream("/metrics/atrium-metrics.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void atriumMetricNamesAndLabelsMatchTheGoldenList() throws Exception {
        // Every signaling error code family appears once an error was sent.
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send("not json");
            client.await("error", Duration.ofSeconds(5));
        }
        // And the WHIP and WHEP request counter once a request was answered.
        Http.get(server.http("/whip/golden"));
        List<String> actual = new ArrayList<>();
        atriumFamilies(scrape()).forEach((name, rest) -> actual.add(name + " " + rest));
        List<String> expected = new ArrayList<>();
        for (String line : golden().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                expected.add(line.strip());
            }
        }
        assertEquals(String.join("\n", expected), String.join("\n", actual),
                "the metric names changed; the list the server has now is shown as 'actual'");
    }

    @Test
    void namesFollowPrometheusConventions() throws Exception {
        atriumFamilies(scrape()).forEach((name, rest) -> {
            assertTrue(name.matches("atrium_[a-z0-9_]+"), name);
            if (rest.startsWith("counter")) {
                assertTrue(name.endsWith("_total"), "a counter ends in _total: " + name);
            }
            if (rest.startsWith("histogram")) {
                assertTrue(name.endsWith("_seconds"), "durations are in seconds: " + name);
            }
        });
    }

    @Test
    void jvmAndProcessMetricsAreBound() throws Exception {
        String text = scrape();
        for (String family : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                "jvm_gc_memory_allocated_bytes_total", "process_cpu_usage", "process_uptime_seconds",
                "process_files_open_files", "system_cpu_available", "process_cpu_seconds_total", "jvm_info")) {
            assertTrue(text.contains("\n" + family + "{") || text.contains("\n" + family + " "), family);
        }
    }

    @Test
    void latencyBucketsSpanFiftyMicrosecondsToTwentyMilliseconds() throws Exception {
        Map<String, Double> samples = samples(scrape());
        List<String> buckets = new ArrayList<>();
        samples.keySet().stream().filter(s -> s.startsWith("atrium_forwarding_latency_seconds_bucket"))
                .forEach(s -> buckets.add(s.replaceAll(".*le=\"([^\"]+)\".*", "$1")));
        assertEquals(new TreeSet<>(List.of("5.0E-5", "1.0E-4", "2.0E-4", "5.0E-4", "0.001", "0.002", "0.005", "0.01",
                "0.02", "+Inf")), new TreeSet<>(buckets));
    }

    @Test
    void signalingConnectionsMessagesAndErrorsAreCounted() throws Exception {
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send("{\"type\":\"join\",\"room\":\"metrics\",\"name\":\"Ada\"}");
            client.await("joined", Duration.ofSeconds(5));
            client.send("{\"type\":\"nonsense\"}");
            client.await("error", Duration.ofSeconds(5));
            Map<String, Double> samples = samples(scrape());
            assertEquals(1.0, samples.get("atrium_signaling_connections"));
            assertEquals(1.0, samples.get("atrium_signaling_connections_opened_total"));
            assertEquals(1.0, samples.get("atrium_signaling_messages_received_total{type=\"join\"}"));
            assertEquals(1.0, samples.get("atrium_signaling_messages_received_total{type=\"invalid\"}"));
            assertEquals(1.0, samples.get("atrium_signaling_messages_sent_total{type=\"joined\"}"));
            assertEquals(1.0, samples.get("atrium_signaling_errors_total{code=\"unknown-type\"}"));
            assertEquals(1.0, samples.get("atrium_participants"));
            assertEquals(1.0, samples.get("atrium_rooms"));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (samples(scrape()).get("atrium_signaling_connections") != 0.0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Map<String, Double> after = samples(scrape());
        assertEquals(0.0, after.get("atrium_signaling_connections"));
        assertEquals(0.0, after.get("atrium_participants"));
    }

    @Test
    void openMetricsIsServedWhenAskedFor() throws Exception {
        HttpResponse<String> response = Http.get(server.http("/metrics"), "Accept",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertEquals(200, response.statusCode());
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8",
                response.headers().firstValue("content-type").orElse(null));
        assertTrue(response.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        assertTrue(response.body().contains("# TYPE atrium_forwarded_packets counter"), "OpenMetrics counter naming");
    }
}
