package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Association setup (RFC 9260 5.1, 5.2) between two endpoints in memory. */
class AssociationSetupTest {
    private static final SctpConfig CONFIG = SctpConfig.DEFAULTS;

    @Test
    void clientConnectsToWaitingServer() {
        EndpointPair pair = new EndpointPair(CONFIG, 1);
        assertTrue(pair.connect());
        assertTrue(pair.a.endpoint.isConnected());
        assertTrue(pair.b.endpoint.isConnected());
        assertEquals(0, pair.a.stats().totalDrops() + pair.b.stats().totalDrops());
        assertEquals(0, pair.a.stats().timeouts());
    }

    @Test
    void serverConnectsToWaitingClient() {
        EndpointPair pair = new EndpointPair(CONFIG, 2);
        pair.b.endpoint.connect(pair.now);
        assertTrue(pair.runUntil(() -> pair.a.connected && pair.b.connected, 5_000));
    }

    @Test
    void bothConnectAtOnce() {
        EndpointPair pair = new EndpointPair(CONFIG, 3);
        pair.a.endpoint.connect(pair.now);
        pair.b.endpoint.connect(pair.now);
        assertTrue(pair.runUntil(() -> pair.a.connected && pair.b.connected, 5_000));
        roundTrip(pair);
        assertEquals(0, pair.a.stats().timeouts() + pair.b.stats().timeouts());
    }

    @Test
    void bothConnectWithTheSecondInitLate() {
        EndpointPair pair = new EndpointPair(CONFIG, 4);
        pair.a.endpoint.connect(pair.now);
        pair.run(15); // a's INIT is on the wire when b sends its own
        pair.b.endpoint.connect(pair.now);
        assertTrue(pair.runUntil(() -> pair.a.connected && pair.b.connected, 5_000));
        roundTrip(pair);
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6, 7, 8, 9, 10, 11, 12})
    void setupSurvivesLossDuplicationAndReordering(long seed) {
        EndpointPair pair = new EndpointPair(CONFIG, seed).lossy(0.3, 0.2, 0.3);
        pair.a.endpoint.connect(pair.now);
        if (seed % 2 == 0) {
            pair.b.endpoint.connect(pair.now);
        }
        assertTrue(pair.runUntil(() -> pair.a.connected && pair.b.connected, 60_000));
        pair.lossy(0, 0, 0);
        roundTrip(pair);
    }

    @Test
    void connectGivesUpWhenNobodyAnswers() {
        EndpointPair pair = new EndpointPair(CONFIG, 13);
        pair.a.outFilter = p -> true;
        pair.a.endpoint.connect(pair.now);
        assertTrue(pair.runUntil(() -> pair.a.closedReason != null, 600_000));
        assertEquals("connect timed out", pair.a.closedReason);
        assertFalse(pair.a.connected);
        assertEquals(CONFIG.maxInitRetransmissions() + 1, pair.a.stats().timeouts());
        assertEquals(Long.MAX_VALUE, pair.a.endpoint.nextTimeoutMillis());
    }

    @Test
    void heartbeatsKeepAnIdleAssociationAndMeasureRtt() {
        EndpointPair pair = new EndpointPair(CONFIG, 14);
        assertTrue(pair.connect());
        pair.run(5 * CONFIG.heartbeatIntervalMillis());
        assertTrue(pair.a.endpoint.isConnected() && pair.b.endpoint.isConnected());
        assertEquals(2 * pair.delayMillis, pair.a.stats().srttMillis());
        assertEquals(2 * pair.delayMillis, pair.b.stats().srttMillis());
        assertEquals(0, pair.a.stats().timeouts());
    }

    static void roundTrip(EndpointPair pair) {
        int id = pair.a.endpoint.open("chat", "", ChannelOptions.reliable(), pair.now);
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        assertEquals(SendStatus.SENT, pair.a.endpoint.send(id, false, hello, 0, hello.length, pair.now));
        assertTrue(pair.runUntil(() -> pair.b.messages.size() == 1 && pair.a.opened.size() == 1, 30_000));
        assertEquals("hello", new String(pair.b.messages.get(0), StandardCharsets.UTF_8));
    }
}
