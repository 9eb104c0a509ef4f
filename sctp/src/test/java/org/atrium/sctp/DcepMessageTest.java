package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** DCEP messages (RFC 8832 5.1, 5.2). */
class DcepMessageTest {
    static Stream<Arguments> opens() {
        return Stream.of(
            // pion/datachannel message_test.go, TestChannelOpenUnmarshal: reliable, priority 0, "foo"/"bar".
            Arguments.of("""
                03 00 0000 | 00000000 | 0003 0003 | 666f6f 626172
                """, "foo", "bar", new ChannelOptions(true, -1, -1, 0, -1)),
            // RFC 8832 5.1 layout: PARTIAL_RELIABLE_REXMIT_UNORDERED (0x81), priority 256, 3 retransmits.
            Arguments.of("""
                03 81 0100 | 00000003 | 0004 0000 | 67616d65
                """, "game", "", ChannelOptions.unreliableUnordered(3)),
            // PARTIAL_RELIABLE_TIMED (0x02), high priority 512, 1500 ms, protocol only.
            Arguments.of("""
                03 02 0200 | 000005dc | 0000 0004 | 6a736f6e
                """, "", "json", new ChannelOptions(true, -1, 1500, 512, -1)),
            // RELIABLE_UNORDERED (0x80), a UTF-8 label.
            Arguments.of("""
                03 80 0100 | 00000000 | 0004 0000 | e29c8c21
                """, "\u270c!", "", new ChannelOptions(false, -1, -1, 256, -1)));
    }

    @ParameterizedTest
    @MethodSource("opens")
    void openParsesAndWritesBack(String hex, String label, String protocol, ChannelOptions options) {
        byte[] m = Hex.bytes(hex);
        for (int off : new int[] {0, 5}) {
            byte[] b = Hex.at(off, m);
            assertTrue(DcepMessage.isOpen(b, off, m.length));
            assertFalse(DcepMessage.isAck(b, off, m.length));
            assertEquals(label, DcepMessage.label(b, off));
            assertEquals(protocol, DcepMessage.protocol(b, off));
            assertEquals(options, DcepMessage.options(b, off));
        }
        assertArrayEquals(m, DcepMessage.open(label, protocol, options));
    }

    @Test
    void ackIsOneByteAndPionsPaddedAckIsAccepted() {
        assertArrayEquals(Hex.bytes("02"), DcepMessage.ack());
        assertTrue(DcepMessage.isAck(Hex.bytes("02"), 0, 1));
        // pion/datachannel message_test.go, TestChannelAckMarshal: 02 00 00 00.
        assertTrue(DcepMessage.isAck(Hex.bytes("02000000"), 0, 4));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
            Arguments.of("empty", ""),
            Arguments.of("open shorter than its fixed part", "03 00 0000 00000000 0003"),
            Arguments.of("label runs past the message", "03 00 0000 00000000 0004 0000 666f6f"),
            Arguments.of("protocol runs past the message", "03 00 0000 00000000 0000 0001"),
            Arguments.of("unknown channel type 0x03", "03 03 0000 00000000 0000 0000"),
            Arguments.of("unknown message type", "01 00 0000 00000000 0000 0000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedIsNeitherOpenNorAck(String name, String hex) {
        byte[] m = Hex.bytes(hex);
        assertFalse(DcepMessage.isOpen(m, 0, m.length));
        assertFalse(DcepMessage.isAck(m, 0, m.length));
    }
}
