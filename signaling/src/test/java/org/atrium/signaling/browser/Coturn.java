package org.atrium.signaling.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's coturn ({@code /usr/bin/turnserver}, package {@code coturn}) as an external TURN server
 * for lab tests, in this JVM's namespace (the server's), on the lab's {@link
 * NetworkLab#SERVER_ADDRESS}, with the TURN REST API's shared-secret credentials.
 *
 * <p>It reads no configuration file ({@code -c /dev/null}) and writes nothing outside its temp
 * directory: the log ({@link #log()}), its pid file and its (unused) SQLite user database. It
 * listens for UDP and TCP on {@link #port()} and, when started with certificates, for TLS on {@link
 * #tlsPort()} (no DTLS), relays on {@link #SERVER_ADDRESS} within its own port range, allows the lab's
 * addresses (10.77.0.0/24 and the NAT clients' 10.78.0.0/16) as peers, and has no CLI. The lab
 * gets a default route into nothing ({@link NetworkLab#routeStrayPacketsNowhere()}): coturn drops a
 * whole allocation when a send fails with "network unreachable", say to a NATed client's private
 * host candidate.
 *
 * <p>The process is tracked by the lab (stopped on its close) and stopped by {@link #close()} by
 * process id: SIGTERM, SIGKILL after 5 s.
 */
public final class Coturn implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/turnserver");
    private static final String SERVER_ADDRESS = NetworkLab.SERVER_ADDRESS;
    private static final Duration START = Duration.ofSeconds(15);
    private static final System.Logger LOG = System.getLogger(Coturn.class.getName());

    /** TURN REST API credentials: {@code username} is {@code expiry:identity}. */
    public record Credentials(String username, String password) {}

    private final NetworkLab lab;
    private final Process process;
    private final Path dir;
    private final int port;
    private final int tlsPort;
    private final String secret;
    private final String realm;

    private Coturn(NetworkLab lab, Process process, Path dir, int port, int tlsPort, String secret, String realm) {
        this.lab = lab;
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.tlsPort = tlsPort;
        this.secret = secret;
        this.realm = realm;
    }

    /** Skips the calling test when coturn is not installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), BINARY + " missing (Debian package coturn)");
    }

    /**
     * Starts coturn in {@code lab}'s server namespace, with TLS when {@code tls} is not null (its
     * certificate must name {@link NetworkLab#SERVER_ADDRESS}); waits until it accepts TCP
     * connections. Skips the calling test when coturn is not installed.
     */
    public static Coturn start(NetworkLab lab, TestCertificates tls) {
        assumeInstalled();
        lab.routeStrayPacketsNowhere();
        Path dir;
        try {
            dir = Files.createTempDirectory("atrium-coturn-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        String realm = "atrium.test";
        int port = freePort(lab.serverAddress());
        int tlsPort = tls == null ? -1 : freePort(lab.serverAddress());
        int minRelay = 50000 + new SecureRandom().nextInt(100) * 100;
        List<String> command = new ArrayList<>(List.of(BINARY.toString(),
                "-c", "/dev/null",
                "-n", // no configuration file
                "--listening-ip=" + SERVER_ADDRESS,
                "--relay-ip=" + SERVER_ADDRESS,
                "--listening-port=" + port,
                "--min-port=" + minRelay,
                "--max-port=" + (minRelay + 99),
                "--use-auth-secret",
                "--static-auth-secret=" + secret,
                "--realm=" + realm,
                "--fingerprint",
                "--no-cli",
                "--no-dtls",
                "--allowed-peer-ip=10.77.0.0-10.77.0.255",
                "--allowed-peer-ip=10.78.0.0-10.78.255.255",
                "--no-multicast-peers",
                "--log-file=stdout",
                "--simple-log",
                "--pidfile=" + dir.resolve("turnserver.pid"),
                "--userdb=" + dir.resolve("turndb")));
        if (tls == null) {
            command.add("--no-tls");
        } else {
            command.addAll(List.of("--tls-listening-port=" + tlsPort,
                    "--cert=" + tls.chainPem(), "--pkey=" + tls.keyPem()));
        }
        Path log = dir.resolve("turnserver.log");
        Process process = lab.startHere(command, log);
        Coturn coturn = new Coturn(lab, process, dir, port, tlsPort, secret, realm);
        try {
            coturn.awaitListening(port);
            if (tls != null) {
                coturn.awaitListening(tlsPort);
            }
        } catch (RuntimeException e) {
            coturn.close();
            throw e;
        }
        LOG.log(Level.INFO, "coturn on {0}: port {1}, TLS port {2}, log {3}", SERVER_ADDRESS, port, tlsPort, log);
        return coturn;
    }

    private void awaitListening(int tcpPort) {
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("coturn exited with " + process.exitValue() + ":\n" + logText());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(SERVER_ADDRESS, tcpPort), 500);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("coturn not listening on " + tcpPort + " after "
                            + START.toSeconds() + " s:\n" + logText());
                }
                BrowserPage.sleep(Duration.ofMillis(100));
            }
        }
    }

    /** A port free for both TCP and UDP on {@code address} (coturn listens on both). */
    private static int freePort(InetAddress address) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, address);
                    DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, tcp.getLocalPort()))) {
                return udp.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port on " + address);
    }

    /** The turnserver's process id. */
    public long pid() {
        return process.pid();
    }

    /** UDP and TCP listening port. */
    public int port() {
        return port;
    }

    /** TLS listening port; -1 when started without certificates. */
    public int tlsPort() {
        return tlsPort;
    }

    public String realm() {
        return realm;
    }

    /** {@code turn:10.77.0.1:PORT?transport=udp} */
    public String udpUrl() {
        return "turn:" + SERVER_ADDRESS + ":" + port + "?transport=udp";
    }

    /** {@code turn:10.77.0.1:PORT?transport=tcp} */
    public String tcpUrl() {
        return "turn:" + SERVER_ADDRESS + ":" + port + "?transport=tcp";
    }

    /** {@code turns:10.77.0.1:TLSPORT?transport=tcp}; fails when started without certificates. */
    public String tlsUrl() {
        if (tlsPort < 0) {
            throw new IllegalStateException("coturn started without TLS");
        }
        return "turns:" + SERVER_ADDRESS + ":" + tlsPort + "?transport=tcp";
    }

    /** The shared secret ({@code static-auth-secret}). */
    public String secret() {
        return secret;
    }

    /** Credentials for {@code identity} valid for {@code lifetime} from now. */
    public Credentials credentials(String identity, Duration lifetime) {
        return credentials(secret, Instant.now().plus(lifetime).getEpochSecond() + ":" + identity);
    }

    /**
     * The TURN REST API's scheme: the password is base64(HMAC-SHA1(secret, username)), where the
     * username is {@code <unix expiry time>:<identity>}.
     */
    public static Credentials credentials(String secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return new Credentials(username,
                    Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** coturn's log file (its stdout and stderr). */
    public Path log() {
        return dir.resolve("turnserver.log");
    }

    /** The log's last 20000 characters. */
    public String logText() {
        try {
            String text = Files.readString(log(), StandardCharsets.UTF_8);
            return text.length() > 20000 ? text.substring(text.length() - 20000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops coturn by process id and deletes its directory. Idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            lab.stop(process);
        }
        Chromium.deleteRecursively(dir);
    }
}
