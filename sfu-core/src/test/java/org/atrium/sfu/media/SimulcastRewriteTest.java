package org.atrium.sfu.media;

import static org.atrium.sfu.peer.Vp8Payloads.pictureId;
import static org.atrium.sfu.peer.Vp8Payloads.temporalLayer;
import static org.atrium.sfu.peer.Vp8Payloads.tl0PicIdx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.atrium.rtp.RtpPacket;
import org.atrium.rtp.Rtx;
import org.atrium.sfu.peer.Vp8Payloads;
import org.atrium.sfu.stats.SfuMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What one receiver sees of a simulcast VP8 track, in memory: the real Producer and Consumer
 * with a sink that keeps what is sent. Each packet of a script is written
 * {@code s<encoding>:<seq>:<picture id>:<TL0PICIDX>:t<tid>[Y][K]} (one packet per frame);
 * {@code >s,t} sets the consumer's target. Whatever the source did, the receiver's sequence
 * numbers, picture ids and TL0PICIDX must run on by one, and its timestamps never go back.
 */
class SimulcastRewriteTest {

    private static final int VP8 = 96;
    private static final long[] SSRCS = {1111, 2222, 3333};
    private static final java.util.concurrent.atomic.AtomicLong CLOCK = new java.util.concurrent.atomic.AtomicLong();

    private ScheduledExecutorService timers;
    private Producer producer;
    private Consumer consumer;
    /** Takes keyframe requests, and whatever else is sent where the test does not look. */
    private final RecordingSink upstream = new RecordingSink();
    private final RecordingSink downstream = new RecordingSink();
    private final List<byte[]> sent = downstream.rtp();

    @BeforeEach
    void simulcastTrackAndOneReceiver() {
        timers = Executors.newSingleThreadScheduledExecutor();
        SfuMetrics metrics = new SfuMetrics(new SimpleMeterRegistry());
        MediaCapabilities capabilities = MediaCapabilities.defaults();
        producer = new Producer("p-1", "p", "1", MediaKind.VIDEO, Producer.UNKNOWN_SSRC, Producer.UNKNOWN_SSRC,
                List.of("q", "h", "f"), upstream, 99, 1_000_000, timers, metrics, capabilities, 64, 1_000_000_000L);
        for (int i = 0; i < 3; i++) {
            producer.bindStream(producer.stream(i), SSRCS[i]);
        }
        consumer = new Router(capabilities, metrics).connect(producer, "r", 5555, 6666, downstream);
        consumer.setRtxEnabled(true);
        consumer.resume();
        // The scripts start from the top encoding, as the allocation sets it for a fast receiver.
        consumer.setLayers(2, Consumer.ALL_TEMPORAL_LAYERS);
    }

    @Test
    void aNewConsumerStartsOnTheLowestEncoding() {
        Consumer fresh = new Router(MediaCapabilities.defaults(), new SfuMetrics(new SimpleMeterRegistry()))
                .connect(producer, "other", 7777, 8888, upstream);
        assertEquals(0, fresh.targetSpatialLayer());
    }

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        # name; script; sent (encoding:tid of each packet the receiver got)
        starts at the target's keyframe;             s2:10:100:5:t0K s1:50:7:2:t0K s2:11:101:5:t2 s2:12:102:5:t1Y; 2:0 2:2 2:1
        temporal layers left out, no gaps;           >2,0 s2:10:100:5:t0K s2:11:101:5:t2 s2:12:102:5:t1Y s2:13:103:5:t2 s2:14:104:6:t0 s2:15:105:6:t2; 2:0 2:0
        temporal up at a layer sync frame;           >2,0 s2:10:100:5:t0K s2:11:101:5:t2 >2,2 s2:12:102:5:t1 s2:13:103:5:t2Y s2:14:104:6:t0 s2:15:105:6:t2; 2:0 2:2 2:0 2:2
        spatial down at the lower keyframe;          s2:10:100:5:t0K s2:11:101:5:t2 >0,2 s0:70:900:40:t0 s2:12:102:5:t1Y s0:71:901:41:t0K s0:72:902:41:t2 s2:13:103:5:t2; 2:0 2:2 2:1 0:0 0:2
        spatial up, then back down;                  >0,2 s0:70:900:40:t0K s0:71:901:40:t1Y >2,2 s2:10:100:5:t0K s0:72:902:41:t0 >0,2 s0:73:903:42:t0K s2:11:101:5:t2; 0:0 0:1 2:0 0:0
        everything wraps in the source;              s2:65534:32766:254:t0K s2:65535:32767:254:t2 s2:0:0:254:t1Y s2:1:1:254:t2 s2:2:2:255:t0 s2:3:3:0:t0; 2:0 2:2 2:1 2:2 2:0 2:0
        wrap while layers are left out;              >2,0 s2:65534:32766:254:t0K s2:65535:32767:254:t2 s2:0:0:254:t1Y s2:1:1:254:t2 s2:2:2:255:t0 s2:3:3:0:t0; 2:0 2:0 2:0
        """)
    void theReceiverSeesOneContinuousStream(String name, String script, String expected) {
        List<String> got = new ArrayList<>();
        for (String step : script.trim().split("\\s+")) {
            if (step.startsWith(">")) {
                String[] target = step.substring(1).split(",");
                consumer.setLayers(Integer.parseInt(target[0]), Integer.parseInt(target[1]));
                continue;
            }
            Step packet = Step.parse(step);
            int before = sent.size();
            producer.forward(producer.stream(packet.encoding), packet.bytes(), 0, packet.bytes().length,
                    System.nanoTime());
            if (sent.size() > before) {
                got.add(packet.encoding + ":" + packet.tid);
            }
        }
        assertEquals(expected, String.join(" ", got));
        assertContinuous(sent);
    }

    @Test
    void lossUpstreamStaysAGapTheReceiverCanNackAcrossASwitch() {
        consumer.setLayers(2, 2);
        forward("s2:10:100:5:t0K", "s2:11:101:5:t2", /* 12 lost */ "s2:13:103:5:t2", "s2:14:104:6:t0");
        consumer.setLayers(0, 2);
        forward("s0:70:900:40:t0K", "s0:71:901:40:t2");
        List<Integer> sequences = sent.stream().map(p -> RtpPacket.sequenceNumber(p, 0)).toList();
        int first = sequences.get(0);
        assertEquals(List.of(first, first + 1, first + 3, first + 4, first + 5, first + 6),
                sequences.stream().map(s -> s < first ? s + 65536 : s).toList(), "one gap, where the loss was");

        // The receiver NACKs a packet of the encoding it no longer gets: answered as RTX,
        // with the numbering it had, from that encoding's cache.
        byte[] original = sent.get(1);
        sent.clear();
        assertTrue(consumer.retransmit(RtpPacket.sequenceNumber(original, 0), System.nanoTime()));
        byte[] rtx = sent.get(0);
        assertEquals(6666, RtpPacket.ssrc(rtx, 0));
        assertEquals(RtpPacket.sequenceNumber(original, 0), Rtx.originalSequenceNumber(rtx, 0, rtx.length));
        byte[] restored = rtx.clone();
        int length = Rtx.unwrap(restored, 0, restored.length, 5555, VP8);
        assertEquals(hex(original), hex(java.util.Arrays.copyOf(restored, length)));
    }

    private void forward(String... steps) {
        for (String step : steps) {
            Step packet = Step.parse(step);
            producer.forward(producer.stream(packet.encoding), packet.bytes(), 0, packet.bytes().length,
                    System.nanoTime());
        }
    }

    /** Sequence numbers, picture ids and TL0PICIDX run on by one; timestamps never go back. */
    private static void assertContinuous(List<byte[]> packets) {
        for (int i = 1; i < packets.size(); i++) {
            byte[] previous = packets.get(i - 1);
            byte[] packet = packets.get(i);
            String at = "packet " + i;
            assertEquals((RtpPacket.sequenceNumber(previous, 0) + 1) & 0xFFFF, RtpPacket.sequenceNumber(packet, 0), at);
            assertEquals(5555, RtpPacket.ssrc(packet, 0));
            long step = (RtpPacket.timestamp(packet, 0) - RtpPacket.timestamp(previous, 0)) & 0xFFFFFFFFL;
            assertTrue(step > 0 && step < 0x80000000L, at + ": timestamp moves on");
            assertEquals((pictureId(previous) + 1) & 0x7FFF, pictureId(packet), at + ": picture id");
            int tl0Step = (tl0PicIdx(packet) - tl0PicIdx(previous)) & 0xFF;
            assertEquals(temporalLayer(packet) == 0 ? 1 : 0, tl0Step, at + ": TL0PICIDX moves on with each base-layer frame");
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b & 0xFF));
        }
        return s.toString();
    }

    /** One VP8 packet of the script: a whole frame, with a 15-bit picture id, TL0PICIDX and TID. */
    private record Step(int encoding, int sequence, int pictureId, int tl0, int tid, boolean sync, boolean key) {

        static Step parse(String text) {
            String[] f = text.split(":");
            String t = f[4];
            return new Step(f[0].charAt(1) - '0', Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]), t.charAt(1) - '0', t.contains("Y"), t.contains("K"));
        }

        byte[] bytes() {
            byte[] packet = new byte[12 + Vp8Payloads.FRAME_START_LENGTH + 20];
            // One frame per packet, 30 a second, on a clock that only moves on.
            RtpPacket.writeHeader(packet, 0, true, VP8, sequence, CLOCK.addAndGet(3000), SSRCS[encoding]);
            Vp8Payloads.writeFrameStart(packet, 12, pictureId, tl0, tid, sync, key);
            return packet;
        }
    }
}
