package org.atrium.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtxTest {
    static final long RTX_SSRC = 0x55667788L;
    static final int RTX_PT = 97;
    static final int RTX_SEQ = 7;

    static Stream<Arguments> roundTrips() {
        return Stream.of(
            // name, original, RTX packet (wrap with RTX_SSRC, RTX_PT, RTX_SEQ), original after unwrap
            Arguments.of("VP8 with two CSRCs, one-byte extension and padding", """
                b2 e0 12 34   # V=2 P=1 X=1 CC=2 | M=1 PT 96 | seq 0x1234
                00 01 e2 40   # timestamp
                11 22 33 44   # SSRC
                00 00 00 0a | 00 00 00 0b   # CSRCs
                be de 00 01 | 22 00 12 34   # one-byte form: id 2 L=2 abs-send-time
                90 80 00 9d 01 2a           # VP8 descriptor + keyframe start
                00 00 03                    # padding, count 3
                """, """
                92 e1 00 07   # P cleared | M=1 PT 97 | RTX seq 7
                00 01 e2 40   # same timestamp
                55 66 77 88   # RTX SSRC
                00 00 00 0a | 00 00 00 0b
                be de 00 01 | 22 00 12 34
                12 34                       # OSN
                90 80 00 9d 01 2a
                """, """
                92 e0 12 34 | 00 01 e2 40 | 11 22 33 44   # padding not carried: P clear
                00 00 00 0a | 00 00 00 0b
                be de 00 01 | 22 00 12 34
                90 80 00 9d 01 2a
                """),
            Arguments.of("Opus with extensions, no padding", RtpPacketTest.CHROME_OPUS, """
                90 61 00 07 | 5c 1a 3b 80 | 55 66 77 88
                be de 00 02 | 10 a5 31 00 2a 40 30 00
                4e 21                       # OSN 20001
                78 0b e4 c1 36 a0
                """, RtpPacketTest.CHROME_OPUS),
            Arguments.of("sequence 65535, empty payload", "80 60 ff ff | 00 00 00 00 | 00 00 00 01", """
                80 61 00 07 | 00 00 00 00 | 55 66 77 88
                ff ff                       # OSN only
                """, "80 60 ff ff | 00 00 00 00 | 00 00 00 01"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTrips")
    void wrapsAndUnwraps(String name, String originalHex, String rtxHex, String restoredHex) {
        byte[] original = Hex.bytes(originalHex);
        byte[] src = Hex.at(3, original);
        byte[] before = src.clone();
        byte[] rtx = Hex.bytes(rtxHex);
        byte[] dst = new byte[1500];
        Arrays.fill(dst, (byte) 0xEE);

        int n = Rtx.wrap(src, 3, original.length, dst, 9, RTX_SSRC, RTX_PT, RTX_SEQ);

        assertEquals(rtx.length, n);
        assertEquals(Hex.of(rtx, 0, rtx.length), Hex.of(dst, 9, n));
        assertEquals((byte) 0xEE, dst[9 + n], "wrote past the end");
        assertEquals(Hex.of(before, 0, before.length), Hex.of(src, 0, src.length), "source changed");
        assertNull(RtpPacket.validate(dst, 9, n));
        assertEquals(original.length == 12 ? 0xffff : RtpPacket.sequenceNumber(original, 0),
            Rtx.originalSequenceNumber(dst, 9, n));

        int m = Rtx.unwrap(dst, 9, n, RtpPacket.ssrc(original, 0), RtpPacket.payloadType(original, 0));

        byte[] restored = Hex.bytes(restoredHex);
        assertEquals(restored.length, m);
        assertEquals(Hex.of(restored, 0, restored.length), Hex.of(dst, 9, m));
        assertNull(RtpPacket.validate(dst, 9, m));
    }

    @Test
    void wrapsInPlace() {
        byte[] original = Hex.bytes(RtpPacketTest.CHROME_OPUS);
        byte[] b = Arrays.copyOf(original, original.length + Rtx.OSN_LENGTH);

        int n = Rtx.wrap(b, 0, original.length, b, 0, RTX_SSRC, RTX_PT, RTX_SEQ);
        int m = Rtx.unwrap(b, 0, n, RtpPacket.ssrc(original, 0), 111);

        assertEquals(original.length, m);
        assertEquals(Hex.of(original, 0, original.length), Hex.of(b, 0, m));
    }

    @Test
    void unwrapKeepsPaddingOfTheRtxPacket() {
        byte[] b = Hex.bytes("""
            a0 61 00 08 | 00 00 10 00 | 55 66 77 88   # P=1 PT 97 RTX seq 8
            00 2a                                     # OSN 42
            de ad be ef
            00 00 03                                  # padding, count 3
            """);

        int m = Rtx.unwrap(b, 0, b.length, 0x11223344L, 96);

        assertEquals("a060002a0000100011223344deadbeef000003", Hex.of(b, 0, m));
        assertNull(RtpPacket.validate(b, 0, m));
        assertEquals(4, RtpPacket.payloadLength(b, 0, m));
    }

    static Stream<Arguments> notRecoverable() {
        return Stream.of(
            Arguments.of("padding-only probe (libwebrtc RTX padding)",
                "a0 61 00 09 | 00 00 10 00 | 55 66 77 88 | 00 00 00 00 00 00 00 08", Rtx.PADDING_ONLY),
            Arguments.of("padding-only probe with extension",
                "b0 61 00 09 | 00 00 10 00 | 55 66 77 88 | be de 00 01 | 31 00 2b 00 | 00 00 03", Rtx.PADDING_ONLY),
            Arguments.of("no payload, no padding", "80 61 00 09 | 00 00 10 00 | 55 66 77 88", Rtx.PADDING_ONLY),
            Arguments.of("one payload byte: half an OSN", "80 61 00 09 | 00 00 10 00 | 55 66 77 88 | 12",
                Rtx.MALFORMED),
            Arguments.of("one payload byte before padding",
                "a0 61 00 09 | 00 00 10 00 | 55 66 77 88 | 12 00 02", Rtx.MALFORMED),
            Arguments.of("version 1", "40 61 00 09 | 00 00 10 00 | 55 66 77 88 | 00 2a", Rtx.MALFORMED),
            Arguments.of("too short", "80 61 00 09 | 00 00 10 00 | 55 66", Rtx.MALFORMED),
            Arguments.of("padding count past the header", "a0 61 00 09 | 00 00 10 00 | 55 66 77 88 | 00 2a 09",
                Rtx.MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notRecoverable")
    void unwrapRejects(String name, String hex, int expected) {
        byte[] b = Hex.bytes(hex);
        byte[] before = b.clone();

        assertEquals(expected, Rtx.unwrap(b, 0, b.length, 0x11223344L, 96));
        assertEquals(Hex.of(before, 0, before.length), Hex.of(b, 0, b.length), "rejected packet changed");
    }

    @Test
    void wrapRejectsMalformedOriginalAndShortDestination() {
        byte[] original = Hex.bytes(RtpPacketTest.CHROME_OPUS);
        byte[] exact = new byte[original.length + Rtx.OSN_LENGTH];

        assertEquals(exact.length, Rtx.wrap(original, 0, original.length, exact, 0, RTX_SSRC, RTX_PT, RTX_SEQ));
        assertEquals(Rtx.MALFORMED, Rtx.wrap(original, 0, original.length, exact, 1, RTX_SSRC, RTX_PT, RTX_SEQ));
        assertEquals(Rtx.MALFORMED, Rtx.wrap(original, 0, 11, exact, 0, RTX_SSRC, RTX_PT, RTX_SEQ));
        byte[] badExtension = Hex.bytes("90 60 00 01 | 00 00 00 00 | 00 00 00 03 | be de 00 05 | ff");
        assertEquals(Rtx.MALFORMED, Rtx.wrap(badExtension, 0, badExtension.length, exact, 0, RTX_SSRC, RTX_PT, 0));
    }

    @Test
    void rtxSequenceAndPayloadTypeAreMasked() {
        byte[] original = Hex.bytes("80 e0 00 05 | 00 00 00 00 | 00 00 00 01 | aa");
        byte[] dst = new byte[32];

        int n = Rtx.wrap(original, 0, original.length, dst, 0, 0xfffffffeL, 97, 0x1_0003);

        assertEquals("80e1000300000000fffffffe0005aa", Hex.of(dst, 0, n));
    }
}
