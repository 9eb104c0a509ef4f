package org.atrium.srtp;

import static org.atrium.srtp.TestPackets.RTCP_LENGTH;
import static org.atrium.srtp.TestPackets.rtcp;
import static org.atrium.srtp.TestPackets.rtp;
import static org.atrium.srtp.TestPackets.rtpLength;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.LoggerImpl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interoperability with org.jitsi:jitsi-srtp, an independent implementation: ours protects and
 * jitsi unprotects, and the reverse, for RTP and RTCP in both profiles, over a few hundred
 * packets whose sequence numbers roll over.
 */
class JitsiSrtpCrossCheckTest {
    private static final int SSRC = 0xCAFEBABE;
    private static final int PACKETS = 300;
    private static final int FIRST_SEQ = 65400;

    private static byte[] masterKey(SrtpProfile p) {
        byte[] k = new byte[p.keyLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (0xA0 + i * 3);
        }
        return k;
    }

    private static byte[] masterSalt(SrtpProfile p) {
        byte[] s = new byte[p.saltLength()];
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (0x31 * i + 7);
        }
        return s;
    }

    private static SrtpPolicy jitsiPolicy(SrtpProfile p) {
        if (p == SrtpProfile.AEAD_AES_128_GCM) {
            return new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12);
        }
        return new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
    }

    private static SrtpContextFactory jitsiFactory(SrtpProfile p, boolean sender) {
        return new SrtpContextFactory(sender, masterKey(p), masterSalt(p), jitsiPolicy(p), jitsiPolicy(p),
                new LoggerImpl("jitsi-srtp"));
    }

    /** Payload sizes vary so that partial AES blocks are exercised. */
    private static int payloadLength(int i) {
        return 1 + (i * 37) % 1100;
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void oursProtectsJitsiUnprotectsRtp(TestCipher c) throws GeneralSecurityException {
        SrtpProfile p = c.profile;
        SrtpSession ours = c.on(SrtpSession.forSending(p, masterKey(p), masterSalt(p)));
        SrtpCryptoContext jitsi = jitsiFactory(p, false).deriveContext(SSRC, 0);
        for (int i = 0; i < PACKETS; i++) {
            int seq = (FIRST_SEQ + i) & 0xffff;
            byte[] plain = rtp(SSRC, seq, payloadLength(i));
            byte[] buf = plain.clone();
            int len = ours.protectRtp(buf, 0, rtpLength(payloadLength(i)));
            JitsiPacket packet = new JitsiPacket(buf, len);
            assertEquals(SrtpErrorStatus.OK, jitsi.reverseTransformPacket(packet, false), "seq " + seq);
            assertArrayEquals(Arrays.copyOf(plain, rtpLength(payloadLength(i))), packet.bytes(), "seq " + seq);
        }
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void jitsiProtectsOursUnprotectsRtp(TestCipher c) throws GeneralSecurityException {
        SrtpProfile p = c.profile;
        SrtpCryptoContext jitsi = jitsiFactory(p, true).deriveContext(SSRC, 0);
        SrtpSession ours = c.on(SrtpSession.forReceiving(p, masterKey(p), masterSalt(p)));
        for (int i = 0; i < PACKETS; i++) {
            int seq = (FIRST_SEQ + i) & 0xffff;
            byte[] plain = rtp(SSRC, seq, payloadLength(i));
            JitsiPacket packet = new JitsiPacket(plain, rtpLength(payloadLength(i)));
            assertEquals(SrtpErrorStatus.OK, jitsi.transformPacket(packet));
            byte[] buf = Arrays.copyOf(packet.bytes(), packet.getLength());
            assertEquals(rtpLength(payloadLength(i)), ours.unprotectRtp(buf, 0, buf.length), "seq " + seq);
            assertArrayEquals(Arrays.copyOf(plain, rtpLength(payloadLength(i))),
                    Arrays.copyOf(buf, rtpLength(payloadLength(i))), "seq " + seq);
        }
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void oursProtectsJitsiUnprotectsRtcp(TestCipher c) throws GeneralSecurityException {
        SrtpProfile p = c.profile;
        SrtpSession ours = c.on(SrtpSession.forSending(p, masterKey(p), masterSalt(p)));
        SrtcpCryptoContext jitsi = jitsiFactory(p, false).deriveControlContext(SSRC);
        for (int i = 0; i < PACKETS; i++) {
            byte[] plain = rtcp(SSRC, i);
            byte[] buf = plain.clone();
            int len = ours.protectRtcp(buf, 0, RTCP_LENGTH);
            JitsiPacket packet = new JitsiPacket(buf, len);
            assertEquals(SrtpErrorStatus.OK, jitsi.reverseTransformPacket(packet), "packet " + i);
            assertArrayEquals(Arrays.copyOf(plain, RTCP_LENGTH), packet.bytes(), "packet " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(TestCipher.class)
    void jitsiProtectsOursUnprotectsRtcp(TestCipher c) throws GeneralSecurityException {
        SrtpProfile p = c.profile;
        SrtcpCryptoContext jitsi = jitsiFactory(p, true).deriveControlContext(SSRC);
        SrtpSession ours = c.on(SrtpSession.forReceiving(p, masterKey(p), masterSalt(p)));
        for (int i = 0; i < PACKETS; i++) {
            byte[] plain = rtcp(SSRC, i);
            JitsiPacket packet = new JitsiPacket(plain, RTCP_LENGTH);
            assertEquals(SrtpErrorStatus.OK, jitsi.transformPacket(packet));
            byte[] buf = packet.bytes();
            assertEquals(RTCP_LENGTH, ours.unprotectRtcp(buf, 0, buf.length), "packet " + i);
            assertArrayEquals(Arrays.copyOf(plain, RTCP_LENGTH), Arrays.copyOf(buf, RTCP_LENGTH), "packet " + i);
        }
    }
}
