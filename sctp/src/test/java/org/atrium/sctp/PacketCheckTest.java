package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.stream.Stream;
import org.atrium.sctp.packet.ChunkType;
import org.atrium.sctp.packet.SctpPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The first look at an incoming packet: common header, CRC32C, ports, chunk walk, INIT alone (RFC 9260 8.5.1 A). */
class PacketCheckTest {
    private static final PacketCheck CHECK = new PacketCheck(SctpConfig.DEFAULTS);
    private static final String SACK = "03 00 0010 00000001 00010000 0000 0000";
    private static final String INIT = "01 00 0014 11223344 00100000 0400 0400 00000001";

    /** Ports 5000 to 5000 and the tag; {@code seal} false leaves the CRC32C field zero. */
    static Stream<Arguments> packets() {
        return Stream.of(
            Arguments.of("shorter than a common header", Hex.bytes("1388 1388 00000001 0000"),
                SctpDropReason.MALFORMED_PACKET),
            Arguments.of("bad CRC32C", unsealed(1, SACK), SctpDropReason.BAD_CHECKSUM),
            Arguments.of("another destination port", packet(5001, 1, SACK), SctpDropReason.WRONG_PORT),
            Arguments.of("no chunk", packet(5000, 1, ""), SctpDropReason.MALFORMED_PACKET),
            Arguments.of("a chunk longer than the packet", packet(5000, 1, "03 00 0020 00000001"),
                SctpDropReason.MALFORMED_PACKET),
            Arguments.of("INIT with a nonzero tag", packet(5000, 1, INIT), SctpDropReason.MALFORMED_CHUNK),
            Arguments.of("INIT bundled", packet(5000, 0, INIT + SACK), SctpDropReason.MALFORMED_CHUNK));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void drops(String name, byte[] packet, SctpDropReason reason) {
        assertEquals(reason, CHECK.check(packet, 0, packet.length));
    }

    @Test
    void passesAGoodPacketAndTellsItsFirstChunk() {
        byte[] p = packet(5000, 7, "03 01 0010 00000001 00010000 0000 0000" + INIT);
        assertNull(CHECK.check(p, 0, p.length),
            "the tag is the association's to check; only a first INIT must travel alone");
        assertEquals(ChunkType.SACK, CHECK.firstType());
        assertEquals(1, CHECK.firstFlags());
        byte[] init = packet(5000, 0, INIT);
        assertNull(CHECK.check(init, 0, init.length));
        assertEquals(ChunkType.INIT, CHECK.firstType());
    }

    private static byte[] packet(int destinationPort, int tag, String chunksHex) {
        byte[] p = unsealed(tag, chunksHex);
        SctpPacket.writeHeader(p, 0, 5000, destinationPort, tag);
        SctpPacket.seal(p, 0, p.length);
        return p;
    }

    private static byte[] unsealed(int tag, String chunksHex) {
        byte[] chunks = Hex.bytes(chunksHex);
        byte[] p = new byte[SctpPacket.HEADER_LENGTH + chunks.length];
        SctpPacket.writeHeader(p, 0, 5000, 5000, tag);
        System.arraycopy(chunks, 0, p, SctpPacket.HEADER_LENGTH, chunks.length);
        return p;
    }
}
