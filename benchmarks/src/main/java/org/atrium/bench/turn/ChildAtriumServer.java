package org.atrium.bench.turn;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An Atrium server ({@code org.atrium.signaling.Main}) in a child JVM on 127.0.0.1, with this
 * JVM's class path and its embedded TURN server off: its own process, so that its CPU time
 * (from /proc/PID/stat, as the load generator reads it) is the server's alone. Its heap is fixed
 * and pre-touched, as the measuring JVM's should be (see benchmarks/README.md), so that neither
 * side pays first-touch page faults of a growing heap inside the window.
 */
final class ChildAtriumServer implements AutoCloseable {

    private final Process process;
    final int httpPort;
    final int mediaPort;
    final Path log;

    ChildAtriumServer(Path log) throws IOException, InterruptedException {
        this.log = log;
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket http = new ServerSocket(0, 1, loopback); DatagramSocket media = new DatagramSocket(0, loopback)) {
            httpPort = http.getLocalPort();
            mediaPort = media.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-cp",
                System.getProperty("java.class.path"), "org.atrium.signaling.Main", "--http-host", "127.0.0.1", "--http-port", String.valueOf(httpPort),
                "--media-address", "127.0.0.1", "--media-port", String.valueOf(mediaPort),
                "--turn-port", "-1", "--turn-tls-port", "-1");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(loopback, httpPort), 500);
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IOException("the Atrium server did not start; see " + log.toAbsolutePath(), e);
                }
                Thread.sleep(200);
            }
        }
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM (the server's graceful stop), then SIGKILL after 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
