package org.atrium.sfu.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Assumptions;

/**
 * The embedded TURN server against another implementation's client: coturn's
 * {@code turnutils_uclient} allocates over UDP, TCP and TLS with TURN REST credentials, then sends
 * through the relay (ChannelData, or Send indications) to {@code turnutils_peer}, which echoes, and
 * counts what came back. All on loopback; both programs are stopped by PID.
 */
class TurnServerInteropTest {

    private static final String UCLIENT = "/usr/bin/turnutils_uclient";
    private static final String PEER = "/usr/bin/turnutils_peer";
    private static final String SECRET = "interop-secret";
    private static final int MESSAGES = 40;

    @TempDir
    Path temp;

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final List<Process> processes = new ArrayList<>();
    private InetSocketAddress peer;
    private TurnServer server;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(new File(UCLIENT).canExecute() && new File(PEER).canExecute(),
                "coturn's turnutils (Debian package coturn) are not installed");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        peer = new InetSocketAddress(loopback, freeUdpPort());
        processes.add(start(List.of(PEER, "-L", "127.0.0.1", "-p", Integer.toString(peer.getPort())), "peer.log"));
        int relayBase = 20000 + (int) (ProcessHandle.current().pid() % 2000) * 10;
        server = new TurnServer(TurnListeners.defaults(loopback).withPorts(0, 0, 0).withRelayPorts(relayBase,
                relayBase + 9), TurnConfig.defaults(SECRET.getBytes(StandardCharsets.UTF_8),
                        // turnutils_uclient binds a channel to the peer's next port too (its RTCP), even with -c.
                        PeerPolicy.only(List.of(peer, new InetSocketAddress(loopback, peer.getPort() + 1)))),
                SelfSignedTls.forLoopback(), new TurnMetrics(registry));

        Thread.sleep(200);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({
            "udp, channel",
            "udp, send",
            "tcp, channel",
            "tls, channel",
    })
    void coturnClientRelaysThroughTheEmbeddedServer(String transport, String method) throws Exception {
        List<String> command = new ArrayList<>(List.of(UCLIENT, "-W", SECRET, "-u", "interop", "-e",
                peer.getAddress().getHostAddress(), "-r", Integer.toString(peer.getPort()), "-n",
                Integer.toString(MESSAGES), "-m", "1", "-l", "200", "-z", "5", "-c"));
        int port = switch (transport) {
            case "udp" -> server.udpAddress().getPort();
            case "tcp" -> server.tcpAddress().getPort();
            default -> server.tlsAddress().getPort();
        };
        if (!transport.equals("udp")) {
            command.add("-t");
        }
        if (transport.equals("tls")) {
            command.add("-S");
        }
        if (method.equals("send")) {
            command.add("-s");
        }
        command.addAll(List.of("-p", Integer.toString(port), "127.0.0.1"));
        Process client = start(command, "uclient-" + transport + "-" + method + ".log");
        processes.add(client);
        boolean finished = client.waitFor(30, TimeUnit.SECONDS);
        String log = Files.readString(temp.resolve("uclient-" + transport + "-" + method + ".log"));
        assertTrue(finished, "turnutils_uclient did not finish in 30 s:\n" + log);
        assertEquals(0, client.exitValue(), log);
        Matcher lost = Pattern.compile("Total lost packets (\\d+)").matcher(log);
        assertTrue(lost.find(), "no summary in the client's output:\n" + log);
        assertEquals(0, Integer.parseInt(lost.group(1)), log);
        Matcher received = Pattern.compile("tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)\\s*$", Pattern.MULTILINE)
                .matcher(log);
        assertTrue(received.find(), "no totals in the client's output:\n" + log);
        assertEquals(MESSAGES, Integer.parseInt(received.group(1)), log);
        assertEquals(MESSAGES, Integer.parseInt(received.group(2)), log);
        double toPeer = registry.get("atrium.turn.relayed.packets").tag("direction", "to_peer").counter().count();
        double toClient = registry.get("atrium.turn.relayed.packets").tag("direction", "to_client").counter().count();
        assertTrue(toPeer >= MESSAGES && toClient >= MESSAGES, "relayed " + toPeer + " out, " + toClient + " back");
        // Two allocations: turnutils_uclient makes one for its RTCP too.
        assertTrue(registry.get("atrium.turn.allocations.created").tag("transport", transport).counter().count() >= 1,
                "allocations over " + transport);
    }

    private Process start(List<String> command, String logName) throws IOException {
        File log = temp.resolve(logName).toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
