package org.atrium.sfu.transport;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ice4j.Transport;
import org.ice4j.ice.CandidatePair;

/**
 * Which validated pair the SFU, as the controlling agent, nominates: direct UDP at once; otherwise, {@link #FALLBACK_WAIT_MILLIS} after the first other pair
 * validated, the best of those: direct TCP (ICE-TCP) before a pair through the client's TURN
 * relay. As the controlled agent (it answered the client's offer) it nominates nothing: the
 * client nominates with USE-CANDIDATE, and ice4j selects that pair (RFC 8445 7.3.1.5).
 *
 * <p>A client whose UDP works validates its UDP, TCP and relayed pairs within milliseconds of
 * each other, in any order, and ice4j's own strategy (the first valid pair) would put its media
 * on TCP or through TURN about as often as not. A client whose network drops UDP pays the wait
 * once, at connect, and then goes straight to the SFU over TCP rather than through two hops.
 *
 * <p>A nomination is a check with USE-CANDIDATE, retransmitted for about 6 s. When none of its
 * answers come back (loss, or a loaded server's or client's queues) ice4j marks the pair failed
 * and nominates nothing else: the session would stay without a selected pair (no consent
 * checks, and a client that waits for the nomination never starts DTLS). The nominated pair is
 * so checked again, nominated, up to {@link #MAX_RENOMINATIONS} times.
 */
final class DirectFirstNomination {

    static final long FALLBACK_WAIT_MILLIS = 1000;
    static final int MAX_RENOMINATIONS = 3;

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "atrium-ice-nomination");
        thread.setDaemon(true);
        return thread;
    });

    private final IceAgent agent;
    private boolean nominated;
    private int renominations;
    private CandidatePair fallback;
    private int fallbackRank;
    private boolean waiting;

    DirectFirstNomination(IceAgent agent) {
        this.agent = agent;
    }

    /** A pair of this session validated; called on ice4j's threads. */
    void validated(CandidatePair pair, boolean relayed) {
        if (!agent.isControlling()) {
            return;
        }
        boolean udp = pair.getLocalCandidate().getTransport() == Transport.UDP;
        if (udp && !relayed) {
            nominate(pair);
            return;
        }
        // Lower is better: direct TCP, then relayed.
        int rank = relayed ? 2 : 1;
        synchronized (this) {
            if (nominated) {
                return;
            }
            if (fallback == null || rank < fallbackRank) {
                fallback = pair;
                fallbackRank = rank;
            }
            if (waiting) {
                return;
            }
            waiting = true;
        }
        TIMER.schedule(this::nominateFallback, FALLBACK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void nominateFallback() {
        CandidatePair pair;
        synchronized (this) {
            pair = fallback;
            fallback = null;
        }
        if (pair != null) {
            nominate(pair);
        }
    }

    /** A pair's check failed; when it was the nominated pair's, nominates it again. Called on ice4j's threads. */
    void nominationFailed(CandidatePair pair) {
        synchronized (this) {
            if (!nominated || !pair.isNominated() || renominations >= MAX_RENOMINATIONS || !agent.isControlling()) {
                return;
            }
            renominations++;
        }
        // Not on ice4j's thread, which is in the middle of failing the pair.
        TIMER.execute(() -> agent.nominateAgain(pair));
    }

    private void nominate(CandidatePair pair) {
        synchronized (this) {
            // Asked again: a role conflict may have made the SFU controlled while the fallback waited.
            if (nominated || !agent.isControlling()) {
                return;
            }
            nominated = true;
            fallback = null;
        }
        try {
            agent.nominate(pair);
        } catch (IllegalStateException e) {
            // the agent was freed meanwhile
        }
    }
}
