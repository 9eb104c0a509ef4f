package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Association timers: deadlines, and the doubling backoff of T1 and T2 (RFC 9260 5.1 C, 9.2). */
class TimerTest {
    @Test
    void stoppedUntilStartedAndNeverDue() {
        Timer t = new Timer();
        assertFalse(t.isRunning());
        assertEquals(Timer.NONE, t.deadline());
        assertFalse(t.isDue(Long.MAX_VALUE - 1));
        t.start(1000, 300);
        assertTrue(t.isRunning());
        assertFalse(t.isDue(1299));
        assertTrue(t.isDue(1300));
        t.stop();
        assertFalse(t.isRunning());
    }

    @Test
    void startIfStoppedKeepsARunningDeadline() {
        Timer t = new Timer();
        t.startIfStopped(1000, 300);
        t.startIfStopped(1100, 300);
        assertEquals(1300, t.deadline());
        t.stop();
        t.startIfStopped(1100, 300);
        assertEquals(1400, t.deadline());
    }

    @Test
    void backoffDoublesUpToTheCapThenGivesUp() {
        Timer t = new Timer();
        t.start(0, 500);
        long[] expected = {1000, 2000, 3000}; // durations after each expiry, capped at 3000
        long now = 500;
        for (long d : expected) {
            assertTrue(t.restartBackedOff(now, 3000, 3));
            assertEquals(now + d, t.deadline());
            now = t.deadline();
        }
        assertFalse(t.restartBackedOff(now, 3000, 3), "the fourth expiry is one more than allowed");
        assertFalse(t.isRunning());
    }

    @Test
    void startingAgainForgetsTheBackoff() {
        Timer t = new Timer();
        t.start(0, 500);
        assertTrue(t.restartBackedOff(500, 10_000, 1));
        t.start(2000, 500);
        assertTrue(t.restartBackedOff(2500, 10_000, 1));
        assertEquals(3500, t.deadline());
    }
}
