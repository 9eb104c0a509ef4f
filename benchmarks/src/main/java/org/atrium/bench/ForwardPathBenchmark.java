package org.atrium.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.atrium.rtp.RtpPacket;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.PacketSink;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.media.Router;
import org.atrium.sfu.stats.SfuMetrics;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's whole per-packet path short of the socket, in the real classes: a publisher's
 * SRTP video packet (1150 B of payload) is unprotected by the server's session for that
 * publisher, forwarded by {@link Producer#forward} (statistics, packet cache, NACK tracking)
 * to {@code receivers} {@link Consumer}s, each of which copies and rewrites it and hands it to
 * a sink that protects it with that receiver's own SRTP session, as the transport does before
 * the send. The publisher's protect of the next packet is inside the op too (a replay window
 * refuses a packet twice), so the server's share is this less {@code publisherProtect}.
 *
 * <p>{@code forward}'s B/op is the allocation per forwarded packet of the forwarding path,
 * for each SRTP profile; the target is 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class ForwardPathBenchmark {

    private static final int PAYLOAD = 1150;
    private static final long SSRC = 0x20000000L;

    @Param({"AEAD_AES_128_GCM", "AES128_CM_HMAC_SHA1_80"})
    public String profile;

    @Param({"1", "4"})
    public int receivers;

    private ScheduledExecutorService timers;
    private Producer producer;
    private SrtpSession publisherOut;
    private SrtpSession serverIn;
    private ProtectingSink[] sinks;
    private final byte[] packet = new byte[BenchPackets.BUFFER_LENGTH];
    private int plainLength;
    private int sequence = 1;
    private long timestamp = 90_000;

    @Setup(Level.Trial)
    public void setUp() {
        SrtpProfile srtp = SrtpProfile.valueOf(profile);
        byte[] key = bytes(srtp.keyLength(), 1);
        byte[] salt = bytes(srtp.saltLength(), 2);
        publisherOut = SrtpSession.forSending(srtp, key, salt);
        serverIn = SrtpSession.forReceiving(srtp, key, salt);
        // One plain packet, written once: unprotecting restores it in place, so each op only
        // renumbers it. Its VP8 descriptor starts a keyframe, which every receiver forwards.
        plainLength = BenchPackets.video(packet, PAYLOAD, 7);
        RtpPacket.setSsrc(packet, 0, SSRC);
        packet[plainLength - PAYLOAD] = 0x10;
        packet[plainLength - PAYLOAD + 1] = 0x00;
        timers = Executors.newSingleThreadScheduledExecutor();
        MediaCapabilities capabilities = MediaCapabilities.defaults();
        SfuMetrics metrics = new SfuMetrics(new SimpleMeterRegistry());
        Router router = new Router(capabilities, metrics);
        producer = new Producer("pub-1", "pub", "1", MediaKind.VIDEO, SSRC, Producer.UNKNOWN_SSRC,
                new ProtectingSink(SrtpSession.forSending(srtp, key, salt)), 1, 300_000_000L, timers, metrics,
                capabilities, 512, 1_000_000_000L);
        sinks = new ProtectingSink[receivers];
        for (int r = 0; r < receivers; r++) {
            sinks[r] = new ProtectingSink(SrtpSession.forSending(srtp, bytes(srtp.keyLength(), 10 + r),
                    bytes(srtp.saltLength(), 20 + r)));
            Consumer consumer = router.connect(producer, "receiver-" + r, 0x30000000L + r, 0x40000000L + r, sinks[r]);
            consumer.resume();
        }
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        timers.shutdownNow();
        for (ProtectingSink sink : sinks) {
            if (sink.packets == 0 || sink.failures != 0) {
                throw new IllegalStateException("receiver sink: " + sink.packets + " sent, " + sink.failures + " failed");
            }
        }
    }

    /** The next VP8 packet of the publisher (a keyframe's continuation: every receiver forwards it). */
    private int nextPublisherPacket() {
        RtpPacket.setSequenceNumber(packet, 0, sequence & 0xFFFF);
        RtpPacket.setTimestamp(packet, 0, timestamp);
        sequence++;
        if (sequence % 10 == 0) {
            timestamp += 3000;
        }
        return publisherOut.protectRtp(packet, 0, plainLength);
    }

    /** The publisher's protect alone: subtract it from {@link #forward}. */
    @Benchmark
    public int publisherProtect() {
        return nextPublisherPacket();
    }

    /** Unprotect, forward, and per receiver copy, rewrite and protect. */
    @Benchmark
    public long forward() {
        int length = nextPublisherPacket();
        int plain = serverIn.unprotectRtp(packet, 0, length);
        if (plain < 0) {
            throw new IllegalStateException("unprotect failed: " + plain);
        }
        producer.forward(producer.stream(0), packet, 0, plain, System.nanoTime());
        return sinks[0].packets;
    }

    /** A receiver's transport short of the socket: protects in place and counts. */
    private static final class ProtectingSink implements PacketSink {
        private final SrtpSession session;
        long packets;
        long failures;

        ProtectingSink(SrtpSession session) {
            this.session = session;
        }

        @Override
        public boolean sendRtp(byte[] buf, int off, int len) {
            if (session.protectRtp(buf, off, len) < 0) {
                failures++;
                return false;
            }
            packets++;
            return true;
        }

        @Override
        public boolean sendRtcp(byte[] buf, int off, int len) {
            return true;
        }
    }
}
