package org.atrium.srtp;

import static org.atrium.srtp.TestPackets.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Published test vectors: RFC 3711 Appendix B.2 and B.3, RFC 7714 sections 16 and 17. */
class SrtpRfcVectorsTest {

    // RFC 3711 Appendix B.2: session key 2B7E...3C, salt F0F1...FCFD, SSRC, ROC and SEQ zero,
    // so the first counter block is the shifted salt. 65282 blocks of keystream.
    static Stream<Arguments> rfc3711B2Keystream() {
        return Stream.of(
                Arguments.of(0x0000, "E03EAD0935C95E80E166B16DD92B4EB4"),
                Arguments.of(0x0001, "D23513162B02D0F72A43A2FE4A5F97AB"),
                Arguments.of(0x0002, "41E95B3BB0A2E8DD477901E4FCA894C0"),
                Arguments.of(0xFEFF, "EC8CDF7398607CB0F2D21675EA9EA1E4"),
                Arguments.of(0xFF00, "362B7C3C6773516318A077D7FC5073AE"),
                Arguments.of(0xFF01, "6A2CC3787889374FBEB4C81B17BA6C44"));
    }

    private static byte[] b2Keystream;

    private static synchronized byte[] b2Keystream() {
        if (b2Keystream == null) {
            AesCounterMode ctr = new AesCounterMode(hex("2B7E151628AED2A6ABF7158809CF4F3C"));
            byte[] zeros = new byte[65282 * 16];
            ctr.apply(hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), zeros, 0, zeros.length);
            b2Keystream = zeros;
        }
        return b2Keystream;
    }

    @ParameterizedTest(name = "RFC 3711 B.2 keystream block {0}")
    @MethodSource
    void rfc3711B2Keystream(int block, String expected) {
        byte[] keystream = b2Keystream();
        assertArrayEquals(hex(expected), Arrays.copyOfRange(keystream, block * 16, block * 16 + 16));
    }

    /** RFC 3711 section 4.1.1 IV layout, checked through a packet: B.2's keystream XORs a zero payload. */
    @Test
    void rfc3711B2KeystreamThroughAnRtpPacket() {
        byte[] key = hex("2B7E151628AED2A6ABF7158809CF4F3C");
        byte[] salt = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
        SrtpSession sender = SrtpSession.withSessionKeys(SrtpProfile.AES128_CM_HMAC_SHA1_80, key, salt,
                new byte[20], true);
        byte[] packet = new byte[12 + 48 + SrtpSession.MAX_TRAILER];
        packet[0] = (byte) 0x80;
        assertEquals(12 + 48 + 10, sender.protectRtp(packet, 0, 60));
        assertEquals("e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab41e95b3bb0a2e8dd477901e4fca894c0",
                hex(packet, 12, 48));
    }

    // RFC 3711 Appendix B.3: master key E1F9...39, master salt 0EC6...E6.
    static Stream<Arguments> rfc3711B3KeyDerivation() {
        return Stream.of(
                Arguments.of("cipher key", SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, "C61E7A93744F39EE10734AFE3FF7A087"),
                Arguments.of("cipher salt", SrtpKeyDerivation.LABEL_RTP_SALT, "30CBBC08863D8C85D49DB34A9AE1"),
                Arguments.of("auth key", SrtpKeyDerivation.LABEL_RTP_AUTHENTICATION,
                        "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE"
                                + "E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25"
                                + "6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2"));
    }

    @ParameterizedTest(name = "RFC 3711 B.3 {0}")
    @MethodSource
    void rfc3711B3KeyDerivation(String name, int label, String expected) {
        byte[] want = hex(expected);
        byte[] got = SrtpKeyDerivation.derive(hex("E1F97A0D3E018BE0D64FA32C06DE4139"),
                hex("0EC675AD498AFEEBB6960B3AABE6"), label, want.length);
        assertArrayEquals(want, got);
    }

    @Test
    void rfc3711B3SessionKeysAsTheSessionUsesThem() {
        SessionKeys keys = SessionKeys.derive(SrtpProfile.AES128_CM_HMAC_SHA1_80,
                hex("E1F97A0D3E018BE0D64FA32C06DE4139"), hex("0EC675AD498AFEEBB6960B3AABE6"));
        assertArrayEquals(hex("C61E7A93744F39EE10734AFE3FF7A087"), keys.rtpKey);
        assertArrayEquals(hex("30CBBC08863D8C85D49DB34A9AE1"), keys.rtpSalt);
        assertArrayEquals(hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), keys.rtpAuthKey);
    }

    // RFC 7714 sections 16 and 17 state session keys directly: K and the 96-bit salt.
    private static final byte[] GCM_KEY = hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] GCM_SALT = hex("517569642070726f2071756f");

    // RFC 7714 section 16: SSRC 0x5501a0b2, SEQ 0xf17b, ROC 0, "Gallia est omnis divisa in partes tres".
    private static final String RTP_PLAIN = "8040f17b8041f8d35501a0b2"
            + "47616c6c696120657374206f6d6e69732064697669736120696e207061727465732074726573";
    // RFC 7714 section 16.1.1 (encryption) and 16.1.2 (decryption).
    private static final String RTP_PROTECTED = "8040f17b8041f8d35501a0b2"
            + "f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833"
            + "899d7f27beb16a9152cf765ee4390cce";

    // RFC 7714 section 17: SSRC "Mars", SRTCP index 0x5d4 (the packet the subsections use).
    private static final String RTCP_PLAIN = "81c8000d4d6172734e5450314e545032525450200000042a0000e930"
            + "4c756e61deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
    // RFC 7714 section 17.1 (encryption; the tag is followed by E|index).
    private static final String RTCP_PROTECTED = "81c8000d4d617273"
            + "63e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc676a5f1730d6fda4ce09b4686303ded0bb9275bc84aa458"
            + "96cf4d2fc5abf87245d9eade" + "800005d4";
    // RFC 7714 section 17.3: authenticated but not encrypted, E flag clear.
    private static final String RTCP_TAG_ONLY = RTCP_PLAIN + "841dd9683dd78ec92ae58790125f62b3" + "000005d4";

    @ParameterizedTest
    @EnumSource(value = TestCipher.class, names = {"GCM_JDK", "GCM_ACCP"})
    void rfc7714Section16_1_1_rtpEncryption(TestCipher c) {
        SrtpSession sender = c.on(SrtpSession.withSessionKeys(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT, null, true));
        byte[] plain = hex(RTP_PLAIN);
        byte[] buf = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_TRAILER);
        int len = sender.protectRtp(buf, 0, plain.length);
        assertEquals(RTP_PROTECTED, hex(buf, 0, len));
    }

    @ParameterizedTest
    @EnumSource(value = TestCipher.class, names = {"GCM_JDK", "GCM_ACCP"})
    void rfc7714Section16_1_2_rtpDecryption(TestCipher c) {
        SrtpSession receiver = c.on(SrtpSession.withSessionKeys(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT, null,
                false));
        byte[] buf = hex(RTP_PROTECTED);
        int len = receiver.unprotectRtp(buf, 0, buf.length);
        assertEquals(RTP_PLAIN, hex(buf, 0, len));
    }

    @ParameterizedTest
    @EnumSource(value = TestCipher.class, names = {"GCM_JDK", "GCM_ACCP"})
    void rfc7714Section17_1_rtcpEncryption(TestCipher c) {
        SrtpSession sender = c.on(SrtpSession.withSessionKeys(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT, null, true));
        byte[] plain = hex(RTCP_PLAIN);
        sender.setNextSrtcpIndex(0x4d617273, 0x5d4);
        byte[] buf = Arrays.copyOf(plain, plain.length + SrtpSession.MAX_TRAILER);
        int len = sender.protectRtcp(buf, 0, plain.length);
        assertEquals(RTCP_PROTECTED, hex(buf, 0, len));
    }

    @ParameterizedTest
    @EnumSource(value = TestCipher.class, names = {"GCM_JDK", "GCM_ACCP"})
    void rfc7714Section17_2_rtcpDecryption(TestCipher c) {
        SrtpSession receiver = c.on(SrtpSession.withSessionKeys(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT, null,
                false));
        byte[] buf = hex(RTCP_PROTECTED);
        int len = receiver.unprotectRtcp(buf, 0, buf.length);
        assertEquals(RTCP_PLAIN, hex(buf, 0, len));
    }

    @ParameterizedTest
    @EnumSource(value = TestCipher.class, names = {"GCM_JDK", "GCM_ACCP"})
    void rfc7714Section17_3_rtcpAuthenticatedOnly(TestCipher c) {
        SrtpSession receiver = c.on(SrtpSession.withSessionKeys(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT, null,
                false));
        byte[] buf = hex(RTCP_TAG_ONLY);
        int len = receiver.unprotectRtcp(buf, 0, buf.length);
        assertEquals(RTCP_PLAIN, hex(buf, 0, len));
    }

    @ParameterizedTest
    @EnumSource(value = TestCipher.class, names = {"GCM_JDK", "GCM_ACCP"})
    void rfc7714Section17_rtcpWithOneFlippedTagBitFails(TestCipher c) {
        SrtpSession receiver = c.on(SrtpSession.withSessionKeys(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT, null,
                false));
        byte[] buf = hex(RTCP_PROTECTED);
        buf[buf.length - 5] ^= 1;
        assertEquals(SrtpError.AUTH_FAILED, receiver.unprotectRtcp(buf, 0, buf.length));
    }
}
