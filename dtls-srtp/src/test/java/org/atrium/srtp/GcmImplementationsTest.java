package org.atrium.srtp;

import static org.atrium.srtp.TestPackets.hex;
import static org.atrium.srtp.TestPackets.rtp;
import static org.atrium.srtp.TestPackets.rtpLength;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * AEAD_AES_128_GCM on each implementation (the JDK's AES/GCM and ACCP's): the choice of one,
 * packets protected by one and unprotected by the other, forgeries, truncation, SRTCP with the E
 * flag set and clear, and retransmissions of one packet index.
 */
class GcmImplementationsTest {
    private static final int SSRC = 0x5501a0b2;
    private static final byte[] KEY = hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] SALT = hex("517569642070726f2071756f");
    private static final int E_FLAG = 0x80000000;

    private static SrtpSession session(GcmImplementation gcm, boolean sending) {
        if (gcm == GcmImplementation.ACCP) {
            assumeTrue(SrtpCrypto.accp() != null, "Amazon Corretto Crypto Provider does not load here");
        }
        return SrtpSession.withSessionKeys(SrtpProfile.AEAD_AES_128_GCM, KEY, SALT, null, sending).withGcm(gcm);
    }

    /** An RTCP receiver report of {@code length} bytes (a multiple of 4, at least 32) with trailer room. */
    private static byte[] rtcp(int length, int marker) {
        byte[] b = Arrays.copyOf(TestPackets.rtcp(SSRC, marker), length + SrtpSession.MAX_TRAILER);
        int words = length / 4 - 1;
        b[2] = (byte) (words >>> 8);
        b[3] = (byte) words;
        for (int i = 32; i < length; i++) {
            b[i] = (byte) (marker * 5 + i);
        }
        return b;
    }

    @Test
    void theChoiceFollowsThePropertyAndWhetherAccpLoads() {
        assertEquals(GcmImplementation.JDK, SrtpCrypto.choose("jdk", true));
        assertEquals(GcmImplementation.JDK, SrtpCrypto.choose(" JDK ", false));
        assertEquals(GcmImplementation.ACCP, SrtpCrypto.choose("auto", true));
        assertEquals(GcmImplementation.ACCP, SrtpCrypto.choose(null, true));
        assertEquals(GcmImplementation.JDK, SrtpCrypto.choose("auto", false));
        assertEquals(GcmImplementation.JDK, SrtpCrypto.choose(null, false));
        assertEquals(GcmImplementation.ACCP, SrtpCrypto.choose("something", true), "unknown values mean auto");
    }

    @Test
    void theImplementationInUseIsNamed() {
        String name = SrtpCrypto.gcmImplementation();
        assertEquals(SrtpCrypto.gcm().shortName, name);
        String forced = System.getProperty(SrtpCrypto.GCM_PROPERTY, "auto");
        if (forced.equals("jdk")) {
            assertEquals("jdk", name);
        } else {
            assertEquals(SrtpCrypto.accp() != null ? "accp" : "jdk", name);
        }
    }

    @ParameterizedTest
    @EnumSource(GcmImplementation.class)
    void rtpProtectedByOneUnprotectsWithTheOther(GcmImplementation sender) {
        GcmImplementation receiver = sender == GcmImplementation.ACCP ? GcmImplementation.JDK : GcmImplementation.ACCP;
        SrtpSession tx = session(sender, true);
        SrtpSession rx = session(receiver, false);
        for (int payload = 0; payload <= 1300; payload += 13) {
            int seq = 100 + payload;
            byte[] plain = rtp(SSRC, seq, payload);
            byte[] buf = plain.clone();
            int len = tx.protectRtp(buf, 0, rtpLength(payload));
            assertEquals(rtpLength(payload) + 16, len);
            assertEquals(rtpLength(payload), rx.unprotectRtp(buf, 0, len), "payload " + payload);
            assertArrayEquals(Arrays.copyOf(plain, rtpLength(payload)), Arrays.copyOf(buf, rtpLength(payload)));
        }
    }

    @ParameterizedTest
    @EnumSource(GcmImplementation.class)
    void rtcpProtectedByOneUnprotectsWithTheOther(GcmImplementation sender) {
        GcmImplementation receiver = sender == GcmImplementation.ACCP ? GcmImplementation.JDK : GcmImplementation.ACCP;
        SrtpSession tx = session(sender, true);
        SrtpSession rx = session(receiver, false);
        for (int length = 32; length <= 1300; length += 36) {
            byte[] plain = rtcp(length, length);
            byte[] buf = plain.clone();
            int len = tx.protectRtcp(buf, 0, length);
            assertEquals(length + 16 + 4, len);
            assertTrue(PacketCipher.getInt(buf, len - 4) < 0, "E set");
            assertEquals(length, rx.unprotectRtcp(buf, 0, len), "length " + length);
            assertArrayEquals(Arrays.copyOf(plain, length), Arrays.copyOf(buf, length));
        }
    }

    /** Every bit of a protected packet flipped in turn: refused with a code, the packet left as it was. */
    @ParameterizedTest
    @EnumSource(GcmImplementation.class)
    void forgeriesFailWithACodeAndLeaveThePacket(GcmImplementation gcm) {
        byte[] buf = rtp(SSRC, 7, 40);
        int len = session(gcm, true).protectRtp(buf, 0, rtpLength(40));
        byte[] rtcpBuf = rtcp(64, 3);
        int rtcpLen = session(gcm, true).protectRtcp(rtcpBuf, 0, 64);
        SrtpSession rx = session(gcm, false);
        for (int bit = 0; bit < len * 8; bit++) {
            byte[] forged = Arrays.copyOf(buf, len);
            forged[bit / 8] ^= (byte) (1 << (bit % 8));
            byte[] before = forged.clone();
            int result = rx.unprotectRtp(forged, 0, len);
            assertTrue(result < 0, "bit " + bit);
            assertArrayEquals(before, forged, "bit " + bit);
        }
        for (int bit = 0; bit < rtcpLen * 8; bit++) {
            byte[] forged = Arrays.copyOf(rtcpBuf, rtcpLen);
            forged[bit / 8] ^= (byte) (1 << (bit % 8));
            byte[] before = forged.clone();
            int result = rx.unprotectRtcp(forged, 0, rtcpLen);
            assertTrue(result < 0, "bit " + bit);
            assertArrayEquals(before, forged, "bit " + bit);
        }
        // A tag of the right length that is simply wrong is an authentication failure, never an exception.
        byte[] wrongTag = Arrays.copyOf(buf, len);
        Arrays.fill(wrongTag, len - 16, len, (byte) 0);
        assertEquals(SrtpError.AUTH_FAILED, rx.unprotectRtp(wrongTag, 0, len));
        // The authentic packets still pass afterwards.
        assertEquals(rtpLength(40), rx.unprotectRtp(Arrays.copyOf(buf, len), 0, len));
        assertEquals(64, rx.unprotectRtcp(Arrays.copyOf(rtcpBuf, rtcpLen), 0, rtcpLen));
    }

    @ParameterizedTest
    @EnumSource(GcmImplementation.class)
    void truncatedPacketsFailWithACode(GcmImplementation gcm) {
        byte[] buf = rtp(SSRC, 9, 100);
        int len = session(gcm, true).protectRtp(buf, 0, rtpLength(100));
        byte[] rtcpBuf = rtcp(64, 4);
        int rtcpLen = session(gcm, true).protectRtcp(rtcpBuf, 0, 64);
        SrtpSession rx = session(gcm, false);
        for (int n = 0; n < len; n++) {
            byte[] cut = Arrays.copyOf(buf, n);
            assertTrue(rx.unprotectRtp(cut, 0, n) < 0, "RTP cut to " + n);
            assertArrayEquals(Arrays.copyOf(buf, n), cut);
        }
        for (int n = 0; n < rtcpLen; n++) {
            byte[] cut = Arrays.copyOf(rtcpBuf, n);
            assertTrue(rx.unprotectRtcp(cut, 0, n) < 0, "RTCP cut to " + n);
            assertArrayEquals(Arrays.copyOf(rtcpBuf, n), cut);
        }
    }

    /**
     * RFC 7714 section 10: SRTCP authenticated only (E clear), the whole packet being AAD, built
     * here with the JDK's GCM directly; each implementation accepts it and refuses it with E set,
     * and refuses an encrypted packet whose E flag was cleared.
     */
    @ParameterizedTest
    @EnumSource(GcmImplementation.class)
    void srtcpWithTheEFlagClearAndSet(GcmImplementation gcm) throws Exception {
        int index = 0x1234;
        byte[] plain = rtcp(48, 6);
        byte[] unencrypted = Arrays.copyOf(plain, 48 + 16 + 4);
        byte[] iv = new byte[12];
        PacketCipher.putInt(iv, 2, SSRC);
        PacketCipher.putInt(iv, 8, index);
        for (int i = 0; i < 12; i++) {
            iv[i] ^= SALT[i];
        }
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, iv));
        jdk.updateAAD(plain, 0, 48);
        byte[] word = new byte[4];
        PacketCipher.putInt(word, 0, index);
        jdk.updateAAD(word);
        byte[] tag = jdk.doFinal();
        System.arraycopy(tag, 0, unencrypted, 48, 16);
        PacketCipher.putInt(unencrypted, 64, index);

        SrtpSession rx = session(gcm, false);
        byte[] withE = unencrypted.clone();
        PacketCipher.putInt(withE, 64, E_FLAG | index);
        assertEquals(SrtpError.AUTH_FAILED, rx.unprotectRtcp(withE, 0, withE.length), "E set on an unencrypted packet");
        byte[] buf = unencrypted.clone();
        assertEquals(48, rx.unprotectRtcp(buf, 0, buf.length));
        assertArrayEquals(Arrays.copyOf(plain, 48), Arrays.copyOf(buf, 48));

        SrtpSession tx = session(gcm, true);
        tx.setNextSrtcpIndex(SSRC, index + 1);
        byte[] encrypted = rtcp(48, 7);
        int len = tx.protectRtcp(encrypted, 0, 48);
        assertEquals(E_FLAG | (index + 1), PacketCipher.getInt(encrypted, len - 4));
        byte[] withoutE = Arrays.copyOf(encrypted, len);
        PacketCipher.putInt(withoutE, len - 4, index + 1);
        assertEquals(SrtpError.AUTH_FAILED, rx.unprotectRtcp(withoutE, 0, len), "E cleared on an encrypted packet");
        assertEquals(48, rx.unprotectRtcp(Arrays.copyOf(encrypted, len), 0, len));
    }

    /** A sender may protect the same packet index again (a retransmission); the output is identical. */
    @ParameterizedTest
    @EnumSource(GcmImplementation.class)
    void retransmissionsOfOnePacketIndexProtectIdentically(GcmImplementation gcm) {
        SrtpSession tx = session(gcm, true);
        byte[] first = null;
        for (int i = 0; i < 4; i++) {
            byte[] buf = rtp(SSRC, 500, 200);
            int len = tx.protectRtp(buf, 0, rtpLength(200));
            byte[] out = Arrays.copyOf(buf, len);
            if (first == null) {
                first = out;
            } else {
                assertArrayEquals(first, out, "repeat " + i);
            }
            // Another packet in between, then the same index again.
            byte[] other = rtp(SSRC, 501 + i, 200);
            tx.protectRtp(other, 0, rtpLength(200));
        }
        byte[] again = rtp(SSRC, 500, 200);
        tx.protectRtp(again, 0, rtpLength(200));
        byte[] twice = rtp(SSRC, 500, 200);
        int len = tx.protectRtp(twice, 0, rtpLength(200));
        assertArrayEquals(first, Arrays.copyOf(twice, len), "back to back");

        byte[] rtcpFirst = null;
        for (int i = 0; i < 3; i++) {
            tx.setNextSrtcpIndex(SSRC, 77);
            byte[] buf = rtcp(40, 1);
            int n = tx.protectRtcp(buf, 0, 40);
            if (rtcpFirst == null) {
                rtcpFirst = Arrays.copyOf(buf, n);
            } else {
                assertArrayEquals(rtcpFirst, Arrays.copyOf(buf, n), "RTCP repeat " + i);
            }
        }
    }
}
