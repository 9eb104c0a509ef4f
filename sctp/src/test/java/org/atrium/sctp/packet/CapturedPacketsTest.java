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
                new int[] {ChunkType.COOKIE_ACK, ChunkType.SACK}),
            Arguments.of("Chromium 156: INIT (through the SFU, DTLS plaintext, 2026-12-05)",
                """
                13881388 00000000 5a8a45a0 0100001e a48f7ded 00500000 ffffffff f50430e6 c0000004
                80080006 82c00000
                """,
                new int[] {ChunkType.INIT}),
            Arguments.of("Chromium 156: COOKIE ECHO (through the SFU, DTLS plaintext, 2026-12-05)",
                """
                13881388 7275234b f0ad5c13 0a00004c 41545231 00000000 00aacd0d 7275234b a48f7ded
                d8db6ee1 f50430e6 00500000 ffffffff 03000000 aa65f9bd 3b4ce836 0235d07e 638802c0
                7cfa4bdb 92bf3d5d 1b0536a2 deaec124
                """,
                new int[] {ChunkType.COOKIE_ECHO}),
            Arguments.of("Chromium 156: DATA: DATA_CHANNEL_OPEN \"bulk\" (through the SFU, DTLS plaintext, 2026-12-05)",
                """
                13881388 7275234b d968c970 00030020 f50430e6 00000000 00000032 03000100 00000000
                00040000 62756c6b
                """,
                new int[] {ChunkType.DATA}),
            Arguments.of("Chromium 156: SACK (through the SFU, DTLS plaintext, 2026-12-05)",
                """
                13881388 7275234b 3945cc64 03000010 d8db6ee1 00480000 00000000
                """,
                new int[] {ChunkType.SACK}),
            Arguments.of("Chromium 156: DATA: a binary message (through the SFU, DTLS plaintext, 2026-12-05)",
                """
                13881388 7275234b fee7baff 00030013 f50430e7 00000001 00000035 01003000
                """,
                new int[] {ChunkType.DATA}),
            Arguments.of("Chromium 156: SACK with a gap block (through the SFU, DTLS plaintext, 2026-12-05)",
                """
                13881388 a9956ec1 728ee2fa 03000014 4b674df1 0047fff2 00010000 00030003
                """,
                new int[] {ChunkType.SACK}),
            Arguments.of("Chromium 156: SACK with 14 gap blocks and a duplicate TSN (through the SFU, DTLS plaintext, 2026-12-05)",
                """
                13881388 a9956ec1 6ad836c8 0300004c 4b674f6c 0047f41b 000e0001 0002000c 000e0012
                00140014 00160031 00330040 0042005b 005d0065 0067006a 006c007f 0081008c 008e00bb
                00bd00cf 00d200d4 00d700db 4b674f64
                """,
                new int[] {ChunkType.SACK}),
            Arguments.of("Chromium 156: SACK with 7 duplicate TSNs (through the SFU, DTLS plaintext, 2026-12-05)",
                """
                13881388 a9956ec1 0501c31f 0300002c 4b675168 00480000 00000007 4b674fec 4b674ff9
                4b675028 4b67503c 4b67503d 4b675041 4b675042
                """,
                new int[] {ChunkType.SACK}),
            Arguments.of("Chromium 156: DATA: an unordered string, I bit set (through the SFU, DTLS plaintext, 2026-12-05)",
                """
                13881388 7275234b 2007d640 000f0012 f5045804 00020000 00000033 75310000
                """,
                new int[] {ChunkType.DATA}),
            Arguments.of("Chromium 156: DATA: DATA_CHANNEL_ACK, unordered (through the SFU, DTLS plaintext, 2026-12-05)",
                """
                13881388 a9956ec1 9f5a2ad7 00070011 583a3e20 00010000 00000032 02000000
                """,
                new int[] {ChunkType.DATA}),
            Arguments.of("Chromium 156: FORWARD TSN (through the SFU, DTLS plaintext, 2026-12-05)",
                """
                13881388 7275234b 217ee7b8 c0000008 f504580b
                """,
                new int[] {ChunkType.FORWARD_TSN}),
            Arguments.of("Chromium 156: RE-CONFIG: outgoing SSN reset request for stream 2 (through the SFU, DTLS plaintext, 2026-12-05)",
                """
                13881388 7275234b a7cb8b5c 82000016 000d0012 f50430e6 f50430e6 f504592e 00020000
                """,
                new int[] {ChunkType.RE_CONFIG}));
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
