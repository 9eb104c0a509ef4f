package org.atrium.sctp.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.atrium.sctp.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole SCTP packets captured from real stacks: each row is where it came from, the packet as
 * hex (common header, checksum and all), and its chunk types in order. Every row must have a
 * valid CRC32C, walk into exactly those chunks, and have each chunk accepted by its view. Add a
 * row per captured packet (e.g. a Chromium association through the SFU, taken from the DTLS
 * plaintext); nothing else needs to change.
 */
class CapturedPacketsTest {
    static Stream<Arguments> packets() {
        return Stream.of(
            Arguments.of("usrsctp INIT, ports 5000/5000 (dcSCTP sctp_packet_test.cc, DeserializeSimplePacketFromCapture)",
                """
                1388 1388 | 00000000 | aa019d33
                01 00 005a 0eddca08 00020000 03e8 03e8 55083637
                80000004 c0000004 80080009 c00fc18082000000
                80020024 c5a86155090e6f420050634cc8d6b908dfd53e17c99cb143284eaf64682ac297
                80040006 00010000 80030006 80c10000
                """,
                new int[] {ChunkType.INIT}),
            Arguments.of("COOKIE ACK bundled with a SACK, ports 1234/4321 (dcSCTP sctp_packet_test.cc, DeserializePacketWithTwoChunks)",
                """
                04d2 10e1 | 697e3a4e | c06e8b36
                0b 00 0004
                03 00 0010 aea95252 00020000 0000 0000
                """,
                new int[] {ChunkType.COOKIE_ACK, ChunkType.SACK}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void capturedPacketParses(String source, String hex, int[] chunkTypes) {
        byte[] p = Hex.bytes(hex);
        assertTrue(SctpPacket.is(p, 0, p.length));
        assertTrue(SctpPacket.checksumValid(p, 0, p.length), "CRC32C");
        ChunkIterator it = new ChunkIterator().reset(p, 0, p.length);
        List<Integer> types = new ArrayList<>();
        while (it.next()) {
            types.add(it.type());
            assertTrue(ChunkViews.read(p, it.offset(), it.length()), "chunk " + it.type() + " accepted by its view");
        }
        assertFalse(it.malformed());
        assertEquals(Hex.of(toBytes(chunkTypes), 0, chunkTypes.length), Hex.of(toBytes(types), 0, types.size()));
        // Sealing the packet again computes the checksum it arrived with.
        byte[] copy = p.clone();
        SctpPacket.seal(copy, 0, copy.length);
        assertEquals(Hex.of(p, 8, 4), Hex.of(copy, 8, 4));
    }

    /** dcSCTP sctp_packet_test.cc, DeserializePacketWithWrongChecksum: a SACK whose checksum is wrong. */
    @org.junit.jupiter.api.Test
    void wrongChecksumIsDetected() {
        byte[] p = Hex.bytes("1388 1388 | 0eddca08 | 2a81f531 | 03 00 0010 55083640 00020000 0000 0000");
        assertFalse(SctpPacket.checksumValid(p, 0, p.length));
        assertEquals(0x0eddca08, SctpPacket.verificationTag(p, 0));
        assertEquals(5000, SctpPacket.sourcePort(p, 0));
    }

    private static byte[] toBytes(int[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static byte[] toBytes(List<Integer> v) {
        return toBytes(v.stream().mapToInt(Integer::intValue).toArray());
    }
}
