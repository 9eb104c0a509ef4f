package org.atrium.bench;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.atrium.rtp.ExtensionBlockWriter;
import org.atrium.rtp.HeaderExtensions;
import org.atrium.rtp.RtpPacket;
import org.atrium.srtp.SrtpProfile;
import org.atrium.srtp.SrtpSession;
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
 * The steps one forwarded packet takes in the SFU, each on its own: header check,
 * per-receiver copy with extension rewriting, SRTP protect and unprotect.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PacketPathBenchmark {

    @Param({"160", "1200"})
    public int payloadSize;

    @Param({"AEAD_AES_128_GCM", "AES128_CM_HMAC_SHA1_80"})
    public SrtpProfile profile;

    private final byte[] packet = new byte[1500 + SrtpSession.MAX_TRAILER];
    private final byte[] copy = new byte[1500 + SrtpSession.MAX_TRAILER];
    private final byte[] idMap = new byte[16];
    private int length;
    private int sequence;
    private SrtpSession sender;
    private SrtpSession senderForUnprotect;
    private SrtpSession receiver;
    private final byte[] protectedPacket = new byte[1500 + SrtpSession.MAX_TRAILER];
    private int protectedLength;

    @Setup(Level.Trial)
    public void setUp() {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[profile.keyLength()];
        byte[] salt = new byte[profile.saltLength()];
        random.nextBytes(key);
        random.nextBytes(salt);
        sender = SrtpSession.forSending(profile, key, salt);
        senderForUnprotect = SrtpSession.forSending(profile, key, salt);
        receiver = SrtpSession.forReceiving(profile, key, salt);

        // A Chrome-like video packet: audio level and mid extensions, then the payload.
        int headerLength = RtpPacket.writeHeader(packet, 0, false, 96, 1000, 90000, 0x11223344L);
        RtpPacket.setExtension(packet, 0, true);
        ExtensionBlockWriter writer = new ExtensionBlockWriter();
        writer.start(packet, headerLength, false);
        writer.add(1, new byte[] {(byte) 0x90}, 0, 1);
        writer.add(4, new byte[] {'1'}, 0, 1);
        int blockLength = writer.finish();
        length = headerLength + blockLength + payloadSize;
        byte[] payload = new byte[payloadSize];
        random.nextBytes(payload);
        System.arraycopy(payload, 0, packet, headerLength + blockLength, payloadSize);
        idMap[1] = 1;
    }

    @Benchmark
    public Object validate() {
        return RtpPacket.validate(packet, 0, length);
    }

    @Benchmark
    public int copyForReceiver() {
        return HeaderExtensions.copyWithExtensions(packet, 0, length, copy, 0, idMap);
    }

    @Benchmark
    public int protect() {
        System.arraycopy(packet, 0, copy, 0, length);
        RtpPacket.setSequenceNumber(copy, 0, sequence++ & 0xFFFF);
        return sender.protectRtp(copy, 0, length);
    }

    /** Protect then unprotect, so that the receiver's replay window sees fresh packets. */
    @Benchmark
    public int protectAndUnprotect() {
        System.arraycopy(packet, 0, protectedPacket, 0, length);
        RtpPacket.setSequenceNumber(protectedPacket, 0, sequence++ & 0xFFFF);
        protectedLength = senderForUnprotect.protectRtp(protectedPacket, 0, length);
        return receiver.unprotectRtp(protectedPacket, 0, protectedLength);
    }
}
