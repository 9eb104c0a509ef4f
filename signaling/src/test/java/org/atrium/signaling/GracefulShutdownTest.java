package org.atrium.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM to a real server process: the client in a room is told ({@code shutdown}) and
 * its connection closed, and the process exits well within the bound.
 */
@Timeout(90)
class GracefulShutdownTest {

    private static final Pattern UP = Pattern.compile("Atrium is up: open http://127\\.0\\.0\\.1:(\\d+)/");

    @Test
    void sigtermTellsClientsClosesAndExitsWithinTheBound() throws Exception {
        Path log = Files.createTempFile("atrium", ".log");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Datrium.transport=" + System.getProperty("atrium.transport", "auto"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--http-port", "0", "--media-port", "0", "--turn-port", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int port = awaitPort(log, server);
            try (SignalingClient client = new SignalingClient(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
                client.send("{\"type\":\"join\",\"room\":\"ending\",\"name\":\"Ada\"}");
                client.await("joined", Duration.ofSeconds(10));

                long signalled = System.nanoTime();
                server.destroy(); // SIGTERM
                JsonNode error = client.await("error", Duration.ofSeconds(10));
                assertEquals("shutdown", error.path("code").asText(), error.toString());
                assertEquals(1000, client.closed().get(10, TimeUnit.SECONDS).intValue());
                assertTrue(server.waitFor(Main.SHUTDOWN_BOUND_MILLIS + 5000, TimeUnit.MILLISECONDS),
                        "still running after the bound");
                long millis = (System.nanoTime() - signalled) / 1_000_000;
                System.out.println("exited " + millis + " ms after SIGTERM, status " + server.exitValue());
                assertEquals(143, server.exitValue(), "128 + SIGTERM");
            }
            String output = Files.readString(log);
            assertTrue(output.contains("Stopped in "), output);
        } finally {
            if (server.isAlive()) {
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
        }
    }

    private static int awaitPort(Path log, Process server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher up = UP.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (up.find()) {
                return Integer.parseInt(up.group(1));
            }
            if (!server.isAlive()) {
                throw new AssertionError("server exited: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server not up in 30 s: " + Files.readString(log));
    }
}
