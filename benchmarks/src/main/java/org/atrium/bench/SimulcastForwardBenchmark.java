package org.atrium.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.atrium.bench.load.Vp8L1T3;
import org.atrium.rtp.ExtensionBlockWriter;
import org.atrium.rtp.HeaderExtensions;
import org.atrium.rtp.RtpPacket;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.PacketSink;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.media.ReceiveStream;
import org.atrium.sfu.media.Router;
import org.atrium.sfu.media.RtpHeaderExtension;
import org.atrium.sfu.stats.SfuMetrics;
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
 * One decrypted video packet through the real {@link Producer#forward}: the encoding's
 * bookkeeping (statistics, packet cache, NACK tracking, temporal-layer bitrate), then each
 * {@link Consumer}'s layer decision and, when it forwards, its copy and rewrite (extensions,
 * sequence number, timestamp, SSRC, VP8 picture id and TL0PICIDX) handed to a sink that
 * only counts. Encryption and sending are not included (see {@link SrtpBenchmark}).
 *
 * <p>{@code layout=simulcast}: a VP8 L1T3 publisher sending three encodings (RIDs q, h, f at
 * 150, 500 and 1700 kbit/s, 30 frames/s, packets of at most 1150 B of payload, a keyframe of
 * four times an average frame on each encoding every 2 s) to three receivers: one on f with
 * every temporal layer, one on h with TL0 only, one on q. Packets come in the order a
 * publisher sends them (per frame time: q, then h, then f), 10 a frame time and 37 at a
 * keyframe; each op forwards the next one. About 0.8 packets reach a sink per op: each packet
 * is forwarded by the one receiver on its encoding (less h's TL1/TL2 frames) and ignored by
 * the two others.
 *
 * <p>{@code layout=single}: the same f stream as a track without simulcast, to one receiver
 * that gets all of it (exactly one send per op): the path before simulcast, in the real classes.
 *
 * <p>{@code layout=noReceivers}: the simulcast mix with no consumer, the publisher's side alone,
 * so that the consumers' share of {@code simulcast} is the difference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class SimulcastForwardBenchmark {

    static final int FRAME_RATE = 30;
    static final int FRAMES_PER_KEYFRAME = 2 * FRAME_RATE;
    static final int MAX_PAYLOAD = 1150;
    static final int KEYFRAME_FACTOR = 4;
    static final int PAYLOAD_TYPE = 96;
    static final int[] KBPS = {150, 500, 1700};
    static final String[] RIDS = {"q", "h", "f"};

    @Param({"simulcast", "single", "noReceivers"})
    public String layout;

    private ScheduledExecutorService timers;
    private Producer producer;
    private Encoding[] encodings;
    private final CountingSink sink = new CountingSink();
    /** One frame cycle between keyframes, packet by packet. */
    private int[] opEncoding;
    private int[] opLength;
    private boolean[] opFirst;
    private boolean[] opLast;
    private boolean[] opKeyframe;
    private int next;
    private long ops;

    @Setup(Level.Trial)
    public void setUp() {
        timers = Executors.newSingleThreadScheduledExecutor();
        MediaCapabilities capabilities = MediaCapabilities.defaults();
        SfuMetrics metrics = new SfuMetrics(new SimpleMeterRegistry());
        Router router = new Router(capabilities, metrics);
        PacketSink upstream = new CountingSink();
        boolean simulcast = !layout.equals("single");
        SplittableRandom random = new SplittableRandom(7);
        if (simulcast) {
            producer = new Producer("pub-1", "pub", "1", MediaKind.VIDEO, Producer.UNKNOWN_SSRC,
                    Producer.UNKNOWN_SSRC, List.of(RIDS), upstream, 1, 300_000_000L, timers, metrics, capabilities,
                    512, 1_000_000_000L);
            encodings = new Encoding[RIDS.length];
            for (int i = 0; i < RIDS.length; i++) {
                ReceiveStream stream = producer.stream(i);
                long ssrc = 0x10000000L + i;
                producer.bindStream(stream, ssrc);
                encodings[i] = new Encoding(stream, ssrc, RIDS[i], KBPS[i], capabilities, random);
            }
            if (layout.equals("simulcast")) {
                connect(router, "top", 2, 3);
                connect(router, "middle-tl0", 1, 0);
                connect(router, "low", 0, 3);
            }
        } else {
            long ssrc = 0x20000000L;
            producer = new Producer("pub-1", "pub", "1", MediaKind.VIDEO, ssrc, Producer.UNKNOWN_SSRC, upstream, 1,
                    300_000_000L, timers, metrics, capabilities, 512, 1_000_000_000L);
            encodings = new Encoding[] {new Encoding(producer.stream(0), ssrc, null, KBPS[2], capabilities, random)};
            connect(router, "all", 0, 3);
        }
        buildSchedule();
    }

    private void connect(Router router, String receiver, int spatial, int temporal) {
        Consumer consumer = router.connect(producer, receiver, 0x30000000L + producer.consumers().length,
                0x40000000L + producer.consumers().length, sink);
        consumer.setLayers(spatial, temporal);
        consumer.resume();
    }

    private void buildSchedule() {
        List<int[]> ops = new ArrayList<>();
        for (int frame = 0; frame < FRAMES_PER_KEYFRAME; frame++) {
            boolean keyframe = frame == 0;
            for (int e = 0; e < encodings.length; e++) {
                int bytes = encodings[e].frameBytes * (keyframe ? KEYFRAME_FACTOR : 1);
                int packets = Math.max(1, (bytes + MAX_PAYLOAD - 1) / MAX_PAYLOAD);
                for (int p = 0; p < packets; p++) {
                    ops.add(new int[] {e, bytes / packets, p == 0 ? 1 : 0, p == packets - 1 ? 1 : 0,
                        keyframe ? 1 : 0});
                }
            }
        }
        int n = ops.size();
        opEncoding = new int[n];
        opLength = new int[n];
        opFirst = new boolean[n];
        opLast = new boolean[n];
        opKeyframe = new boolean[n];
        for (int i = 0; i < n; i++) {
            int[] op = ops.get(i);
            opEncoding[i] = op[0];
            opLength[i] = op[1];
            opFirst[i] = op[2] == 1;
            opLast[i] = op[3] == 1;
            opKeyframe[i] = op[4] == 1;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        timers.shutdownNow();
        if (sink.packets == 0 && !layout.equals("noReceivers")) {
            throw new IllegalStateException("nothing was forwarded");
        }
        System.out.printf(java.util.Locale.ROOT, "%n%s: %.3f packets forwarded per op (%d ops)%n", layout,
                (double) sink.packets / ops, ops);
    }

    /** Writes the next packet of the cycle into its encoding's buffer and forwards it. */
    @Benchmark
    public long forward() {
        int op = next;
        next = op + 1 == opEncoding.length ? 0 : op + 1;
        ops++;
        Encoding encoding = encodings[opEncoding[op]];
        int length = encoding.nextPacket(opFirst[op], opLast[op], opKeyframe[op], opLength[op]);
        producer.forward(encoding.stream, encoding.buf, 0, length, System.nanoTime());
        return sink.packets;
    }

    /**
     * One encoding's packets, written in one buffer as a publisher's packetizer would: fixed
     * header, transport-cc, MID and (with simulcast) RID extensions, VP8 descriptor, payload.
     */
    private static final class Encoding {
        final ReceiveStream stream;
        final byte[] buf = new byte[BenchPackets.BUFFER_LENGTH];
        final int frameBytes;
        private final int payloadOffset;
        private final int transportCcOffset;
        private int sequence = 4000;
        private long timestamp = 123_456;
        private int pictureId = 1000;
        private int tl0PicIdx = 10;
        private int transportSequence;
        private long patternIndex = -1;
        private int temporalLayer;
        private boolean layerSync;

        Encoding(ReceiveStream stream, long ssrc, String rid, int kbps, MediaCapabilities capabilities,
                SplittableRandom random) {
            this.stream = stream;
            this.frameBytes = kbps * 1000 / 8 / FRAME_RATE;
            int header = RtpPacket.writeHeader(buf, 0, false, PAYLOAD_TYPE, sequence, timestamp, ssrc);
            RtpPacket.setExtension(buf, 0, true);
            ExtensionBlockWriter writer = new ExtensionBlockWriter();
            writer.start(buf, header, false);
            writer.add(capabilities.extensionId(RtpHeaderExtension.TRANSPORT_CC), new byte[2], 0, 2);
            writer.add(capabilities.extensionId(RtpHeaderExtension.MID), new byte[] {'1'}, 0, 1);
            if (rid != null) {
                byte[] ridBytes = rid.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                writer.add(capabilities.extensionId(RtpHeaderExtension.RID), ridBytes, 0, ridBytes.length);
            }
            payloadOffset = header + writer.finish();
            long found = HeaderExtensions.find(buf, 0, payloadOffset + 1,
                    capabilities.extensionId(RtpHeaderExtension.TRANSPORT_CC));
            transportCcOffset = HeaderExtensions.dataOffset(found);
            byte[] payload = new byte[buf.length - payloadOffset];
            random.nextBytes(payload);
            System.arraycopy(payload, 0, buf, payloadOffset, payload.length);
        }

        /** Writes the header and descriptor of the next packet; returns its length. */
        int nextPacket(boolean first, boolean last, boolean keyframe, int payloadLength) {
            if (first) {
                patternIndex = keyframe ? 0 : patternIndex + 1;
                temporalLayer = Vp8L1T3.temporalLayer(patternIndex);
                layerSync = keyframe || Vp8L1T3.layerSync(patternIndex);
                pictureId = (pictureId + 1) & 0x7FFF;
                timestamp = (timestamp + 90_000 / FRAME_RATE) & 0xFFFFFFFFL;
                if (temporalLayer == 0) {
                    tl0PicIdx = (tl0PicIdx + 1) & 0xFF;
                }
            }
            RtpPacket.setMarker(buf, 0, last);
            RtpPacket.setSequenceNumber(buf, 0, sequence);
            sequence = (sequence + 1) & 0xFFFF;
            RtpPacket.setTimestamp(buf, 0, timestamp);
            buf[transportCcOffset] = (byte) (transportSequence >>> 8);
            buf[transportCcOffset + 1] = (byte) transportSequence;
            transportSequence++;
            Vp8L1T3.write(buf, payloadOffset, first, keyframe, pictureId, tl0PicIdx, temporalLayer, layerSync);
            return payloadOffset + payloadLength;
        }
    }

    /** A receiver's (or the publisher's) transport that only counts what it is given. */
    private static final class CountingSink implements PacketSink {
        long packets;
        long bytes;

        @Override
        public boolean sendRtp(byte[] buf, int off, int len) {
            packets++;
            bytes += len + buf[off + len - 1];
            return true;
        }

        @Override
        public boolean sendRtcp(byte[] buf, int off, int len) {
            return true;
        }
    }
}
