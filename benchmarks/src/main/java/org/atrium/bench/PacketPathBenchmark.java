package org.atrium.bench;

import java.util.concurrent.TimeUnit;
import org.atrium.rtp.HeaderExtensions;
import org.atrium.rtp.PacketError;
import org.atrium.rtp.RtpPacket;
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
 * The plaintext steps one forwarded RTP packet takes in the SFU, each on its own: header check,
 * per-receiver copy with extension and header rewriting. RTCP is in {@link RtcpParseBenchmark},
 * SRTP in {@link SrtpBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class PacketPathBenchmark {

    @Param({"160", "1200"})
    public int size;

    private final byte[] packet = new byte[BenchPackets.BUFFER_LENGTH];
    private final byte[] copy = new byte[BenchPackets.BUFFER_LENGTH];
    private final byte[] idMap = new byte[16];
    private int length;
    private final int sequenceDelta = 1234;

    @Setup(Level.Trial)
    public void setUp() {
        length = BenchPackets.video(packet, size, 1);
        // The receiver negotiated audio level as id 1 and no MID: the MID element is dropped.
        idMap[1] = 1;
    }

    @Benchmark
    public PacketError validateRtp() {
        return RtpPacket.validate(packet, 0, length);
    }

    @Benchmark
    public int copyForReceiver() {
        return HeaderExtensions.copyWithExtensions(packet, 0, length, copy, 0, idMap);
    }

    /** What a Consumer does per packet and receiver: the copy, then its own SEQ, timestamp and SSRC. */
    @Benchmark
    public int copyAndRewriteHeader() {
        int n = HeaderExtensions.copyWithExtensions(packet, 0, length, copy, 0, idMap);
        RtpPacket.setSequenceNumber(copy, 0, (RtpPacket.sequenceNumber(copy, 0) + sequenceDelta) & 0xFFFF);
        RtpPacket.setTimestamp(copy, 0, (RtpPacket.timestamp(copy, 0) + 3000) & 0xFFFFFFFFL);
        RtpPacket.setSsrc(copy, 0, 0xCAFEBABEL);
        return n;
    }
}
