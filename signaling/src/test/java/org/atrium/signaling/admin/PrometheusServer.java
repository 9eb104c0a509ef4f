package org.atrium.signaling.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's prometheus package, which ./test.sh installs) on
 * loopback, scraping one target every second, with its own configuration and storage
 * in a temporary directory. Stopped by its PID.
 */
public final class PrometheusServer implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    public static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private final Path dir;
    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param target host:port of the /metrics to scrape
     * @param bearerToken sent with each scrape, or null
     */
    public PrometheusServer(String target, String bearerToken) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IOException(BINARY + " is missing: ./test.sh installs Debian's prometheus package");
        }
        dir = Files.createTempDirectory("prometheus");
        String authorization = bearerToken == null ? "" : """
                    authorization:
                      credentials: %s
                """.formatted(bearerToken);
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: atrium
                    metrics_path: /metrics
                %s    static_configs:
                      - targets: ['%s']
                """.formatted(authorization, target));
        port = freePort();
        process = new ProcessBuilder(BINARY.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        awaitReady();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited: " + log());
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        throw new IOException("prometheus not ready in 30 s: " + log());
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An instant query through the HTTP API: the result vector ({@code data.result}). */
    public JsonNode query(String promQl) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promQl, StandardCharsets.UTF_8));
        JsonNode body = new ObjectMapper().readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IOException("query " + promQl + " failed: " + response.body());
        }
        return body.path("data").path("result");
    }

    /** The target's health as Prometheus sees it ({@code /api/v1/targets}). */
    public JsonNode targets() throws IOException, InterruptedException {
        return new ObjectMapper().readTree(get("/api/v1/targets").body()).path("data").path("activeTargets");
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Runs {@code promtool check metrics} over a scrape; returns its output, or throws when it objects. */
    public static String checkMetrics(String scrape) throws IOException, InterruptedException {
        if (!Files.isExecutable(PROMTOOL)) {
            throw new IOException(PROMTOOL + " is missing: ./test.sh installs Debian's prometheus package");
        }
        Path input = Files.createTempFile("scrape", ".txt");
        try {
            Files.writeString(input, scrape);
            Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
                    .redirectInput(input.toFile()).redirectErrorStream(true).start();
            String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!promtool.waitFor(30, TimeUnit.SECONDS)) {
                promtool.destroyForcibly();
                throw new IOException("promtool did not finish");
            }
            if (promtool.exitValue() != 0) {
                throw new AssertionError("promtool check metrics objects:\n" + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(input);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is harmless.
        }
    }
}
