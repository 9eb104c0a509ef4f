package org.atrium.sfu.transport;

import java.util.concurrent.atomic.AtomicLong;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.TriggeredChecks;

/**
 * An ice4j {@link Agent} whose connectivity-check pacer cannot outlive {@link #free()}, and
 * that can nominate a pair again ({@link #nominateAgain}).
 *
 * <p>ice4j (3.2-15-g6da2b08) paces checks with a {@code ConnectivityCheckClient.PaceMaker}, a
 * {@code PeriodicRunnable} that runs every Ta (20 ms) on the static
 * {@code ice4j.Agent-executor} pool until the agent terminates. Its {@code cancel()} races
 * with a run that is finishing: if it lands after the run has seen {@code running == true}
 * and before the run reschedules, it clears {@code submittedExecute}, so the run no longer
 * knows it was cancelled and schedules itself again, with nobody left to cancel it (free()
 * has already drained the pacers). That pacer then ticks forever, keeping the agent, its
 * streams and sockets (two 10,000-slot receive queues each) reachable from the static
 * {@code ice4j.Agent-timer} and sending bursts of work to the cached executor, whose thread
 * count keeps growing. It happens most to agents freed within milliseconds of
 * {@code startConnectivityEstablishment()}, while the first check is still running.
 *
 * <p>A pacer asks {@link #getActiveCheckListCount()} for its next delay before it
 * reschedules, and nothing else calls it. Once the agent is freed that call throws, which
 * ends the pacer's run without a reschedule: the executor keeps the exception in a future
 * nobody reads, and the agent becomes garbage.
 */
public final class IceAgent extends Agent {

    private static final AtomicLong STOPPED_PACERS = new AtomicLong();

    private volatile boolean freed;

    /** @param ufragPrefix a prefix for the local ufrag, or null */
    public IceAgent(String ufragPrefix) {
        super(ufragPrefix, null);
    }

    @Override
    public void free() {
        // Before ice4j's own cancel, so that a pacer in the race window stops by itself.
        freed = true;
        super.free();
    }

    @Override
    protected int getActiveCheckListCount() {
        if (freed) {
            STOPPED_PACERS.incrementAndGet();
            throw new PacerStopped();
        }
        return super.getActiveCheckListCount();
    }

    /**
     * Checks {@code nominated}, a nominated pair whose check failed, again: a triggered check,
     * with USE-CANDIDATE (see {@link TriggeredChecks}). Only while the agent is running: once it
     * has completed it checks nothing but consent.
     */
    void nominateAgain(CandidatePair nominated) {
        if (freed || getState() != IceProcessingState.RUNNING) {
            return;
        }
        TriggeredChecks.schedule(nominated);
    }

    /** Pacers of freed agents stopped here since the JVM started: each would have leaked. */
    public static long stoppedPacers() {
        return STOPPED_PACERS.get();
    }

    /** Thrown into ice4j's pacer to end it; no stack trace, nobody logs it. */
    private static final class PacerStopped extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PacerStopped() {
            super("ICE agent freed", null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
