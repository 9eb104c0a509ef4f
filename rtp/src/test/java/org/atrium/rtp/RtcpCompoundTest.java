package org.atrium.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtcpCompoundTest {
    static Stream<Arguments> wellFormed() {
        return Stream.of(
            // name, compound, "type/format ..." of each packet
            Arguments.of("chrome RR + SDES", RtcpPackets.RR + RtcpPackets.SDES_CNAME, "201/1 202/1"),
            Arguments.of("SR + SDES + BYE", RtcpPackets.SR + RtcpPackets.SDES_CNAME + RtcpPackets.BYE, "200/0 202/1 203/1"),
            Arguments.of("reduced-size: lone PLI (RFC 5506)", RtcpPackets.PLI, "206/1"),
            Arguments.of("reduced-size: NACK + transport-cc", RtcpPackets.NACK + RtcpPackets.TRANSPORT_CC, "205/1 205/15"),
            Arguments.of("RR + REMB + FIR", RtcpPackets.RR + RtcpPackets.REMB + RtcpPackets.FIR, "201/1 206/15 206/4"),
            Arguments.of("unknown type XR (207) is passed through", "80 cf 00 01 | 12 34 56 78", "207/0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void iteratesWellFormedCompounds(String name, String hex, String expectedPackets) {
        byte[] compound = Hex.bytes(hex);
        int off = 4;
        byte[] b = Hex.at(off, compound);
        assertNull(RtcpCompound.validate(b, off, compound.length));
        assertTrue(RtcpHeader.looksLikeRtcp(b, off, compound.length));

        RtcpIterator it = new RtcpIterator();
        it.reset(b, off, compound.length);
        StringBuilder seen = new StringBuilder();
        int expectedOffset = off;
        while (it.next()) {
            assertEquals(expectedOffset, it.offset());
            expectedOffset += it.length();
            seen.append(seen.length() == 0 ? "" : " ").append(it.packetType()).append('/').append(it.format());
        }
        assertNull(it.error());
        assertEquals(expectedPackets, seen.toString());
        assertEquals(off + compound.length, expectedOffset);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
            // name, compound, expected error, packets read before it
            Arguments.of("empty", "", PacketError.TOO_SHORT, 0),
            Arguments.of("3 bytes", "81 c9 00", PacketError.TOO_SHORT, 0),
            Arguments.of("trailing 2 bytes after RR", RtcpPackets.RR + "81 c9", PacketError.TOO_SHORT, 1),
            Arguments.of("version 1", "41 c9 00 01 | fa 17 fa 17", PacketError.BAD_VERSION, 0),
            Arguments.of("second packet version 0", RtcpPackets.PLI + "01 c9 00 01 | fa 17 fa 17", PacketError.BAD_VERSION, 1),
            Arguments.of("RTP payload type 96 in type field", "80 60 00 01 | fa 17 fa 17", PacketError.BAD_RTCP_TYPE, 0),
            Arguments.of("type 224", "80 e0 00 01 | fa 17 fa 17", PacketError.BAD_RTCP_TYPE, 0),
            Arguments.of("length beyond buffer", "81 c9 00 07 | fa 17 fa 17 | 12 34 56 78", PacketError.BAD_RTCP_LENGTH, 0),
            Arguments.of("second packet length beyond buffer", RtcpPackets.RR + "81 ce 00 03 | fa 17 fa 17 | 12 34 56 78",
                PacketError.BAD_RTCP_LENGTH, 1),
            Arguments.of("RR with RC=1 but no block", "81 c9 00 01 | fa 17 fa 17", PacketError.BAD_RTCP_LENGTH, 0),
            Arguments.of("SR without sender info", "80 c8 00 01 | 12 34 56 78", PacketError.BAD_RTCP_LENGTH, 0),
            Arguments.of("BYE with SC=2 and one SSRC", "82 cb 00 01 | 12 34 56 78", PacketError.BAD_RTCP_LENGTH, 0),
            Arguments.of("APP without name", "80 cc 00 01 | 12 34 56 78", PacketError.BAD_RTCP_LENGTH, 0),
            Arguments.of("PLI without media SSRC", "81 ce 00 01 | fa 17 fa 17", PacketError.TRUNCATED_FEEDBACK, 0),
            Arguments.of("NACK header only", "81 cd 00 00", PacketError.TRUNCATED_FEEDBACK, 0),
            Arguments.of("feedback padding eating its header", "a1 ce 00 02 | fa 17 fa 17 | 12 34 56 04",
                PacketError.TRUNCATED_FEEDBACK, 0),
            Arguments.of("padding count 0", "a0 c9 00 01 | fa 17 fa 00", PacketError.BAD_PADDING, 0),
            Arguments.of("padding count beyond packet", "a0 c9 00 01 | fa 17 fa 09", PacketError.BAD_PADDING, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void stopsAtTheFirstMalformedPacket(String name, String hex, PacketError expected, int packetsBefore) {
        byte[] compound = Hex.bytes(hex);
        byte[] b = Hex.at(2, compound);
        assertEquals(expected, RtcpCompound.validate(b, 2, compound.length));

        RtcpIterator it = new RtcpIterator();
        it.reset(b, 2, compound.length);
        int read = 0;
        while (it.next()) {
            read++;
        }
        assertEquals(packetsBefore, read);
        assertEquals(expected == PacketError.TOO_SHORT && compound.length == 0 ? null : expected, it.error());
    }

    @Test
    void iteratorIsReusable() {
        byte[] bad = Hex.bytes("41 c9 00 01 | fa 17 fa 17");
        byte[] good = Hex.bytes(RtcpPackets.PLI);
        RtcpIterator it = new RtcpIterator();
        it.reset(bad, 0, bad.length);
        assertFalse(it.next());
        assertEquals(PacketError.BAD_VERSION, it.error());
        it.reset(good, 0, good.length);
        assertTrue(it.next());
        assertEquals(RtcpPacketType.PSFB, it.packetType());
        assertFalse(it.next());
        assertNull(it.error());
        it.reset(good, 4, good.length);
        assertFalse(it.next());
        assertEquals(PacketError.OUT_OF_BOUNDS, it.error());
    }

    static Stream<Arguments> demux() {
        return Stream.of(
            Arguments.of("RR", "81 c9 00 01", true),
            Arguments.of("SR", "80 c8 00 06", true),
            Arguments.of("type 223 (top of RFC 5761 range)", "80 df 00 00", true),
            Arguments.of("RTP PT 111", "80 6f 00 01", false),
            Arguments.of("RTP PT 0 with marker: 128", "80 80 00 01", false),
            Arguments.of("RTP PT 96 with marker: 224", "80 e0 00 01", false),
            Arguments.of("RTP PT 63 with marker: 191", "80 bf 00 01", false),
            Arguments.of("DTLS record", "16 fe fd 00", false),
            Arguments.of("STUN binding request", "00 01 00 00", false),
            Arguments.of("too short", "81 c9 00", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("demux")
    void separatesRtcpFromRtp(String name, String hex, boolean rtcp) {
        byte[] b = Hex.bytes(hex);
        assertEquals(rtcp, RtcpHeader.looksLikeRtcp(b, 0, b.length));
    }

    @Test
    void readsTheCommonHeader() {
        byte[] b = Hex.bytes(RtcpPackets.TRANSPORT_CC);
        assertEquals(2, RtcpHeader.version(b, 0));
        assertTrue(RtcpHeader.padding(b, 0));
        assertEquals(15, RtcpHeader.countOrFormat(b, 0));
        assertEquals(RtcpPacketType.RTPFB, RtcpHeader.packetType(b, 0));
        assertEquals(28, RtcpHeader.lengthInBytes(b, 0));
        assertEquals(3, RtcpHeader.paddingLength(b, 0));
        assertEquals(0xfa17fa17L, RtcpHeader.senderSsrc(b, 0));
    }
}
