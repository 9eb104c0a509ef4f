package org.atrium.sfu.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The association timer on a real scheduler: an earlier deadline re-arms it, a later one does not. */
class AssociationTimerTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void anEarlierDeadlineReplacesTheArmedOneAndALaterOneWaits() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        AssociationTimer timer = new AssociationTimer(timers, () -> {
            runs.incrementAndGet();
            fired.countDown();
        });
        timer.armFor(60_000, 0);
        timer.armFor(5, 0);
        timer.armFor(30_000, 0);
        timer.armFor(Long.MAX_VALUE, 0);
        assertTrue(fired.await(5, TimeUnit.SECONDS), "the 5 ms deadline fired");
        timer.fired();
        Thread.sleep(100);
        assertEquals(1, runs.get(), "the 60 s one was cancelled, the 30 s one never armed");
    }

    @Test
    void cancelledOrShutDownNothingRuns() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AssociationTimer timer = new AssociationTimer(timers, runs::incrementAndGet);
        timer.armFor(20, 0);
        timer.cancel();
        timers.shutdown();
        timer.armFor(10, 0);
        Thread.sleep(100);
        assertEquals(0, runs.get());
    }
}
