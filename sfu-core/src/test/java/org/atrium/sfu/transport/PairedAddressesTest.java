package org.atrium.sfu.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.atrium.sfu.transport.PairedAddresses.Outcome;
import org.ice4j.util.Buffer;
import org.junit.jupiter.api.Test;

/**
 * The gate on an ICE session's remote addresses: paired ones pass, DTLS from others is held
 * while the session connects and handed on, in order, when its address pairs; the rest is
 * dropped, and so is what never pairs.
 */
class PairedAddressesTest {

    private static final InetSocketAddress BROWSER = new InetSocketAddress("127.0.0.1", 50000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.1", 50001);

    private final PairedAddresses gate = new PairedAddresses();
    private final List<Buffer> dropped = new ArrayList<>();

    /** A DTLS 1.2 handshake record's header (content type 22, version fe fd), numbered in its sequence field. */
    private static Buffer dtls(InetSocketAddress from, int sequence) {
        byte[] bytes = HexFormat.of().parseHex("16fefd000000000000000000");
        bytes[10] = (byte) sequence;
        return new Buffer(bytes, 0, bytes.length, null, null, from);
    }

    /** An SRTP packet's first bytes: version 2, payload type 96. */
    private static Buffer rtp(InetSocketAddress from) {
        byte[] bytes = HexFormat.of().parseHex("806000010000000000000001");
        return new Buffer(bytes, 0, bytes.length, null, null, from);
    }

    @Test
    void dtlsHeldWhileConnectingIsHandedOnPerAddressInOrderWhenItPairs() {
        Buffer first = dtls(BROWSER, 0);
        Buffer stranger = dtls(OTHER, 0);
        Buffer second = dtls(BROWSER, 1);
        assertEquals(Outcome.HELD, gate.holdOrDrop(first, true, dropped::add));
        assertEquals(Outcome.HELD, gate.holdOrDrop(stranger, true, dropped::add));
        assertEquals(Outcome.HELD, gate.holdOrDrop(second, true, dropped::add));

        assertEquals(List.of(first, second), gate.add(BROWSER));
        assertTrue(gate.contains(BROWSER));
        assertEquals(List.of(), gate.add(BROWSER), "handed on once");
        assertEquals(1, gate.heldCount());

        gate.close(dropped::add);
        assertEquals(List.of(stranger), dropped, "what never paired is dropped");
        assertEquals(0, gate.heldCount());
    }

    @Test
    void anAddressPairedMeanwhilePassesAndOnlyDtlsIsHeldOnlyWhileConnecting() {
        gate.add(BROWSER);
        assertEquals(Outcome.PAIRED_MEANWHILE, gate.holdOrDrop(dtls(BROWSER, 0), true, dropped::add));
        Buffer media = rtp(OTHER);
        assertEquals(Outcome.DROPPED, gate.holdOrDrop(media, true, dropped::add), "media is not held");
        Buffer late = dtls(OTHER, 0);
        assertEquals(Outcome.DROPPED, gate.holdOrDrop(late, false, dropped::add), "connected: nothing is held");
        assertEquals(List.of(media, late), dropped);
        assertFalse(gate.contains(OTHER));
    }

    @Test
    void pastItsBoundTheOldestHeldIsDropped() {
        List<Buffer> sent = new ArrayList<>();
        for (int i = 0; i <= PairedAddresses.MAX_HELD; i++) {
            Buffer buffer = dtls(BROWSER, i);
            sent.add(buffer);
            assertEquals(Outcome.HELD, gate.holdOrDrop(buffer, true, dropped::add));
        }
        assertEquals(List.of(sent.get(0)), dropped);
        assertEquals(sent.subList(1, sent.size()), gate.add(BROWSER));
    }

    @Test
    void afterCloseNothingIsHeld() {
        gate.close(dropped::add);
        Buffer buffer = dtls(BROWSER, 0);
        assertEquals(Outcome.DROPPED, gate.holdOrDrop(buffer, true, dropped::add));
        assertEquals(List.of(buffer), dropped);
    }
}
