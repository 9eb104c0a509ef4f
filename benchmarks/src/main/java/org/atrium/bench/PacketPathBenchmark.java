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
 * per-receiver copy with the extensions rewritten. The whole forwarding of a packet through the
 * real Producer and Consumers (layer decision, numbering, VP8 rewrite) is
 * {@link SimulcastForwardBenchmark}; RTCP is in {@link RtcpParseBenchmark}, SRTP in
 * {@link SrtpBenchmark}.
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
}
