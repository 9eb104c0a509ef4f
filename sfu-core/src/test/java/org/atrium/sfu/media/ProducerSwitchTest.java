package org.atrium.sfu.media;

import static org.atrium.sfu.peer.Vp8Payloads.pictureId;
import static org.atrium.sfu.peer.Vp8Payloads.tl0PicIdx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.atrium.rtp.Pli;
import org.atrium.rtp.RtpPacket;
import org.atrium.rtp.Rtx;
import org.atrium.sfu.peer.Vp8Payloads;
import org.atrium.sfu.stats.SfuMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One receiver's stream carried on from producer A to producer B on one SSRC
 * ({@link Router#connectContinuing}), in memory: the real Producers and Consumers, on a real
 * forwarding lane or inline, with sinks that keep what is sent. Whatever numbers B uses, the
 * receiver must see one stream: sequence numbers, VP8 picture ids and TL0PICIDX running on by
 * one across the switch, the timestamp advanced by the time that passed, B starting at a
 * keyframe it was asked for at the switch, and no RTCP (no BYE) on the way.
 */
class ProducerSwitchTest {

    private static final int VP8 = 96;
    private static final int OPUS = 111;
    private static final long A_SSRC = 0xA0A0;
    private static final long B_SSRC = 0xB0B0;
    private static final long C_SSRC = 0xC0C0;
    private static final long RECEIVER_SSRC = 5555;
    private static final long RECEIVER_RTX_SSRC = 6666;
    /** Every packet's arrival, on a clock the test moves: well in the past, so that latencies stay positive. */
    private static final long T0 = System.nanoTime() - 3_600_000_000_000L;

    private ScheduledExecutorService timers;
    private SfuMetrics metrics;
    private ForwardingLane lane;
    private final RecordingSink downstream = new RecordingSink();
    private final List<byte[]> sent = downstream.rtp();

    @BeforeEach
    void setUp() {
        timers = Executors.newSingleThreadScheduledExecutor();
        metrics = new SfuMetrics(new SimpleMeterRegistry());
    }

    @AfterEach
    void tearDown() {
        timers.shutdownNow();
        if (lane != null) {
            lane.close();
        }
    }

    /** A publisher's track, with the PLIs the SFU sends its publisher counted. */
    private final class Track {
        final Producer producer;
        private final RecordingSink upstream = new RecordingSink();

        Track(String id, MediaKind kind, long ssrc) {
            // Keyframe requests unthrottled (1 ns): each one the consumer makes is counted.
            producer = new Producer(id, id, "0", kind, ssrc, -1, upstream, 99, 1, timers, metrics,
                    MediaCapabilities.defaults(), 256, 60_000_000_000L);
        }

        int plis() {
            return (int) upstream.rtcp().stream().filter(compound -> Pli.is(compound, 0, compound.length)).count();
        }

        void send(Packet packet) {
            byte[] bytes = packet.bytes(producer.ssrc());
            producer.forward(bytes, 0, bytes.length, T0 + packet.atMillis * 1_000_000L);
        }
    }

    /**
     * One frame of one packet, arriving at {@code atMillis}: VP8 with a picture id and TL0PICIDX
     * (temporal layer 0, so TL0PICIDX moves on with each frame), or Opus when both are -1.
     */
    private record Packet(int sequence, long timestamp, int pictureId, int tl0, boolean key, long atMillis) {

        byte[] bytes(long ssrc) {
            if (pictureId < 0) {
                byte[] packet = new byte[12 + 20];
                RtpPacket.writeHeader(packet, 0, false, OPUS, sequence, timestamp, ssrc);
                return packet;
            }
            byte[] packet = new byte[12 + Vp8Payloads.FRAME_START_LENGTH + 20];
            RtpPacket.writeHeader(packet, 0, true, VP8, sequence, timestamp, ssrc);
            Vp8Payloads.writeFrameStart(packet, 12, pictureId, tl0, 0, false, key);
            return packet;
        }
    }

    /**
     * name; kind; A's first sequence, timestamp, picture id, TL0PICIDX; B's the same; the time
     * from A's last packet to B's keyframe (ms); B's delta frames before its keyframe.
     */
    static Stream<Arguments> switches() {
        List<Arguments> cases = new ArrayList<>();
        Object[][] table = {
            {"VP8, B's numbers far from A's", "video", 1000, 5000L, 100, 10, 60000, 4_000_000_000L, 32000, 250, 500, 2},
            {"VP8, both wrap around the switch", "video", 65533, 0xFFFF_F000L, 32766, 254, 65534, 0xFFFF_FFF0L, 32767, 255,
                40, 3},
            {"VP8, B behind A in every counter", "video", 40000, 3_000_000_000L, 20000, 100, 10, 10L, 5, 0, 1000, 0},
            {"Opus, B far from A", "audio", 100, 48000L, -1, -1, 30000, 1_000_000_000L, -1, -1, 300, 0},
            {"Opus, both wrap", "audio", 65535, 0xFFFF_FF00L, -1, -1, 65534, 0xFFFF_FFFFL, -1, -1, 20, 0},
        };
        for (boolean onLane : new boolean[] {true, false}) {
            for (Object[] row : table) {
                Object[] withLane = java.util.Arrays.copyOf(row, row.length + 1);
                withLane[row.length] = onLane;
                withLane[0] = row[0] + (onLane ? " (lane)" : " (inline)");
                cases.add(Arguments.of(withLane));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("switches")
    void theReceiverSeesOneStreamAcrossTheSwitch(String name, String kindName, int aSequence, long aTimestamp,
            int aPicture, int aTl0, int bSequence, long bTimestamp, int bPicture, int bTl0, int gapMillis,
            int deltasBeforeKey, boolean onLane) throws Exception {
        MediaKind kind = MediaKind.valueOf(kindName.toUpperCase());
        boolean video = kind == MediaKind.VIDEO;
        long frameTicks = video ? 3000 : 960;
        long frameMillis = video ? 33 : 20;
        if (onLane) {
            lane = new ForwardingLane("test-lane", metrics);
        }
        Router router = new Router(MediaCapabilities.defaults(), metrics);
        Track a = new Track("a", kind, A_SSRC);
        Track b = new Track("b", kind, B_SSRC);
        Consumer first = router.connect(a.producer, "r", RECEIVER_SSRC, video ? RECEIVER_RTX_SSRC : -1, downstream,
                lane);
        first.resume();

        long at = 0;
        int aFrames = 5;
        for (int i = 0; i < aFrames; i++) {
            at = i * frameMillis;
            a.send(new Packet(aSequence + i, aTimestamp + i * frameTicks, video ? (aPicture + i) & 0x7FFF : -1,
                    video ? (aTl0 + i) & 0xFF : -1, i == 0, at));
        }
        drain();
        assertEquals(aFrames, sent.size(), "A forwarded");
        long lastA = at;

        int plisBefore = b.plis();
        Consumer second = router.connectContinuing(b.producer, first, downstream, first.targetSpatialLayer());
        second.resume();
        if (video) {
            assertEquals(plisBefore + 1, b.plis(), "B asked for a keyframe at the switch");
        }

        // B's frames: deltas first (left out: the receiver cannot decode them), then its keyframe.
        int frames = deltasBeforeKey + 1 + 3;
        long keyAt = lastA + gapMillis;
        for (int i = 0; i < frames; i++) {
            long arrival = keyAt + (i - deltasBeforeKey) * frameMillis;
            b.send(new Packet(bSequence + i, bTimestamp + i * frameTicks, video ? (bPicture + i) & 0x7FFF : -1,
                    video ? (bTl0 + i) & 0xFF : -1, i == deltasBeforeKey, arrival));
        }
        // A late packet of A after the switch is not the receiver's any more.
        a.send(new Packet(aSequence + aFrames, aTimestamp + aFrames * frameTicks, video ? aPicture + aFrames : -1,
                video ? aTl0 + aFrames : -1, false, keyAt + 1));
        drain();

        assertTrue(first.isClosed());
        assertEquals(aFrames + 4, sent.size(), "A's frames, then B's from its keyframe on");
        for (byte[] packet : sent) {
            assertEquals(RECEIVER_SSRC, RtpPacket.ssrc(packet, 0));
        }
        for (int i = 1; i < sent.size(); i++) {
            byte[] previous = sent.get(i - 1);
            byte[] packet = sent.get(i);
            String where = "packet " + i;
            assertEquals((RtpPacket.sequenceNumber(previous, 0) + 1) & 0xFFFF, RtpPacket.sequenceNumber(packet, 0),
                    where + ": sequence number");
            long step = (RtpPacket.timestamp(packet, 0) - RtpPacket.timestamp(previous, 0)) & 0xFFFFFFFFL;
            long expected = i == aFrames ? gapMillis * (video ? 90 : 48) : frameTicks;
            assertEquals(expected, step, where + ": timestamp step");
            if (video) {
                assertEquals((pictureId(previous) + 1) & 0x7FFF, pictureId(packet), where + ": picture id");
                assertEquals((tl0PicIdx(previous) + 1) & 0xFF, tl0PicIdx(packet), where + ": TL0PICIDX");
            }
        }
        byte[] firstOfB = sent.get(aFrames);
        if (video) {
            int off = RtpPacket.payloadOffset(firstOfB, 0, firstOfB.length);
            assertEquals(0, firstOfB[off + 6] & 0x01, "B starts with a keyframe");
            assertTrue((firstOfB[off] & 0x10) != 0, "at the start of its frame");
        }
        assertEquals(0, downstream.rtcp().size(), "no RTCP, no BYE, to the receiver");
    }

    @Test
    void aContinuationThatNeverStartedPassesOnWhatItInherited() throws Exception {
        lane = new ForwardingLane("test-lane", metrics);
        Router router = new Router(MediaCapabilities.defaults(), metrics);
        Track a = new Track("a", MediaKind.VIDEO, A_SSRC);
        Track b = new Track("b", MediaKind.VIDEO, B_SSRC);
        Track c = new Track("c", MediaKind.VIDEO, C_SSRC);
        Consumer first = router.connect(a.producer, "r", RECEIVER_SSRC, RECEIVER_RTX_SSRC, downstream, lane);
        first.resume();
        a.send(new Packet(10, 1000, 50, 5, true, 0));
        a.send(new Packet(11, 4000, 51, 6, false, 33));
        // Switched while A's packets may still wait in the lane: they are sent before the switch.
        Consumer second = router.connectContinuing(b.producer, first, downstream, 0);
        second.resume();
        // B never sends a keyframe: nothing of it reaches the receiver.
        b.send(new Packet(700, 9000, 900, 90, false, 66));
        Consumer third = router.connectContinuing(c.producer, second, downstream, 0);
        third.resume();
        c.send(new Packet(30000, 77, 3000, 30, true, 133));
        drain();

        assertEquals(3, sent.size());
        assertEquals((RtpPacket.sequenceNumber(sent.get(1), 0) + 1) & 0xFFFF, RtpPacket.sequenceNumber(sent.get(2), 0));
        assertEquals(pictureId(sent.get(1)) + 1, pictureId(sent.get(2)));
        assertEquals(tl0PicIdx(sent.get(1)) + 1, tl0PicIdx(sent.get(2)));
        assertEquals(100 * 90, (RtpPacket.timestamp(sent.get(2), 0) - RtpPacket.timestamp(sent.get(1), 0)) & 0xFFFFFFFFL);
        assertTrue(second.continuation().started(), "never started, it still knows where the stream stands");
    }

    @Test
    void nacksAfterTheSwitchAreAnsweredFromTheNewSourceOnTheSameRtxStream() throws Exception {
        Router router = new Router(MediaCapabilities.defaults(), metrics);
        Track a = new Track("a", MediaKind.VIDEO, A_SSRC);
        Track b = new Track("b", MediaKind.VIDEO, B_SSRC);
        Consumer first = router.connect(a.producer, "r", RECEIVER_SSRC, RECEIVER_RTX_SSRC, downstream, null);
        first.setRtxEnabled(true);
        first.resume();
        a.send(new Packet(10, 1000, 50, 5, true, 0));
        a.send(new Packet(11, 4000, 51, 6, false, 33));
        byte[] lastOfA = sent.get(1);
        assertTrue(first.retransmit(RtpPacket.sequenceNumber(lastOfA, 0), T0 + 50_000_000L));
        int rtxSequenceOfA = RtpPacket.sequenceNumber(sent.get(2), 0);
        sent.clear();

        Consumer second = router.connectContinuing(b.producer, first, downstream, 0);
        second.resume();
        assertTrue(second.isRtxEnabled(), "RTX as the receiver accepted it for the stream");
        b.send(new Packet(400, 123456, 9, 1, true, 100));
        byte[] firstOfB = sent.get(0);
        sent.clear();

        assertTrue(second.retransmit(RtpPacket.sequenceNumber(firstOfB, 0), T0 + 150_000_000L), "from B's cache");
        byte[] rtx = sent.get(0);
        assertEquals(RECEIVER_RTX_SSRC, RtpPacket.ssrc(rtx, 0));
        assertEquals((rtxSequenceOfA + 1) & 0xFFFF, RtpPacket.sequenceNumber(rtx, 0), "the RTX stream runs on");
        assertEquals(RtpPacket.sequenceNumber(firstOfB, 0), Rtx.originalSequenceNumber(rtx, 0, rtx.length));
        // A's numbers are not carried over: a NACK for one of them finds nothing.
        assertFalse(second.retransmit(RtpPacket.sequenceNumber(lastOfA, 0), T0 + 150_000_000L));
    }

    /** Waits until the lane, if any, has sent everything queued before now. */
    private void drain() throws InterruptedException {
        if (lane == null) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        assertTrue(lane.runAfterQueued(done::countDown));
        assertTrue(done.await(5, TimeUnit.SECONDS));
    }
}
