package org.atrium.sfu.data;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of an SCTP association its host drives (a sans-I/O endpoint has no clock of
 * its own): after every call into the endpoint the host arms it for the endpoint's next
 * deadline. It is re-armed only when that deadline moves earlier; a later one is picked up
 * when the timer fires and the host calls the endpoint again. Used under the host's lock.
 */
public final class AssociationTimer {

    private final ScheduledExecutorService timers;
    private final Runnable onTimer;
    private ScheduledFuture<?> pending;
    private long atMillis = Long.MAX_VALUE;

    /** @param onTimer what runs when the deadline comes: the host's own locked call into the endpoint */
    public AssociationTimer(ScheduledExecutorService timers, Runnable onTimer) {
        this.timers = timers;
        this.onTimer = onTimer;
    }

    /** Arms the timer for {@code nextMillis} ({@code Long.MAX_VALUE}: none) unless it is armed earlier. */
    public void armFor(long nextMillis, long nowMillis) {
        if (nextMillis >= atMillis) {
            return;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        atMillis = nextMillis;
        try {
            pending = timers.schedule(onTimer, Math.max(0, nextMillis - nowMillis), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // A scheduler that has been shut down: the host is going away.
            pending = null;
        }
    }

    /** The timer fired: the host calls this first, under its lock. */
    public void fired() {
        pending = null;
        atMillis = Long.MAX_VALUE;
    }

    /** No more deadlines: the association ended. */
    public void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
        atMillis = Long.MAX_VALUE;
    }
}
