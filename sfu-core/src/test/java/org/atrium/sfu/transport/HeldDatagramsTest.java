package org.atrium.sfu.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.ice4j.util.Buffer;
import org.junit.jupiter.api.Test;

/** DTLS held from addresses not paired yet: handed on per address in arrival order, bounded. */
class HeldDatagramsTest {

    private static final InetSocketAddress BROWSER = new InetSocketAddress("127.0.0.1", 50000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.1", 50001);

    /** A DTLS 1.2 ClientHello record's first bytes (content type 22, version fe fd), numbered in its sequence field. */
    private static Buffer clientHello(InetSocketAddress from, int sequence) {
        byte[] bytes = {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, (byte) sequence, 0, 0};
        return new Buffer(bytes, 0, bytes.length, null, null, from);
    }

    @Test
    void handsOnOnlyTheAddressesDatagramsInArrivalOrder() {
        HeldDatagrams held = new HeldDatagrams();
        Buffer first = clientHello(BROWSER, 0);
        Buffer stranger = clientHello(OTHER, 0);
        Buffer second = clientHello(BROWSER, 1);
        assertNull(held.hold(first));
        assertNull(held.hold(stranger));
        assertNull(held.hold(second));

        assertEquals(List.of(first, second), held.takeFrom(BROWSER));
        assertEquals(List.of(), held.takeFrom(BROWSER), "handed on once");
        assertEquals(List.of(stranger), held.takeAll());
        assertEquals(0, held.size());
    }

    @Test
    void pastItsBoundTheOldestMakesRoomAndIsReturnedToDrop() {
        HeldDatagrams held = new HeldDatagrams();
        List<Buffer> sent = new ArrayList<>();
        for (int i = 0; i < HeldDatagrams.MAX; i++) {
            Buffer buffer = clientHello(BROWSER, i);
            sent.add(buffer);
            assertNull(held.hold(buffer));
        }
        Buffer late = clientHello(BROWSER, HeldDatagrams.MAX);
        assertSame(sent.get(0), held.hold(late));
        assertEquals(HeldDatagrams.MAX, held.size());
        List<Buffer> expected = new ArrayList<>(sent.subList(1, sent.size()));
        expected.add(late);
        assertEquals(expected, held.takeFrom(BROWSER));
    }
}
