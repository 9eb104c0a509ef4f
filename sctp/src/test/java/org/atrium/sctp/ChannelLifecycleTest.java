package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Data channels: DCEP open, stream ids, PPIDs, close by stream reset, reuse of an id, shutdown and abort. */
class ChannelLifecycleTest {
    private static final SctpConfig CONFIG = SctpConfig.DEFAULTS;

    private static EndpointPair connected(long seed) {
        EndpointPair pair = new EndpointPair(CONFIG, seed);
        assertTrue(pair.connect());
        return pair;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void dcepOpenCarriesLabelProtocolAndOptionsAndIdsFollowTheDtlsRole() {
        EndpointPair pair = connected(41);
        ChannelOptions options = new ChannelOptions(false, 3, -1, 512, -1);
        int fromClient = pair.a.endpoint.open("chat", "json", options, pair.now);
        int fromServer = pair.b.endpoint.open("files", "", ChannelOptions.reliable(), pair.now);
        int secondFromClient = pair.a.endpoint.open("more", "", ChannelOptions.reliable(), pair.now);
        assertEquals(0, fromClient);
        assertEquals(1, fromServer);
        assertEquals(2, secondFromClient);
        assertTrue(pair.runUntil(() -> pair.a.opened.size() == 3 && pair.b.opened.size() == 3, 5_000));
        DataChannelInfo seenByServer = pair.b.opened.get(pair.b.openedByPeer.indexOf(true));
        assertEquals(new DataChannelInfo(0, "chat", "json", options), seenByServer);
        assertEquals(2, pair.b.openedByPeer.stream().filter(x -> x).count());
        assertEquals(List.of(0, 2), pair.a.opened.stream().filter(c -> c.streamId() % 2 == 0)
            .map(DataChannelInfo::streamId).toList());
        assertEquals(seenByServer, pair.b.endpoint.channel(0));
    }

    @Test
    void messagesSentBeforeTheAckAndBeforeTheAssociationArriveAfterTheOpen() {
        EndpointPair pair = new EndpointPair(CONFIG, 42);
        int id = pair.a.endpoint.open("early", "", ChannelOptions.unreliableUnordered(5), pair.now);
        for (int i = 0; i < 20; i++) {
            assertEquals(SendStatus.SENT, pair.a.endpoint.send(id, false, utf8("m" + i), 0, 2 + (i > 9 ? 1 : 0), pair.now));
        }
        pair.a.endpoint.connect(pair.now);
        assertTrue(pair.runUntil(() -> pair.b.messages.size() == 20, 5_000));
        assertEquals(1, pair.b.opened.size(), "the OPEN came first");
        for (int i = 0; i < 20; i++) {
            assertEquals("m" + i, new String(pair.b.messages.get(i), StandardCharsets.UTF_8));
        }
    }

    @Test
    void emptyMessagesTravelAsOneZeroByteAndArriveEmpty() {
        EndpointPair pair = connected(43);
        int id = pair.a.endpoint.open("e", "", ChannelOptions.reliable(), pair.now);
        pair.a.endpoint.send(id, false, new byte[0], 0, 0, pair.now);
        pair.a.endpoint.send(id, true, new byte[0], 0, 0, pair.now);
        pair.a.endpoint.send(id, false, utf8("x"), 0, 1, pair.now);
        pair.a.endpoint.send(id, true, new byte[] {7}, 0, 1, pair.now);
        assertTrue(pair.runUntil(() -> pair.b.messages.size() == 4, 5_000));
        assertArrayEquals(new byte[0], pair.b.messages.get(0));
        assertArrayEquals(new byte[0], pair.b.messages.get(1));
        assertArrayEquals(utf8("x"), pair.b.messages.get(2));
        assertArrayEquals(new byte[] {7}, pair.b.messages.get(3));
        assertEquals(List.of(false, true, false, true), pair.b.messageBinary);
    }

    @Test
    void closeResetsTheStreamBothWaysThenTheIdIsReused() {
        EndpointPair pair = connected(44);
        int id = pair.a.endpoint.open("first", "", ChannelOptions.reliable(), pair.now);
        for (int i = 0; i < 3; i++) {
            pair.a.send(id, new byte[] {(byte) i});
            pair.b.send(id, new byte[] {(byte) i}); // b has the channel once the OPEN arrived
            pair.run(50);
        }
        pair.a.endpoint.close(id, pair.now);
        assertEquals(SendStatus.NOT_OPEN, pair.a.send(id, new byte[1]));
        boolean closed = pair.runUntil(() -> pair.a.closedChannels.contains(id) && pair.b.closedChannels.contains(id), 5_000);
        assertTrue(closed, pair.a.closedChannels + " " + pair.b.closedChannels + " " + pair.a.stats() + " " + pair.b.stats());
        assertNull(pair.a.endpoint.channel(id));
        assertNull(pair.b.endpoint.channel(id));
        assertEquals(3, pair.b.messages.size(), "messages queued before the close were delivered");

        int again = pair.a.endpoint.open("second", "p", ChannelOptions.reliable(), pair.now);
        assertEquals(id, again);
        pair.a.send(again, utf8("after"));
        assertTrue(pair.runUntil(() -> pair.b.messages.size() == 4 && pair.a.opened.size() == 2, 5_000));
        assertEquals("second", pair.b.endpoint.channel(again).label());
        assertArrayEquals(utf8("after"), pair.b.messages.get(3));
        int before = pair.a.messages.size();
        assertEquals(SendStatus.SENT, pair.b.send(again, utf8("back")));
        assertTrue(pair.runUntil(() -> pair.a.messages.size() == before + 1, 5_000));
        assertArrayEquals(utf8("back"), pair.a.messages.get(before));
        assertEquals(0, pair.a.stats().totalDrops() + pair.b.stats().totalDrops());
    }

    @Test
    void closeWaitsForQueuedMessagesAndWorksUnderLoss() {
        EndpointPair pair = connected(45);
        pair.lossy(0.2, 0.05, 0.2);
        int id = pair.a.endpoint.open("q", "", ChannelOptions.reliable(), pair.now);
        for (int i = 0; i < 30; i++) {
            pair.a.send(id, new byte[3000]);
        }
        pair.a.endpoint.close(id, pair.now);
        assertTrue(pair.runUntil(() -> pair.a.closedChannels.size() == 1 && pair.b.closedChannels.size() == 1, 60_000));
        assertEquals(30, pair.b.messages.size());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void bothSidesCloseTheSameChannelThenBothShutDownAtOnceUnderLoss(long seed) {
        EndpointPair pair = new EndpointPair(CONFIG, seed).lossy(0.2, 0.05, 0.2);
        pair.a.endpoint.connect(pair.now);
        pair.b.endpoint.connect(pair.now);
        assertTrue(pair.runUntil(() -> pair.a.connected && pair.b.connected, 120_000));
        int id = pair.a.endpoint.open("x", "", ChannelOptions.reliable(), pair.now);
        assertTrue(pair.runUntil(() -> pair.b.endpoint.channel(id) != null && pair.a.opened.size() == 1, 60_000));
        pair.a.send(id, new byte[3000]);
        pair.b.send(id, new byte[3000]);
        pair.a.endpoint.close(id, pair.now);
        pair.b.endpoint.close(id, pair.now);
        assertTrue(pair.runUntil(() -> pair.a.closedChannels.contains(id) && pair.b.closedChannels.contains(id), 120_000));
        assertEquals(1, pair.a.messages.size());
        assertEquals(1, pair.b.messages.size());
        pair.a.endpoint.shutdown(pair.now);
        pair.b.endpoint.shutdown(pair.now);
        assertTrue(pair.runUntil(() -> pair.a.closedReason != null && pair.b.closedReason != null, 300_000));
        assertEquals("shutdown", pair.a.closedReason);
        assertEquals("shutdown", pair.b.closedReason);
    }

    @Test
    void negotiatedChannelsNeedNoDcep() {
        EndpointPair pair = new EndpointPair(CONFIG, 46);
        ChannelOptions negotiated = ChannelOptions.reliable().withNegotiatedId(7);
        assertEquals(7, pair.a.endpoint.open("n", "", negotiated, pair.now));
        assertEquals(7, pair.b.endpoint.open("n", "", negotiated, pair.now));
        assertEquals(-1, pair.b.endpoint.open("dup", "", negotiated, pair.now), "id in use");
        assertTrue(pair.connect());
        assertEquals(1, pair.a.opened.size());
        assertEquals(1, pair.b.opened.size());
        pair.a.send(7, utf8("hi"));
        assertTrue(pair.runUntil(() -> pair.b.messages.size() == 1, 5_000));
        int dcep = pair.a.endpoint.open("x", "", ChannelOptions.reliable().withNegotiatedId(9), pair.now);
        assertEquals(9, dcep);
        assertEquals(2, pair.a.opened.size(), "announced at once when already connected");
    }

    @Test
    void shutdownDeliversQueuedMessagesThenClosesBothSides() {
        EndpointPair pair = connected(47);
        pair.lossy(0.1, 0, 0.1);
        int id = pair.a.endpoint.open("s", "", ChannelOptions.reliable(), pair.now);
        for (int i = 0; i < 20; i++) {
            pair.a.send(id, new byte[2000]);
        }
        pair.a.endpoint.shutdown(pair.now);
        assertEquals(SendStatus.NOT_OPEN, pair.a.send(id, new byte[1]));
        assertTrue(pair.runUntil(() -> pair.a.closedReason != null && pair.b.closedReason != null, 60_000));
        assertEquals("shutdown", pair.a.closedReason);
        assertEquals("shutdown", pair.b.closedReason);
        assertEquals(20, pair.b.messages.size());
        assertFalse(pair.a.endpoint.isConnected());
        assertEquals(Long.MAX_VALUE, pair.a.endpoint.nextTimeoutMillis());
    }

    @Test
    void abortEndsBothSidesWithTheReason() {
        EndpointPair pair = connected(48);
        pair.b.endpoint.abort("going away");
        assertEquals("going away", pair.b.closedReason);
        assertTrue(pair.runUntil(() -> pair.a.closedReason != null, 5_000));
        assertEquals("aborted by peer: user initiated abort: going away", pair.a.closedReason);
        pair.a.endpoint.receive(new byte[12], 0, 12, pair.now);
        assertEquals(1, pair.a.stats().drops(SctpDropReason.ASSOCIATION_CLOSED));
    }
}
