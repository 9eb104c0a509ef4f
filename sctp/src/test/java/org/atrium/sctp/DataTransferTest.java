package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Messages across the in-memory link: reliability, ordering, fragmentation, partial reliability, flow control. */
class DataTransferTest {
    private static final SctpConfig CONFIG = SctpConfig.DEFAULTS;

    private static byte[] numbered(int i, int size) {
        byte[] m = new byte[size];
        ByteBuffer.wrap(m).putInt(i);
        for (int k = 4; k < size; k++) {
            m[k] = (byte) (i * 31 + k);
        }
        return m;
    }

    private static int number(byte[] m) {
        return ByteBuffer.wrap(m).getInt();
    }

    private static EndpointPair connected(long seed) {
        EndpointPair pair = new EndpointPair(CONFIG, seed);
        assertTrue(pair.connect());
        return pair;
    }

    @Test
    void tenThousandOrderedReliableMessagesArriveCompleteAndInOrderAtFivePercentLoss() {
        EndpointPair pair = connected(21);
        pair.lossy(0.05, 0.01, 0.05);
        int id = pair.a.endpoint.open("bulk", "", ChannelOptions.reliable(), pair.now);
        Random sizes = new Random(21);
        int total = 10_000;
        int[] next = {0};
        // Keep the send buffer busy without overflowing it.
        byte[] m = numbered(0, 4 + sizes.nextInt(1500));
        while (next[0] < total) {
            if (pair.a.send(id, m) != SendStatus.SENT) {
                pair.run(5);
                continue;
            }
            next[0]++;
            m = numbered(next[0], 4 + sizes.nextInt(1500));
            if (next[0] % 200 == 0) {
                pair.run(1);
            }
        }
        assertTrue(pair.runUntil(() -> pair.b.messages.size() == total, 600_000), "got " + pair.b.messages.size());
        Random check = new Random(21);
        for (int i = 0; i < total; i++) {
            assertArrayEquals(numbered(i, 4 + check.nextInt(1500)), pair.b.messages.get(i), "message " + i);
        }
        SctpStats a = pair.a.stats();
        assertTrue(a.retransmissions() > 0, "losses were repaired by retransmission");
        assertTrue(a.fastRetransmits() > 0, "and some by fast retransmit");
        assertEquals(0, a.totalDrops() + pair.b.stats().totalDrops());
        assertTrue(pair.a.endpoint.isConnected());
    }

    @Test
    void bothDirectionsOnSeveralChannelsUnderLossKeepPerChannelOrder() {
        EndpointPair pair = connected(30);
        int[] fromA = {
            pair.a.endpoint.open("a0", "", ChannelOptions.reliable(), pair.now),
            pair.a.endpoint.open("a1", "", ChannelOptions.reliable(), pair.now),
            pair.a.endpoint.open("a2", "", new ChannelOptions(false, -1, -1, 256, -1), pair.now)};
        int[] fromB = {
            pair.b.endpoint.open("b0", "", ChannelOptions.reliable(), pair.now),
            pair.b.endpoint.open("b1", "", new ChannelOptions(false, -1, -1, 256, -1), pair.now)};
        assertTrue(pair.runUntil(() -> pair.a.opened.size() == 5 && pair.b.opened.size() == 5, 5_000));
        pair.lossy(0.05, 0.02, 0.1);
        Random sizes = new Random(30);
        int perChannel = 400;
        for (int i = 0; i < perChannel; i++) {
            for (int c = 0; c < fromA.length; c++) {
                assertEquals(SendStatus.SENT, pair.a.send(fromA[c], numbered(c * 100_000 + i, 4 + sizes.nextInt(3000))));
            }
            for (int c = 0; c < fromB.length; c++) {
                assertEquals(SendStatus.SENT, pair.b.send(fromB[c], numbered(c * 100_000 + i, 4 + sizes.nextInt(3000))));
            }
            pair.run(3);
        }
        assertTrue(pair.runUntil(() -> pair.b.messages.size() == 3 * perChannel && pair.a.messages.size() == 2 * perChannel,
            300_000), pair.b.messages.size() + " " + pair.a.messages.size());
        checkPerChannel(pair.b, fromA, new boolean[] {true, true, false}, perChannel);
        checkPerChannel(pair.a, fromB, new boolean[] {true, false}, perChannel);
        assertEquals(0, pair.a.stats().totalDrops() + pair.b.stats().totalDrops());
    }

    private static void checkPerChannel(EndpointPair.Side receiver, int[] channels, boolean[] ordered, int perChannel) {
        for (int c = 0; c < channels.length; c++) {
            java.util.List<Integer> got = new java.util.ArrayList<>();
            for (int k = 0; k < receiver.messages.size(); k++) {
                if (receiver.messageStreams.get(k) == channels[c]) {
                    got.add(number(receiver.messages.get(k)) - c * 100_000);
                }
            }
            assertEquals(perChannel, got.size());
            if (ordered[c]) {
                for (int i = 0; i < perChannel; i++) {
                    assertEquals(i, got.get(i), "channel " + channels[c] + " in order");
                }
            } else {
                assertEquals(perChannel, new HashSet<>(got).size(), "unordered: each exactly once");
            }
        }
    }

    @Test
    void a256KiBMessageArrivesIntact() {
        EndpointPair pair = connected(22);
        pair.lossy(0.05, 0.02, 0.1);
        int id = pair.a.endpoint.open("file", "", ChannelOptions.reliable(), pair.now);
        byte[] big = new byte[256 * 1024];
        new Random(22).nextBytes(big);
        assertEquals(SendStatus.SENT, pair.a.send(id, big));
        assertTrue(pair.runUntil(() -> pair.b.messages.size() == 1, 120_000));
        assertArrayEquals(big, pair.b.messages.get(0));
        byte[] tooBig = new byte[CONFIG.maxMessageSize() + 1];
        assertEquals(SendStatus.TOO_LARGE, pair.a.send(id, tooBig));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3})
    void smallPacketsAndASmallWindowCarryLargeMessages(long seed) {
        SctpConfig c = CONFIG.withMaxPacketSize(256).withMaxMessageSize(65536).withReceiveWindow(65536);
        EndpointPair pair = new EndpointPair(c, seed).lossy(0.1, 0.05, 0.2);
        assertTrue(pair.connect());
        Random r = new Random(seed);
        int rel = pair.a.endpoint.open("r", "", ChannelOptions.reliable(), pair.now);
        int limited = pair.a.endpoint.open("p", "", new ChannelOptions(true, 2, -1, 256, -1), pair.now);
        java.util.List<byte[]> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            byte[] m = new byte[1 + r.nextInt(65536)];
            r.nextBytes(m);
            assertEquals(SendStatus.SENT, pair.a.send(rel, m));
            sent.add(m);
            pair.a.send(limited, m);
            pair.run(r.nextInt(100));
        }
        assertTrue(pair.runUntil(() -> pair.b.messageStreams.stream().filter(s -> s == rel).count() == sent.size(), 600_000));
        int k = 0;
        for (int i = 0; i < pair.b.messages.size(); i++) {
            if (pair.b.messageStreams.get(i) == rel) {
                assertArrayEquals(sent.get(k++), pair.b.messages.get(i));
            }
        }
        pair.run(20_000);
        assertEquals(0, pair.b.endpoint.association().receiveBuffered(), "abandoned messages left nothing behind");
    }

    @Test
    void unorderedUnreliableMessagesAreDeliveredOrDroppedNeverDuplicated() {
        EndpointPair pair = connected(23);
        int id = pair.a.endpoint.open("game", "", ChannelOptions.unreliableUnordered(0), pair.now);
        assertTrue(pair.runUntil(() -> pair.a.opened.size() == 1, 5_000));
        pair.lossy(0.2, 0.1, 0.3);
        int total = 2_000;
        for (int i = 0; i < total; i++) {
            assertEquals(SendStatus.SENT, pair.a.send(id, numbered(i, 200)));
            pair.run(2);
        }
        pair.run(30_000);
        Set<Integer> seen = new HashSet<>();
        boolean outOfOrder = false;
        int last = -1;
        for (byte[] m : pair.b.messages) {
            int n = number(m);
            assertTrue(seen.add(n), "message " + n + " delivered twice");
            assertArrayEquals(numbered(n, 200), m);
            outOfOrder |= n < last;
            last = n;
        }
        assertTrue(seen.size() < total && seen.size() > total / 2, "some lost, most arrive: " + seen.size());
        assertTrue(outOfOrder, "unordered delivery lets later messages pass lost ones");
        // Nothing waits for the lost messages: the FORWARD TSNs moved the receiver past them.
        assertEquals(0, pair.a.endpoint.bufferedAmount());
        pair.lossy(0, 0, 0);
        assertEquals(SendStatus.SENT, pair.a.send(id, numbered(total, 200)));
        assertTrue(pair.runUntil(() -> seen.size() < pair.b.messages.size() && number(last(pair)) == total, 5_000));
        assertEquals(0, pair.a.stats().retransmissions(), "maxRetransmits 0 never retransmits");
    }

    private static byte[] last(EndpointPair pair) {
        return pair.b.messages.get(pair.b.messages.size() - 1);
    }

    @Test
    void maxPacketLifeTimeExpiryMovesTheReceiverOnWithForwardTsn() {
        EndpointPair pair = connected(24);
        int id = pair.a.endpoint.open("live", "", ChannelOptions.maxPacketLifeTime(true, 300), pair.now);
        assertTrue(pair.runUntil(() -> pair.a.opened.size() == 1, 5_000));
        // Everything a sends for a while is lost: those messages expire instead of being retransmitted forever.
        pair.a.outFilter = p -> true;
        for (int i = 0; i < 5; i++) {
            pair.a.send(id, numbered(i, 3000));
        }
        pair.run(2_000);
        pair.a.outFilter = p -> false;
        pair.a.send(id, numbered(5, 100));
        assertTrue(pair.runUntil(() -> pair.b.messages.size() == 1, 10_000));
        assertEquals(5, number(pair.b.messages.get(0)), "the ordered stream skipped the expired messages");
        pair.run(1_000);
        assertEquals(1, pair.b.messages.size());
        assertTrue(pair.a.endpoint.isConnected());
    }

    @Test
    void sendBufferBoundReturnsBufferFullAndBufferedAmountDrains() {
        SctpConfig small = CONFIG.withSendBufferLimit(64 * 1024);
        EndpointPair pair = new EndpointPair(small, 25);
        int id = pair.a.endpoint.open("fill", "", ChannelOptions.reliable(), pair.now);
        pair.a.endpoint.connect(pair.now);
        byte[] m = new byte[10_000];
        int queued = 0;
        SendStatus s;
        // Before the association is up nothing drains: the buffer fills.
        while ((s = pair.a.send(id, m)) == SendStatus.SENT) {
            queued++;
        }
        int accepted = queued;
        assertEquals(SendStatus.BUFFER_FULL, s);
        assertEquals(6, accepted);
        assertTrue(pair.a.endpoint.bufferedAmount() > 60_000);
        assertTrue(pair.a.endpoint.bufferedAmount(id) > 60_000);
        assertTrue(pair.runUntil(() -> pair.b.messages.size() == accepted, 10_000));
        assertEquals(0, pair.a.endpoint.bufferedAmount());
        assertEquals(0, pair.a.endpoint.bufferedAmount(id));
        assertTrue(pair.a.bufferedLow.contains(id), "onBufferedAmountLow at 0");
        assertEquals(SendStatus.SENT, pair.a.send(id, m));
    }

    @Test
    void peerWindowIsRespected() {
        // b announces a small window; a never has more than that in flight.
        SctpConfig smallWindow = CONFIG.withMaxMessageSize(8_000).withReceiveWindow(8_000);
        EndpointPair pair = new EndpointPair(CONFIG, smallWindow, 26);
        assertTrue(pair.connect());
        int id = pair.a.endpoint.open("w", "", ChannelOptions.reliable(), pair.now);
        long[] maxUnacked = {0};
        int[] sentBytes = {0};
        for (int i = 0; i < 50; i++) {
            pair.a.send(id, numbered(i, 5_000));
        }
        assertTrue(pair.runUntil(() -> {
            maxUnacked[0] = Math.max(maxUnacked[0], pair.a.endpoint.association().peerWindow());
            return pair.b.messages.size() == 50;
        }, 60_000));
        assertEquals(0, pair.b.stats().drops(SctpDropReason.RECEIVE_WINDOW_FULL));
        assertTrue(maxUnacked[0] <= 8_000);
    }

    @Test
    void retransmissionsAndRtoBackoffAreCounted() {
        EndpointPair pair = connected(27);
        int id = pair.a.endpoint.open("r", "", ChannelOptions.reliable(), pair.now);
        assertTrue(pair.runUntil(() -> pair.a.opened.size() == 1, 5_000));
        long rto = pair.a.stats().rtoMillis();
        assertEquals(CONFIG.rtoMinMillis(), rto, "a 40 ms RTT gives the minimum RTO");
        java.util.List<Long> sentAt = new java.util.ArrayList<>();
        // The message and two retransmissions of it are lost; the third retransmission arrives.
        pair.a.outFilter = p -> EndpointPair.contains(p, 0) && sentAt.add(pair.now) && sentAt.size() <= 3;
        pair.a.send(id, numbered(1, 500));
        assertTrue(pair.runUntil(() -> pair.b.messages.size() == 1, 30_000));
        SctpStats a = pair.a.stats();
        assertEquals(3, a.retransmissions());
        assertEquals(3, a.timeouts());
        assertEquals(java.util.List.of(rto, 2 * rto, 4 * rto),
            java.util.List.of(sentAt.get(1) - sentAt.get(0), sentAt.get(2) - sentAt.get(1), sentAt.get(3) - sentAt.get(2)),
            "T3 doubles the RTO each time (RFC 9260 6.3.3 E2)");
        assertEquals(CONFIG.maxPacketSize(), a.cwndBytes(), "cwnd collapsed to one MTU after T3");
    }

    @Test
    void associationClosesWhenThePeerVanishes() {
        EndpointPair pair = connected(28);
        int id = pair.a.endpoint.open("v", "", ChannelOptions.reliable(), pair.now);
        assertTrue(pair.runUntil(() -> pair.a.opened.size() == 1, 5_000));
        pair.b.outFilter = p -> true;
        pair.a.outFilter = p -> true;
        pair.a.send(id, numbered(1, 100));
        assertTrue(pair.runUntil(() -> pair.a.closedReason != null, 600_000));
        assertEquals("too many retransmissions", pair.a.closedReason);
        assertEquals(CONFIG.maxRetransmissions() + 1, pair.a.stats().timeouts());
        assertEquals(SendStatus.NOT_OPEN, pair.a.send(id, new byte[1]));
    }

    @Test
    void idleAssociationClosesWhenThePeerVanishes() {
        EndpointPair pair = connected(29);
        pair.b.outFilter = p -> true;
        assertTrue(pair.runUntil(() -> pair.a.closedReason != null, 600_000));
        assertEquals("too many retransmissions", pair.a.closedReason);
    }
}
