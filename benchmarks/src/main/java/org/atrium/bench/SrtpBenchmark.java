package org.atrium.bench;

import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import org.atrium.rtp.RtpPacket;
import org.atrium.srtp.BenchGcm;
import org.atrium.srtp.SrtpProfile;
import org.atrium.srtp.SrtpSession;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.LoggerImpl;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SRTP and SRTCP of Atrium and of org.jitsi:jitsi-srtp side by side, on the same bytes and keys.
 * Methods come in pairs {@code atriumX} / {@code jitsiX}; run-jmh.sh prints their ratio.
 *
 * <p>Every operation works in place on one buffer: protect re-encrypts the same packet under the
 * next sequence number (or SRTCP index), and a round trip protects then unprotects it, which
 * restores the plaintext for the next one. Unprotect alone cannot be repeated (the replay window
 * refuses a packet seen before), so it is measured inside the round trip; run-jmh.sh also
 * prints round trip minus protect as an estimate of unprotect.
 *
 * <p>{@code size} is the RTP payload after a 20-byte header with extensions, or the whole
 * RTCP packet's length.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class SrtpBenchmark {

    @Param({"AES128_CM_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public SrtpProfile profile;

    @Param({"160", "1200"})
    public int size;

    /**
     * Atrium's AES-GCM: {@code auto} is the process's choice (SrtpCrypto: ACCP where it loads),
     * {@code accp} and {@code jdk} force one; {@code -p gcm=accp,jdk} measures both in one run.
     * No effect on AES-CM or on jitsi-srtp.
     */
    @Param({"auto"})
    public String gcm;

    private final byte[] atriumRtp = new byte[BenchPackets.BUFFER_LENGTH];
    private final byte[] jitsiRtp = new byte[BenchPackets.BUFFER_LENGTH];
    private final byte[] atriumRtcp = new byte[BenchPackets.BUFFER_LENGTH];
    private final byte[] jitsiRtcp = new byte[BenchPackets.BUFFER_LENGTH];
    private int rtpLength;
    private int rtcpLength;
    private int sequence;

    private SrtpSession atriumSender;
    private SrtpSession atriumReceiver;
    private SrtpCryptoContext jitsiRtpSender;
    private SrtpCryptoContext jitsiRtpReceiver;
    private SrtcpCryptoContext jitsiRtcpSender;
    private SrtcpCryptoContext jitsiRtcpReceiver;
    private JitsiBuffer jitsiRtpPacket;
    private JitsiBuffer jitsiRtcpPacket;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        byte[] key = new byte[profile.keyLength()];
        byte[] salt = new byte[profile.saltLength()];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (0x2b + 7 * i);
        }
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) (0xf0 + i);
        }
        atriumSender = BenchGcm.withGcm(SrtpSession.forSending(profile, key, salt), gcm);
        atriumReceiver = BenchGcm.withGcm(SrtpSession.forReceiving(profile, key, salt), gcm);

        SrtpPolicy policy = profile == SrtpProfile.AEAD_AES_128_GCM
                ? new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12)
                : new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
        LoggerImpl logger = new LoggerImpl("jitsi-srtp");
        SrtpContextFactory sending = new SrtpContextFactory(true, key, salt, policy, policy, logger);
        SrtpContextFactory receiving = new SrtpContextFactory(false, key, salt, policy, policy, logger);
        jitsiRtpSender = sending.deriveContext(BenchPackets.SSRC, 0);
        jitsiRtpReceiver = receiving.deriveContext(BenchPackets.SSRC, 0);
        jitsiRtcpSender = sending.deriveControlContext(BenchPackets.SSRC);
        jitsiRtcpReceiver = receiving.deriveControlContext(BenchPackets.SSRC);

        rtpLength = BenchPackets.video(atriumRtp, size, 1);
        BenchPackets.video(jitsiRtp, size, 1);
        rtcpLength = BenchPackets.receiverReport(atriumRtcp, size, 2);
        BenchPackets.receiverReport(jitsiRtcp, size, 2);
        jitsiRtpPacket = new JitsiBuffer(jitsiRtp);
        jitsiRtcpPacket = new JitsiBuffer(jitsiRtcp);
    }

    private static int check(int result) {
        if (result < 0) {
            throw new IllegalStateException("Atrium SRTP failed: " + result);
        }
        return result;
    }

    private static SrtpErrorStatus check(SrtpErrorStatus status) {
        if (status != SrtpErrorStatus.OK) {
            throw new IllegalStateException("jitsi-srtp failed: " + status);
        }
        return status;
    }

    @Benchmark
    public int atriumRtpProtect() {
        RtpPacket.setSequenceNumber(atriumRtp, 0, sequence++ & 0xFFFF);
        return check(atriumSender.protectRtp(atriumRtp, 0, rtpLength));
    }

    @Benchmark
    public SrtpErrorStatus jitsiRtpProtect() throws GeneralSecurityException {
        RtpPacket.setSequenceNumber(jitsiRtp, 0, sequence++ & 0xFFFF);
        jitsiRtpPacket.setLength(rtpLength);
        return check(jitsiRtpSender.transformPacket(jitsiRtpPacket));
    }

    @Benchmark
    public int atriumRtpRoundTrip() {
        RtpPacket.setSequenceNumber(atriumRtp, 0, sequence++ & 0xFFFF);
        int protectedLength = check(atriumSender.protectRtp(atriumRtp, 0, rtpLength));
        return check(atriumReceiver.unprotectRtp(atriumRtp, 0, protectedLength));
    }

    @Benchmark
    public SrtpErrorStatus jitsiRtpRoundTrip() throws GeneralSecurityException {
        RtpPacket.setSequenceNumber(jitsiRtp, 0, sequence++ & 0xFFFF);
        jitsiRtpPacket.setLength(rtpLength);
        check(jitsiRtpSender.transformPacket(jitsiRtpPacket));
        return check(jitsiRtpReceiver.reverseTransformPacket(jitsiRtpPacket, false));
    }

    @Benchmark
    public int atriumRtcpProtect() {
        return check(atriumSender.protectRtcp(atriumRtcp, 0, rtcpLength));
    }

    @Benchmark
    public SrtpErrorStatus jitsiRtcpProtect() throws GeneralSecurityException {
        jitsiRtcpPacket.setLength(rtcpLength);
        return check(jitsiRtcpSender.transformPacket(jitsiRtcpPacket));
    }

    @Benchmark
    public int atriumRtcpRoundTrip() {
        int protectedLength = check(atriumSender.protectRtcp(atriumRtcp, 0, rtcpLength));
        return check(atriumReceiver.unprotectRtcp(atriumRtcp, 0, protectedLength));
    }

    @Benchmark
    public SrtpErrorStatus jitsiRtcpRoundTrip() throws GeneralSecurityException {
        jitsiRtcpPacket.setLength(rtcpLength);
        check(jitsiRtcpSender.transformPacket(jitsiRtcpPacket));
        return check(jitsiRtcpReceiver.reverseTransformPacket(jitsiRtcpPacket));
    }
}
