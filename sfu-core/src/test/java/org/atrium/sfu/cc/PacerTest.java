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
        // leaves is paid by the next ticks.
        "100000, 100, 4",
        "300000, 100, 10",
        "300000, 10, 1",
        "1000000, 100, 20"})
    void sendsAtTwoAndAHalfTimesTheEstimate(long estimate, long millis, int expected) {
        pacer.setEstimate(estimate);
        for (int i = 0; i < 20; i++) {
            assertEquals(Pacer.QUEUED, pacer.enqueue(packet(i, 1000), 0, 1000, -1));
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
        assertEquals(Pacer.NOT_PACING, pacer.enqueue(packet(1, 100), 0, 100, -1));
        pacer.setEstimate(300_000);
        assertTrue(pacer.isActive());
        for (int i = 0; i < Pacer.CAPACITY; i++) {
            assertEquals(Pacer.QUEUED, pacer.enqueue(packet(i, 100), 0, 100, -1));
        }
        assertEquals(Pacer.DROPPED, pacer.enqueue(packet(1, 100), 0, 100, -1));
        assertEquals(Pacer.DROPPED, pacer.enqueue(new byte[1501], 0, 1501, -1), "larger than a slot");
    }

    @Test
    void aFastLinkIsNotPacedOnceItsQueueIsEmpty() {
        pacer.setEstimate(300_000);
        pacer.enqueue(packet(7, 500), 0, 500, -1);
        pacer.setEstimate(Pacer.PACE_BELOW_BPS * 2);
        assertTrue(pacer.isActive(), "a packet is still queued");
        pacer.tick(pacer.startedNanos + 50_000_000);
        assertEquals(List.of(7), sent);
        assertFalse(pacer.isActive());
        assertEquals(Pacer.NOT_PACING, pacer.enqueue(packet(8, 500), 0, 500, -1));
    }

    @Test
    void theQueueHoldsAtMostASecondOfSendingAtTheCurrentRate() {
        // 50 kbit/s: paced at 125 kbit/s, so a second is 15,625 bytes.
        pacer.setEstimate(50_000);
        for (int i = 0; i < 15; i++) {
            assertEquals(Pacer.QUEUED, pacer.enqueue(packet(i, 1000), 0, 1000, -1));
        }
        assertEquals(Pacer.DROPPED, pacer.enqueue(packet(15, 1000), 0, 1000, -1));
        assertEquals(Pacer.QUEUED, pacer.enqueue(packet(16, 600), 0, 600, -1), "a smaller one still fits");
    }

    @Test
    void aFallingEstimateDropsTheOldestOfWhatNoLongerFits() {
        pacer.setEstimate(1_000_000);
        for (int i = 0; i < 100; i++) {
            assertEquals(Pacer.QUEUED, pacer.enqueue(packet(i, 1000), 0, 1000, -1));
        }
        assertEquals(85, pacer.setEstimate(50_000), "100 kB queued, a second at 125 kbit/s is 15.6 kB");
        assertEquals(15, pacer.queued());
        pacer.tick(pacer.startedNanos + 100_000_000);
        assertEquals(85, sent.get(0), "the newest are kept, in order");
    }
}
