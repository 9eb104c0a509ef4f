package org.atrium.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.atrium.rtp.RtcpCompound;
import org.atrium.rtp.RtcpFeedback;
import org.atrium.rtp.TransportCcFeedback;
import org.junit.jupiter.api.Test;

class TransportCcFeedbackGeneratorTest {
    private static final long SENDER = 1;
    private static final long MEDIA = 0xCAFEBABEL;
    private static final long T0 = 10_000_000;

    /** One status: sequence number, and arrival time or null when not received. */
    record Status(int sequence, Long arrivalMicros) {
    }

    private final byte[] buf = new byte[1500];

    private List<Status> build(TransportCcFeedbackGenerator g, long now, List<Integer> bases, List<Integer> counts) {
        List<Status> statuses = new ArrayList<>();
        int len;
        int guard = 0;
        while ((len = g.buildFeedback(buf, 8, SENDER, MEDIA, now)) > 0) {
            assertNull(RtcpCompound.validate(buf, 8, len));
            assertTrue(TransportCcFeedback.is(buf, 8, len));
            assertEquals(SENDER, RtcpFeedback.senderSsrc(buf, 8));
            assertEquals(MEDIA, RtcpFeedback.mediaSsrc(buf, 8));
            if (bases != null) {
                bases.add(TransportCcFeedback.baseSequence(buf, 8));
            }
            if (counts != null) {
                counts.add(TransportCcFeedback.feedbackPacketCount(buf, 8));
            }
            TransportCcFeedback.Reader r = new TransportCcFeedback.Reader();
            assertTrue(r.reset(buf, 8, len));
            while (r.next()) {
                statuses.add(new Status(r.sequence(), r.received() ? r.arrivalMicros() : null));
            }
            assertTrue(++guard < 1000);
        }
        assertEquals(0, len);
        return statuses;
    }

    private static void assertArrival(long want, Status got) {
        assertTrue(got.arrivalMicros() != null, "received " + got.sequence());
        assertTrue(Math.abs(want - got.arrivalMicros()) <= 125, "arrival of " + got.sequence() + ": want " + want
            + " got " + got.arrivalMicros());
    }

    @Test
    void reportsLossReorderAndDuplicate() {
        TransportCcFeedbackGenerator g = new TransportCcFeedbackGenerator();
        // 3 lost; 6 before 5; 7 twice (the first arrival counts).
        int[] seqs = {0, 1, 2, 4, 6, 5, 7, 7, 8, 9};
        long[] times = {0, 1_100, 2_300, 4_050, 5_900, 6_000, 7_000, 7_500, 8_125, 20_000};
        boolean[] recorded = {true, true, true, true, true, true, true, false, true, true};
        for (int i = 0; i < seqs.length; i++) {
            assertEquals(recorded[i], g.onPacket(seqs[i], T0 + times[i]), "packet " + i);
        }
        assertEquals(1, g.duplicatePackets());
        List<Integer> bases = new ArrayList<>();
        List<Status> st = build(g, T0 + 30_000, bases, null);
        assertEquals(List.of(0), bases);
        assertEquals(10, st.size());
        long[] arrivalBySeq = {0, 1_100, 2_300, -1, 4_050, 6_000, 5_900, 7_000, 8_125, 20_000};
        for (int s = 0; s < 10; s++) {
            assertEquals(s, st.get(s).sequence());
            if (s == 3) {
                assertNull(st.get(s).arrivalMicros());
            } else {
                assertArrival(T0 + arrivalBySeq[s], st.get(s));
            }
        }
        assertEquals(0, g.buildFeedback(buf, 0, SENDER, MEDIA, T0 + 40_000), "nothing new");
    }

    @Test
    void unwrapsAcross65535() {
        TransportCcFeedbackGenerator g = new TransportCcFeedbackGenerator();
        for (int i = 0; i < 12; i++) {
            g.onPacket((65_530 + i) & 0xFFFF, T0 + i * 1_000L);
        }
        List<Integer> bases = new ArrayList<>();
        List<Status> st = build(g, T0 + 20_000, bases, null);
        assertEquals(List.of(65_530), bases);
        assertEquals(12, st.size());
        for (int i = 0; i < 12; i++) {
            assertEquals((65_530 + i) & 0xFFFF, st.get(i).sequence());
            assertArrival(T0 + i * 1_000L, st.get(i));
        }
        // A packet from before the wrap that was never reported lost is too late once reported past.
        assertFalse(g.onPacket(65_529, T0 + 30_000));
        assertEquals(1, g.latePackets());
    }

    @Test
    void aLostPacketThatArrivesLaterIsReportedAgainButNotBeforeTheLastBase() {
        TransportCcFeedbackGenerator g = new TransportCcFeedbackGenerator();
        for (int s = 0; s <= 10; s++) {
            if (s != 3 && s != 1) {
                g.onPacket(s, T0 + s * 1_000L);
            }
        }
        List<Status> first = build(g, T0 + 20_000, null, null);
        assertEquals(11, first.size());
        assertNull(first.get(3).arrivalMicros());
        // 3 arrives late: the next feedback starts at 3 again and reports it received.
        assertTrue(g.onPacket(3, T0 + 25_000));
        assertTrue(g.onPacket(11, T0 + 26_000));
        List<Integer> bases = new ArrayList<>();
        List<Status> second = build(g, T0 + 120_000, bases, null);
        assertEquals(List.of(3), bases);
        assertEquals(9, second.size());
        assertArrival(T0 + 25_000, second.get(0));
        assertArrival(T0 + 26_000, second.get(8));
        // 1 is older than that feedback's base: ignored.
        assertFalse(g.onPacket(1, T0 + 27_000));
        assertEquals(1, g.latePackets());
        assertEquals(0, g.buildFeedback(buf, 0, SENDER, MEDIA, T0 + 220_000));
    }

    @Test
    void feedbackPacketCountIncrementsModulo256() {
        TransportCcFeedbackGenerator g = new TransportCcFeedbackGenerator();
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            g.onPacket(i, T0 + i * 100_000L);
            build(g, T0 + i * 100_000L + 1, null, counts);
        }
        assertEquals(600, counts.size());
        for (int i = 0; i < 600; i++) {
            assertEquals(i & 0xFF, counts.get(i));
        }
    }

    @Test
    void splitsIntoSeveralPacketsWhenOneIsFull() {
        TransportCcFeedbackGenerator g = new TransportCcFeedbackGenerator(100_000, 200);
        long t = T0;
        List<Long> sent = new ArrayList<>();
        for (int s = 0; s < 3000; s++) {
            t += 300 + (s % 7) * 700L;
            if (s % 11 != 5) {
                g.onPacket(s, t);
                sent.add(t);
            } else {
                sent.add(null);
            }
        }
        List<Integer> bases = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        List<Status> st = build(g, t, bases, counts);
        assertTrue(bases.size() > 10, "packets: " + bases.size());
        for (int i = 0; i < counts.size(); i++) {
            assertEquals(i, counts.get(i));
        }
        // Consecutive packets cover consecutive ranges; every number is reported once.
        assertEquals(3000, st.size());
        for (int s = 0; s < 3000; s++) {
            assertEquals(s, st.get(s).sequence());
            if (sent.get(s) == null) {
                assertNull(st.get(s).arrivalMicros());
            } else {
                assertArrival(sent.get(s), st.get(s));
            }
        }
    }

    @Test
    void aGapBeyond16BitDeltasStartsTheNextPacketThere() {
        TransportCcFeedbackGenerator g = new TransportCcFeedbackGenerator();
        g.onPacket(100, T0);
        g.onPacket(102, T0 + 9_000_000);
        List<Integer> bases = new ArrayList<>();
        List<Status> st = build(g, T0 + 9_000_001, bases, null);
        assertEquals(List.of(100, 101), bases);
        assertEquals(3, st.size());
        assertArrival(T0, st.get(0));
        assertNull(st.get(1).arrivalMicros());
        assertArrival(T0 + 9_000_000, st.get(2));
    }

    @Test
    void memoryIsBoundedToTheLastHistoryNumbers() {
        TransportCcFeedbackGenerator g = new TransportCcFeedbackGenerator(100_000, 1200);
        int total = 3 * TransportCcFeedbackGenerator.HISTORY + 17;
        for (int s = 0; s < total; s++) {
            g.onPacket(s & 0xFFFF, T0 + s * 10L);
        }
        List<Integer> bases = new ArrayList<>();
        List<Status> st = build(g, T0 + total * 10L, bases, null);
        assertEquals(TransportCcFeedbackGenerator.HISTORY, st.size());
        assertEquals((total - TransportCcFeedbackGenerator.HISTORY) & 0xFFFF, bases.get(0));
        assertEquals((total - 1) & 0xFFFF, st.get(st.size() - 1).sequence());
        // Older than the window: ignored.
        assertFalse(g.onPacket((total - TransportCcFeedbackGenerator.HISTORY - 1) & 0xFFFF, T0));
    }

    @Test
    void aHugeJumpRestarts() {
        TransportCcFeedbackGenerator g = new TransportCcFeedbackGenerator();
        for (int s = 0; s < 10; s++) {
            g.onPacket(s, T0 + s * 1_000L);
        }
        assertTrue(g.onPacket(30_000, T0 + 20_000));
        assertEquals(1, g.restarts());
        List<Integer> bases = new ArrayList<>();
        List<Status> st = build(g, T0 + 30_000, bases, null);
        assertEquals(List.of(30_000), bases);
        assertEquals(1, st.size());

        // A restart to a lower number: the first packets look late, then the history restarts.
        for (int s = 0; s < TransportCcFeedbackGenerator.RESTART_AFTER_LATE; s++) {
            g.onPacket(25_000 + s, T0 + 40_000 + s * 1_000L);
        }
        assertEquals(2, g.restarts());
        assertTrue(g.onPacket(25_000 + TransportCcFeedbackGenerator.RESTART_AFTER_LATE, T0 + 80_000));
        bases.clear();
        st = build(g, T0 + 200_000, bases, null);
        assertEquals(List.of(25_000 + TransportCcFeedbackGenerator.RESTART_AFTER_LATE - 1), bases);
        assertEquals(2, st.size());
    }

    @Test
    void isDueOnTheIntervalOrWhenManyArePending() {
        TransportCcFeedbackGenerator g = new TransportCcFeedbackGenerator();
        assertFalse(g.isDue(T0), "nothing received");
        g.onPacket(0, T0);
        assertTrue(g.isDue(T0), "first feedback at once");
        assertTrue(g.buildFeedback(buf, 0, SENDER, MEDIA, T0) > 0);
        assertFalse(g.isDue(T0 + 200_000), "nothing pending");
        g.onPacket(1, T0 + 10_000);
        assertFalse(g.isDue(T0 + 99_999));
        assertTrue(g.isDue(T0 + 100_000));
        build(g, T0 + 100_000, null, null);
        for (int s = 2; s < 2 + TransportCcFeedbackGenerator.URGENT_SPAN - 1; s++) {
            g.onPacket(s, T0 + 100_000 + s);
        }
        assertFalse(g.isDue(T0 + 100_001));
        g.onPacket(2 + TransportCcFeedbackGenerator.URGENT_SPAN - 1, T0 + 100_600);
        assertTrue(g.isDue(T0 + 100_001));
    }

    @Test
    void aBufferTooSmallIsReported() {
        TransportCcFeedbackGenerator g = new TransportCcFeedbackGenerator();
        g.onPacket(5, T0);
        assertEquals(-1, g.buildFeedback(new byte[23], 0, SENDER, MEDIA, T0));
        assertEquals(-1, g.buildFeedback(new byte[40], 20, SENDER, MEDIA, T0));
        assertEquals(24, g.buildFeedback(new byte[24], 0, SENDER, MEDIA, T0));
    }

    @Test
    void concurrentReceiveAndTimerThreadsSeeConsistentState() throws InterruptedException {
        TransportCcFeedbackGenerator g = new TransportCcFeedbackGenerator();
        int total = 200_000;
        Thread receiver = new Thread(() -> {
            for (int s = 0; s < total; s++) {
                g.onPacket(s & 0xFFFF, T0 + s * 1_000L);
            }
        });
        byte[] b = new byte[1500];
        TransportCcFeedback.Reader r = new TransportCcFeedback.Reader();
        receiver.start();
        int lastReported = -1;
        int reports = 0;
        boolean running = true;
        while (running) {
            running = receiver.isAlive();
            int len;
            while ((len = g.buildFeedback(b, 0, SENDER, MEDIA, 0)) > 0) {
                assertTrue(r.reset(b, 0, len));
                while (r.next()) {
                    if (r.received()) {
                        // Packet s arrived at T0 + s ms: every reported arrival must name its own number.
                        long k = Math.round((r.arrivalMicros() - T0) / 1_000.0);
                        assertEquals(k & 0xFFFF, r.sequence());
                        assertTrue(Math.abs(r.arrivalMicros() - T0 - k * 1_000) <= 125);
                        lastReported = r.sequence();
                        reports++;
                    }
                }
            }
        }
        receiver.join();
        assertEquals((total - 1) & 0xFFFF, lastReported);
        // How many the timer saw depends on scheduling; the ring keeps at least the last HISTORY.
        assertTrue(reports >= TransportCcFeedbackGenerator.HISTORY, "reports " + reports);
    }
}
