package org.atrium.bench;

import java.util.concurrent.TimeUnit;
import org.atrium.rtp.PacketError;
import org.atrium.rtp.Remb;
import org.atrium.rtp.ReportBlock;
import org.atrium.rtp.RtcpCompound;
import org.atrium.rtp.RtcpIterator;
import org.atrium.rtp.RtcpPacketType;
import org.atrium.rtp.SenderReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The receive path's RTCP steps on a compound as browsers send it: SR with one report block, then REMB. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class RtcpParseBenchmark {
    private final byte[] rtcp = new byte[BenchPackets.BUFFER_LENGTH];
    private final RtcpIterator rtcpIterator = new RtcpIterator();
    private int rtcpLength;

    @Setup(Level.Trial)
    public void setUp() {
        int n = SenderReport.write(rtcp, 0, 0x11223344L, 0xE1234567_89ABCDEFL, 90000, 1000, 1_000_000, 1);
        ReportBlock.write(rtcp, SenderReport.reportBlockOffset(rtcp, 0, 0), 0x55667788L, 3, 10, 70000, 20, 0, 0);
        rtcpLength = n + Remb.write(rtcp, n, 0x11223344L, 2_500_000, new long[] {0x55667788L}, 1);
    }

    @Benchmark
    public PacketError validateRtcp() {
        return RtcpCompound.validate(rtcp, 0, rtcpLength);
    }

    /** The receive path's walk over a compound, reading the fields it acts on. */
    @Benchmark
    public long parseRtcp() {
        long sum = 0;
        RtcpIterator packets = rtcpIterator;
        packets.reset(rtcp, 0, rtcpLength);
        while (packets.next()) {
            int off = packets.offset();
            if (packets.packetType() == RtcpPacketType.SR) {
                sum += SenderReport.ntpTimestamp(rtcp, off) + ReportBlock.highestSequence(rtcp,
                        SenderReport.reportBlockOffset(rtcp, off, 0));
            } else if (Remb.is(rtcp, off, packets.length())) {
                sum += Remb.bitrate(rtcp, off);
            }
        }
        return sum;
    }
}
