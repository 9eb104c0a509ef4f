package org.atrium.bench.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.atrium.sfu.turn.PeerPolicy;
import org.atrium.sfu.turn.TurnClient;
import org.atrium.sfu.turn.TurnConfig;
import org.atrium.sfu.turn.TurnCredentials;
import org.atrium.sfu.turn.TurnEngine;
import org.atrium.sfu.turn.TurnMetrics;
import org.atrium.sfu.turn.TurnTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Short runs of the TURN relay load tool and its JMH benchmark's set-up, with tiny numbers. */
@Timeout(60)
class TurnRelayLoadTest {

    @Test
    void aShortRunRelaysEveryPacketBothWaysAndMeasuresTheServersThreads() throws Exception {
        String[] args = {"--clients", "2", "--rates", "400,800", "--jit-warmup", "0", "--warmup", "0", "--duration", "1",
            "--relay-ports", "62000-62099", "--direct", "off"};
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TurnRelayLoad load = new TurnRelayLoad(TurnRelayLoad.Options.parse(args),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        load.run();

        assertEquals(2, load.results().size());
        for (TurnRelayLoad.RateResult r : load.results()) {
            // The clients send half the target; the sink echoes it, so the server relays the whole target.
            assertEquals(r.targetRelayedPps() / 2.0, r.clientSentPps(), 0.2 * r.targetRelayedPps() / 2, "sent");
            assertEquals(r.targetRelayedPps(), r.relayedPps(), 0.2 * r.targetRelayedPps(), "relayed");
            assertEquals(r.relayedToPeerPps(), r.relayedToClientPps(), 0.1 * r.relayedToPeerPps(), "both directions");
            assertTrue(r.lossPercent() < 1, "loss on loopback " + r.lossPercent());
            assertEquals(0, r.serverDropped(), "the server dropped nothing");
            assertTrue(r.turnMicrosPerPacket() > 0 && r.turnMicrosPerPacket() < 10_000, "us/pkt " + r.turnMicrosPerPacket());
            assertEquals(r.turnMicrosPerPacket(), r.turnUserMicrosPerPacket() + r.turnSystemMicrosPerPacket(), 1e-6);
            assertTrue(r.echoMicrosPerPacket() > 0, "the sink's CPU");
            assertTrue(r.toPeerMicrosPerPacket() > 0 && r.toClientMicrosPerPacket() > 0, "each direction's thread");
            // ChannelData to the client is a new array per packet today: at least half the payload per relayed packet.
            assertTrue(r.turnBytesPerPacket() > 0, "allocation measured");
        }
        assertTrue(load.direct().isEmpty(), "no anchor with --direct off");
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("2 allocations"), text);
        assertTrue(text.contains("TURN cpu %") && text.contains("echo us/pkt"), text);
    }

    @Test
    void optionsAreBounded() {
        TurnRelayLoad.Options defaults = TurnRelayLoad.Options.parse(new String[0]);
        assertEquals(10, defaults.clients());
        assertTrue(Arrays.equals(new int[] {2000, 5000, 10000}, defaults.rates()));
        assertEquals(1200, defaults.payload());
        assertTrue(defaults.direct());
        for (String[] bad : new String[][] {{"--clients", "201"}, {"--rates", "40001"}, {"--duration", "121"},
            {"--payload", "1401"}, {"--relay-ports", "80-90"}, {"--clients", "20", "--relay-ports", "62000-62009"},
            {"--direct", "maybe"}, {"--direct-subscribers", "41"}, {"--direct-rooms", "11"}, {"--jit-warmup", "61"}, {"--nope", "1"}, {"--clients"}}) {
            assertThrows(IllegalArgumentException.class, () -> TurnRelayLoad.Options.parse(bad), String.join(" ", bad));
        }
    }

    @Test
    void theClientsCredentialDanceIsWhatTheEngineChecks() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        InetSocketAddress peer = new InetSocketAddress(loopback, 40000);
        byte[] secret = "s".getBytes(StandardCharsets.UTF_8);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TurnRelayBenchmark.NoopEdge edge = new TurnRelayBenchmark.NoopEdge(new InetSocketAddress(loopback, 61000));
        TurnEngine engine = new TurnEngine(TurnConfig.defaults(secret, PeerPolicy.only(List.of(peer))), edge,
                new TurnMetrics(registry));
        TurnClient client = new TurnClient(TurnTransport.UDP, new InetSocketAddress(loopback, 50000),
                new InetSocketAddress(loopback, 3478));
        TurnSession.Exchange exchange = (request, transaction) -> {
            edge.lastToClient = null;
            engine.onClientMessage(client, request, 0, request.length, System.currentTimeMillis());
            return StunCodec.parse(edge.lastToClient, 0, edge.lastToClient.length);
        };
        String username = new TurnCredentials(secret).mint("x", java.time.Instant.now(), java.time.Duration.ofHours(1))
                .username();
        IOException refused = assertThrows(IOException.class,
                () -> new TurnSession(exchange, username, "not the password").allocate());
        assertTrue(refused.getMessage().contains("401"), refused.getMessage());

        TurnSession session = new TurnSession(exchange, username, TurnCredentials.password(secret, username));
        assertEquals(61000, session.allocate().getPort());
        session.bind(peer, 0x4000);
        assertEquals(1, engine.allocationCount());
        // A peer the policy does not allow is refused: 403.
        IOException forbidden = assertThrows(IOException.class,
                () -> session.bind(new InetSocketAddress(loopback, 40001), 0x4001));
        assertTrue(forbidden.getMessage().contains("403"), forbidden.getMessage());
    }

    @Test
    void theBenchmarksSetUpRelaysOnePacketEachWay() throws Exception {
        TurnRelayBenchmark bench = new TurnRelayBenchmark();
        bench.size = 1200;
        bench.setUp();   // throws unless one packet went each way
        assertEquals(2, bench.clientToPeer());
        assertEquals(2, bench.peerToClient());
    }
}
