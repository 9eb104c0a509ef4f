package org.atrium.sfu.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.stream.Stream;
import org.atrium.rtp.RtpPacket;
import org.atrium.sfu.stats.DropReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A WHIP client's numbers against the SFU's: opus 96, VP8 97, its RTX 98 (as aiortc numbers
 * them) for the SFU's 111, 96, 97; the MID on id 1, the audio level on 2, transport-cc on 5
 * for the SFU's 4, 1, 3. The client's id 3 (abs-send-time here) would collide with the SFU's
 * transport-cc.
 */
class PayloadMappingTest {

    static final PayloadMapping CLIENT = PayloadMapping.builder()
            .payloadType(96, 111)
            .payloadType(97, 96)
            .payloadType(98, 97)
            .extension(1, 4)
            .extension(2, 1)
            .extension(5, 3)
            .build();

    private static final String SSRC_AND_TIME = "00 00 0b b8 | 11 22 33 44 ";

    static Stream<Arguments> inbound() {
        return Stream.of(
            // name, packet as the client sent it, packet as the core sees it, or the drop reason
            Arguments.of("VP8 with MID and transport-cc, padding kept", """
                90 e1 00 07       # X, marker, PT 97, seq 7
                """ + SSRC_AND_TIME + """
                be de 00 02
                10 30             # id 1 L=0: MID "0"
                00                # padding
                51 01 02          # id 5 L=1: transport-wide sequence 258
                00 00
                90 00 00 00       # VP8 payload
                """, """
                90 e0 00 07       # marker kept, PT 96
                """ + SSRC_AND_TIME + """
                be de 00 02
                40 30 | 00 | 31 01 02 | 00 00
                90 00 00 00
                """, null),
            Arguments.of("the client's id 3 is erased, not read as the SFU's transport-cc", """
                90 61 00 08 |""" + SSRC_AND_TIME + """
                be de 00 02
                32 aa bb cc       # id 3 L=2: abs-send-time
                51 00 09 00       # id 5: transport-wide sequence 9
                90 00
                """, """
                90 60 00 08 |""" + SSRC_AND_TIME + """
                be de 00 02
                00 00 00 00
                31 00 09 00
                90 00
                """, null),
            Arguments.of("opus with audio level", """
                90 60 00 09 |""" + SSRC_AND_TIME + """
                be de 00 01 | 20 85 00 00 | fc ff fe
                """, """
                90 6f 00 09 |""" + SSRC_AND_TIME + """
                be de 00 01 | 10 85 00 00 | fc ff fe
                """, null),
            Arguments.of("RTX in the two-byte form", """
                90 62 00 0a |""" + SSRC_AND_TIME + """
                10 00 00 02 | 05 02 00 0b | 01 01 31 00 | 00 07 90 00
                """, """
                90 61 00 0a |""" + SSRC_AND_TIME + """
                10 00 00 02 | 03 02 00 0b | 04 01 31 00 | 00 07 90 00
                """, null),
            Arguments.of("without extensions only the payload type changes", """
                80 61 00 0b |""" + SSRC_AND_TIME + "90 00", """
                80 60 00 0b |""" + SSRC_AND_TIME + "90 00", null),
            Arguments.of("a payload type the client did not negotiate is dropped untouched", """
                90 64 00 0c |""" + SSRC_AND_TIME + "be de 00 01 | 10 30 00 00 | 90 00", """
                90 64 00 0c |""" + SSRC_AND_TIME + "be de 00 01 | 10 30 00 00 | 90 00",
                DropReason.UNKNOWN_PAYLOAD_TYPE),
            Arguments.of("an element running past its block is dropped", """
                90 61 00 0d |""" + SSRC_AND_TIME + "be de 00 01 | 53 00 00 00 | 90 00", null,
                DropReason.MALFORMED_RTP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inbound")
    void inboundPacketsAreRewrittenToTheSfusNumbers(String name, String sentHex, String expectedHex,
            DropReason expectedDrop) {
        assertRewrite(CLIENT::toCanonical, 7, sentHex, expectedHex, expectedDrop);
    }

    static Stream<Arguments> outbound() {
        return Stream.of(
            // name, packet as the core sends it, packet on the wire to the client, or the drop reason
            Arguments.of("forwarded VP8 with the transport-cc the consumer added", """
                90 e0 12 34 |""" + SSRC_AND_TIME + """
                be de 00 01 | 31 00 2a 00 | 90 00 00
                """, """
                90 e1 12 34 |""" + SSRC_AND_TIME + """
                be de 00 01 | 51 00 2a 00 | 90 00 00
                """, null),
            Arguments.of("RTX and padding probes on the client's RTX type", """
                b0 61 00 01 |""" + SSRC_AND_TIME + """
                be de 00 01 | 31 00 2b 00 | 00 00 00 03
                """, """
                b0 62 00 01 |""" + SSRC_AND_TIME + """
                be de 00 01 | 51 00 2b 00 | 00 00 00 03
                """, null),
            Arguments.of("an element the client did not negotiate is erased (RID, id 10)", """
                90 6f 00 02 |""" + SSRC_AND_TIME + """
                be de 00 02 | 10 85 a0 68 | 31 00 2c 00 | fc
                """, """
                90 60 00 02 |""" + SSRC_AND_TIME + """
                be de 00 02 | 20 85 00 00 | 51 00 2c 00 | fc
                """, null),
            Arguments.of("a format the client did not negotiate is not sent (H264)", """
                80 66 00 03 |""" + SSRC_AND_TIME + "7c 85", """
                80 66 00 03 |""" + SSRC_AND_TIME + "7c 85", DropReason.UNKNOWN_PAYLOAD_TYPE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outbound")
    void outboundPacketsAreRewrittenToTheClientsNumbers(String name, String coreHex, String expectedHex,
            DropReason expectedDrop) {
        byte[] sent = assertRewrite(CLIENT::toRemote, 3, coreHex, expectedHex, expectedDrop);
        assertNull(RtpPacket.validate(sent, 0, sent.length));
    }

    @Test
    void negotiatedNumbersRoundTrip() {
        byte[] core = hex("90 e0 12 34 |" + SSRC_AND_TIME + "be de 00 02 | 10 85 31 00 | 2a 40 30 00 | 90 00");
        byte[] buf = core.clone();
        assertNull(CLIENT.toRemote(buf, 0, buf.length));
        assertEquals(97, RtpPacket.payloadType(buf, 0));
        assertNull(CLIENT.toCanonical(buf, 0, buf.length));
        assertEquals(HexFormat.of().formatHex(core), HexFormat.of().formatHex(buf));
    }

    @Test
    void lookupsAnswerBothWays() {
        assertEquals(96, CLIENT.canonicalPayloadType(97));
        assertEquals(98, CLIENT.remotePayloadType(97));
        assertEquals(-1, CLIENT.canonicalPayloadType(100));
        assertEquals(-1, CLIENT.remotePayloadType(102));
        assertEquals(3, CLIENT.canonicalExtensionId(5));
        assertEquals(5, CLIENT.remoteExtensionId(3));
        assertEquals(0, CLIENT.canonicalExtensionId(3));
        assertEquals(0, CLIENT.remoteExtensionId(10));
    }

    @Test
    void aCodecOfferedTwiceIsReceivedUnderBothAndSentUnderTheFirst() {
        PayloadMapping twice = PayloadMapping.builder().payloadType(97, 96).payloadType(99, 96).build();
        assertEquals(96, twice.canonicalPayloadType(97));
        assertEquals(96, twice.canonicalPayloadType(99));
        assertEquals(97, twice.remotePayloadType(96));
    }

    @Test
    void theBuilderRefusesNumbersOutOfRangeAndContradictions() {
        assertThrows(IllegalArgumentException.class, () -> PayloadMapping.builder().payloadType(128, 96));
        assertThrows(IllegalArgumentException.class, () -> PayloadMapping.builder().payloadType(97, -1));
        assertThrows(IllegalArgumentException.class, () -> PayloadMapping.builder().extension(0, 3));
        assertThrows(IllegalArgumentException.class, () -> PayloadMapping.builder().extension(5, 256));
        assertThrows(IllegalArgumentException.class, () -> PayloadMapping.builder().payloadType(97, 96).payloadType(97, 102));
        assertThrows(IllegalArgumentException.class, () -> PayloadMapping.builder().extension(5, 3).extension(5, 1));
        // The same pair twice is no contradiction.
        PayloadMapping.builder().payloadType(97, 96).payloadType(97, 96).extension(5, 3).extension(5, 3).build();
    }

    @Test
    void tooShortOrOutOfBoundsIsMalformedNeverAnException() {
        byte[] buf = new byte[20];
        assertEquals(DropReason.MALFORMED_RTP, CLIENT.toCanonical(buf, 0, 11));
        assertEquals(DropReason.MALFORMED_RTP, CLIENT.toCanonical(buf, 10, 12));
        assertEquals(DropReason.MALFORMED_RTP, CLIENT.toRemote(buf, -1, 12));
        assertEquals(DropReason.MALFORMED_RTP, CLIENT.toRemote(null, 0, 12));
    }

    /** One direction of the mapping: {@link PayloadMapping#toCanonical} or {@link PayloadMapping#toRemote}. */
    private interface Rewrite {
        DropReason apply(byte[] buf, int off, int len);
    }

    /**
     * Rewrites the packet placed at {@code off} in a buffer filled with 0xEE around it and checks
     * the drop reason, the bytes (unless {@code expectedHex} is null), and that nothing outside the
     * packet was written. Returns the packet as the rewrite left it.
     */
    private static byte[] assertRewrite(Rewrite rewrite, int off, String packetHex, String expectedHex,
            DropReason expectedDrop) {
        byte[] packet = hex(packetHex);
        byte[] buf = placed(off, packet);

        assertEquals(expectedDrop, rewrite.apply(buf, off, packet.length));

        if (expectedHex != null) {
            assertEquals(HexFormat.of().formatHex(hex(expectedHex)), HexFormat.of().formatHex(buf, off, off + packet.length));
        }
        assertNothingWrittenOutside(buf, off, packet.length);
        return java.util.Arrays.copyOfRange(buf, off, off + packet.length);
    }

    private static byte[] hex(String annotated) {
        return HexFormat.of().parseHex(annotated.replaceAll("#[^\\n]*", "").replaceAll("[\\s|]", ""));
    }

    /** The packet at {@code off} in a buffer filled with 0xEE around it. */
    private static byte[] placed(int off, byte[] packet) {
        byte[] buf = new byte[off + packet.length + 9];
        java.util.Arrays.fill(buf, (byte) 0xEE);
        System.arraycopy(packet, 0, buf, off, packet.length);
        return buf;
    }

    private static void assertNothingWrittenOutside(byte[] buf, int off, int len) {
        for (int i = 0; i < buf.length; i++) {
            if (i < off || i >= off + len) {
                assertEquals((byte) 0xEE, buf[i], "byte " + i + " outside the packet");
            }
        }
    }
}
