package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.atrium.sctp.packet.SackChunk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The receiver's TSN bookkeeping and the SACK it writes (RFC 9260 3.3.4, 6.2). */
class ReceivedTsnsTest {
    /** Initial TSN 100, then these arrive; the SACK written after. */
    static Stream<Arguments> arrivals() {
        return Stream.of(
            Arguments.of("in order", new int[] {100, 101, 102}, "03 00 0010 00000066 00010000 0000 0000"),
            Arguments.of("one gap", new int[] {100, 102, 103}, "03 00 0014 00000064 00010000 0001 0000 0002 0003"),
            Arguments.of("two gaps, as in the dcSCTP capture", new int[] {100, 102, 103, 104, 105, 106, 108},
                "03 00 0018 00000064 00010000 0002 0000 0002 0006 0008 0008"),
            Arguments.of("gap filled", new int[] {100, 102, 101}, "03 00 0010 00000066 00010000 0000 0000"),
            Arguments.of("blocks merge", new int[] {102, 104, 103}, "03 00 0014 00000063 00010000 0001 0000 0003 0005"),
            Arguments.of("duplicates reported once each", new int[] {100, 100, 99, 102, 102},
                "03 00 0020 00000064 00010000 0001 0003 0002 0002 00000064 00000063 00000066"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arrivals")
    void sackAfterArrivals(String name, int[] tsns, String sack) {
        ReceivedTsns rx = new ReceivedTsns();
        rx.init(100);
        for (int tsn : tsns) {
            rx.add(tsn);
        }
        byte[] b = new byte[200];
        int n = rx.writeSack(b, 0, b.length, 65536);
        assertEquals(Hex.of(Hex.bytes(sack), 0, Hex.bytes(sack).length), Hex.of(b, 0, n));
        rx.writeSack(b, 0, b.length, 65536);
        assertEquals(0, SackChunk.duplicateCount(b, 0), "duplicates are reported once");
    }

    @Test
    void wrapsAroundTheTsnSpace() {
        ReceivedTsns rx = new ReceivedTsns();
        rx.init(0xFFFFFFFE);
        long start = rx.unwrap(0xFFFFFFFE);
        assertEquals(ReceivedTsns.NEW, rx.add(0xFFFFFFFE));
        assertEquals(ReceivedTsns.NEW, rx.add(0));
        assertEquals(ReceivedTsns.NEW, rx.add(0xFFFFFFFF));
        assertEquals(0, rx.cumulative());
        assertEquals(start + 2, rx.unwrap(0));
        assertEquals(ReceivedTsns.DUPLICATE, rx.add(0xFFFFFFFF));
    }

    @Test
    void refusesTsnsTooFarAheadAndTooManyGaps() {
        ReceivedTsns rx = new ReceivedTsns();
        rx.init(1);
        assertEquals(ReceivedTsns.REFUSED, rx.add(1 + ReceivedTsns.MAX_AHEAD + 1));
        for (int i = 0; i < ReceivedTsns.MAX_GAPS; i++) {
            assertEquals(ReceivedTsns.NEW, rx.add(3 + 2 * i));
        }
        assertEquals(ReceivedTsns.REFUSED, rx.add(3 + 2 * ReceivedTsns.MAX_GAPS));
        assertEquals(ReceivedTsns.NEW, rx.add(4), "joining two blocks needs no new one");
        rx.forwardTo(10);
        assertEquals(11, rx.cumulative(), "FORWARD TSN to 10 joins the block at 11");
    }
}
