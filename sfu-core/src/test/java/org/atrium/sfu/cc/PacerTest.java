package org.atrium.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pacer, ticked by hand with explicit times (its own timer is set never to fire). */
class PacerTest {

    private static final long HOUR_MILLIS = 3_600_000;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<Integer> sent = new ArrayList<>();
    private final Pacer pacer = new Pacer((buf, off, len, cluster) -> sent.add((int) buf[off]), timers, 1500,
            HOUR_MILLIS);

    @AfterEach
    void stop() {
        pacer.close();
        timers.shutdownNow();
    }

    private static byte[] packet(int mark, int length) {
        byte[] packet = new byte[length];
        packet[0] = (byte) mark;
        return packet;
    }

    @ParameterizedTest(name = "{0} bit/s estimate, {1} ms in 5 ms ticks: {2} of 20 packets of 1000 B")
    @CsvSource({
        // 2.5 x the estimate; a packet leaves while any budget remains, and the debt it
        // leaves is paid by the next ticks. All are offered at once, with no budget yet.
        "100000, 100, 4",
        "300000, 100, 10",
        "300000, 10, 1",
        "1000000, 100, 20"})
    void sendsAtTwoAndAHalfTimesTheEstimate(long estimate, long millis, int expected) {
        pacer.setEstimate(estimate);
        for (int i = 0; i < 20; i++) {
            assertEquals(Pacer.QUEUED, pacer.offer(packet(i, 1000), 0, 1000, -1, pacer.startedNanos));
        }
        for (long at = 5; at <= millis; at += 5) {
            pacer.tick(pacer.startedNanos + at * 1_000_000);
        }
        assertEquals(expected, sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(i, sent.get(i), "in order");
        }
    }

    @Test
    void aFullQueueDropsAndNothingIsQueuedWhenNotPacing() {
        assertFalse(pacer.isActive());
        assertEquals(Pacer.SEND_NOW, pacer.offer(packet(1, 100), 0, 100, -1));
        pacer.setEstimate(300_000);
        assertTrue(pacer.isActive());
        for (int i = 0; i < Pacer.CAPACITY; i++) {
            assertEquals(Pacer.QUEUED, pacer.offer(packet(i, 100), 0, 100, -1, pacer.startedNanos));
        }
        assertEquals(Pacer.DROPPED, pacer.offer(packet(1, 100), 0, 100, -1, pacer.startedNanos));
        assertEquals(Pacer.DROPPED, pacer.offer(new byte[1501], 0, 1501, -1), "larger than a slot");
    }

    @Test
    void aFastLinkIsNotPacedOnceItsQueueIsEmpty() {
        pacer.setEstimate(300_000);
        assertEquals(Pacer.QUEUED, pacer.offer(packet(7, 500), 0, 500, -1, pacer.startedNanos));
        pacer.setEstimate(Pacer.PACE_BELOW_BPS * 2);
        assertTrue(pacer.isActive(), "a packet is still queued");
        pacer.tick(pacer.startedNanos + 50_000_000);
        assertEquals(List.of(7), sent);
        assertFalse(pacer.isActive());
        assertEquals(Pacer.SEND_NOW, pacer.offer(packet(8, 500), 0, 500, -1));
    }

    @Test
    void theQueueHoldsAtMostASecondOfSendingAtTheCurrentRate() {
        // 50 kbit/s: paced at 125 kbit/s, so a second is 15,625 bytes.
        pacer.setEstimate(50_000);
        for (int i = 0; i < 15; i++) {
            assertEquals(Pacer.QUEUED, pacer.offer(packet(i, 1000), 0, 1000, -1, pacer.startedNanos));
        }
        assertEquals(Pacer.DROPPED, pacer.offer(packet(15, 1000), 0, 1000, -1, pacer.startedNanos));
        assertEquals(Pacer.QUEUED, pacer.offer(packet(16, 600), 0, 600, -1, pacer.startedNanos), "a smaller one still fits");
    }

    @Test
    void aFallingEstimateDropsTheOldestOfWhatNoLongerFits() {
        pacer.setEstimate(1_000_000);
        for (int i = 0; i < 100; i++) {
            assertEquals(Pacer.QUEUED, pacer.offer(packet(i, 1000), 0, 1000, -1, pacer.startedNanos));
        }
        assertEquals(85, pacer.setEstimate(50_000), "100 kB queued, a second at 125 kbit/s is 15.6 kB");
        assertEquals(15, pacer.queued());
        pacer.tick(pacer.startedNanos + 100_000_000);
        assertEquals(85, sent.get(0), "the newest are kept, in order");
    }

    @Test
    void whileNothingWaitsAPacketTheBudgetHasRoomForLeavesAtOnceAndTheRestQueueInOrder() {
        pacer.setEstimate(1_000_000);
        long t = pacer.startedNanos + 5_000_000; // 5 ms at 2.5 Mbit/s: 1,562 bytes of budget
        assertEquals(Pacer.SEND_NOW, pacer.offer(packet(0, 1000), 0, 1000, -1, t), "sent by the caller");
        assertEquals(Pacer.SEND_NOW, pacer.offer(packet(1, 1000), 0, 1000, -1, t), "562 bytes left: any room will do");
        assertEquals(Pacer.QUEUED, pacer.offer(packet(2, 1000), 0, 1000, -1, t), "the budget is spent");
        assertTrue(pacer.tickPending(), "a tick is due for what waits");
        // The budget has room again, but a packet waits: the new one queues behind it.
        assertEquals(Pacer.QUEUED, pacer.offer(packet(3, 1000), 0, 1000, -1, t + 10_000_000));
        pacer.tick(t + 10_000_000);
        assertEquals(List.of(2, 3), sent, "the queue's, in order; the first two were the caller's to send");
        assertFalse(pacer.tickPending(), "nothing waits: no tick");
        assertTrue(pacer.isActive(), "still pacing");
    }

    @Test
    void anIdleSpellAllowsNoMoreThanTheBudgetsCap() {
        pacer.setEstimate(1_000_000);
        long hourLater = pacer.startedNanos + HOUR_MILLIS * 1_000_000;
        int sentAtOnce = 0;
        while (pacer.offer(packet(sentAtOnce, 1000), 0, 1000, -1, hourLater) == Pacer.SEND_NOW) {
            sentAtOnce++;
        }
        assertEquals(Pacer.MAX_BUDGET_BYTES / 1000, sentAtOnce, "3,000 bytes of budget, then the queue");
    }

    @Test
    void onARealTimerEveryQueuedPacketLeavesInOrderAndTheTicksStopWhenTheQueueIsEmpty() throws Exception {
        List<Integer> received = java.util.Collections.synchronizedList(new ArrayList<>());
        Pacer ticking = new Pacer((buf, off, len, cluster) -> received.add((int) buf[off]), timers, 1500);
        try {
            ticking.setEstimate(400_000); // 1 Mbit/s: 20 packets of 1000 B in about 160 ms
            List<Integer> sentByCaller = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int result = ticking.offer(packet(i, 1000), 0, 1000, -1);
                if (result == Pacer.SEND_NOW) {
                    sentByCaller.add(i);
                } else {
                    assertEquals(Pacer.QUEUED, result);
                }
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (ticking.queued() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, ticking.queued());
            List<Integer> all = new ArrayList<>(sentByCaller);
            all.addAll(received);
            for (int i = 0; i < 20; i++) {
                assertEquals(i, all.get(i), "in order");
            }
            Thread.sleep(3 * Pacer.TICK_MILLIS);
            assertFalse(ticking.tickPending(), "no tick while nothing waits");
        } finally {
            ticking.close();
        }
    }

    @Test
    void aPacketQueuedAfterTheTimerHasStoppedIsNotThrownIntoTheMediaPath() {
        pacer.setEstimate(300_000);
        timers.shutdownNow();
        assertEquals(Pacer.QUEUED, pacer.offer(packet(1, 1000), 0, 1000, -1, pacer.startedNanos));
        assertFalse(pacer.tickPending());
    }
}
