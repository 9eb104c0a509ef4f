package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A reliable, a timed partially reliable and a retransmit-limited unordered channel share one
 * association over a link that loses 15%, duplicates 5% and reorders 20% of packets; the
 * unordered one is closed midway. Everything reliable arrives in order, the close completes, a
 * new channel works, no reassembly bytes are left behind, and the shutdown completes.
 * Regressions: a FORWARD TSN once freed the first fragments of a reliable message received just
 * past the new cumulative TSN; a message abandoned half sent once left its SSN unskipped; a
 * duplicated "in progress" reset response once skipped a request sequence number; gap-acknowledged
 * fragments of an abandoned message were once left out of the FORWARD TSN and stayed at the
 * receiver; a lost SHUTDOWN COMPLETE once left the peer retransmitting SHUTDOWN ACK until it gave up.
 * More seeds: -Dsctp.soakSeeds=200.
 */
class ImpairedLinkSoakTest {
    static LongStream seeds() {
        return LongStream.rangeClosed(1, Long.getLong("sctp.soakSeeds", 12));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void mixedChannelsOverAnImpairedLink(long seed) {
        EndpointPair pair = new EndpointPair(SctpConfig.DEFAULTS, seed).lossy(0.15, 0.05, 0.2);
        pair.a.endpoint.connect(pair.now);
        if (seed % 3 == 0) {
            pair.b.endpoint.connect(pair.now);
        }
        assertTrue(pair.runUntil(() -> pair.a.connected && pair.b.connected, 120_000), "connected");
        Random r = new Random(seed);
        int reliable = pair.a.endpoint.open("r", "", ChannelOptions.reliable(), pair.now);
        int timed = pair.b.endpoint.open("t", "", ChannelOptions.maxPacketLifeTime(true, 200), pair.now);
        int limited = pair.a.endpoint.open("u", "", ChannelOptions.unreliableUnordered(1), pair.now);
        int count = 300;
        for (int i = 0; i < count; i++) {
            byte[] m = new byte[2 + r.nextInt(4000)];
            m[0] = (byte) (i >> 8);
            m[1] = (byte) i;
            assertEquals(SendStatus.SENT, pair.a.endpoint.send(reliable, true, m, 0, m.length, pair.now));
            pair.b.endpoint.send(timed, true, m, 0, m.length, pair.now);
            pair.a.endpoint.send(limited, true, m, 0, m.length, pair.now);
            if (i == count / 2) {
                pair.a.endpoint.close(limited, pair.now);
            }
            pair.run(r.nextInt(20));
        }
        assertTrue(pair.runUntil(() -> pair.b.messageStreams.stream().filter(s -> s == reliable).count() == count
            && pair.a.closedChannels.contains(limited) && pair.b.closedChannels.contains(limited), 600_000),
            "seed " + seed + ": reliable delivered and the close completed");
        int n = 0;
        for (int k = 0; k < pair.b.messages.size(); k++) {
            if (pair.b.messageStreams.get(k) == reliable) {
                byte[] m = pair.b.messages.get(k);
                assertEquals(n++, (m[0] & 0xFF) << 8 | (m[1] & 0xFF), "in order");
            }
        }
        int again = pair.a.endpoint.open("again", "", ChannelOptions.reliable(), pair.now);
        pair.a.endpoint.send(again, true, new byte[] {42}, 0, 1, pair.now);
        assertTrue(pair.runUntil(() -> pair.b.messageStreams.contains(again), 120_000), "a new channel works");
        pair.run(10_000);
        assertEquals(0, pair.a.endpoint.association().receiveBuffered(), "nothing left in reassembly");
        assertEquals(0, pair.b.endpoint.association().receiveBuffered(), "nothing left in reassembly");
        pair.a.endpoint.shutdown(pair.now);
        assertTrue(pair.runUntil(() -> pair.a.closedReason != null && pair.b.closedReason != null, 300_000));
        assertEquals("shutdown", pair.a.closedReason);
        assertEquals("shutdown", pair.b.closedReason);
    }
}
