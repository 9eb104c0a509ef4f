package org.atrium.sfu.room;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.atrium.sfu.media.Consumer;

/**
 * The streams one participant receives because it asked for them ({@link Participant#forward}),
 * outside automatic subscription: a WHEP player that shows one participant, or whoever is
 * speaking. Such a stream is its SSRC, not its producer: the consumer on it may be replaced by
 * one of another producer that continues its numbering, so a stream whose producer closed
 * keeps its SSRC (no BYE) for the consumer that will continue it.
 *
 * <p>Holds the SSRCs reserved for such streams and, per SSRC, the consumer that carries it,
 * live or closed with its SSRC kept. At most one consumer per SSRC is kept, so a player that
 * switches all day holds no more than it shows. Guarded by the room's lock.
 */
final class ExplicitForwarding {

    private final Participant receiver;
    private final Set<Long> reserved = new HashSet<>();
    /** SSRC -> the consumer on it, live or closed with the SSRC kept for a continuation. */
    private final Map<Long, Consumer> carriers = new HashMap<>();

    ExplicitForwarding(Participant receiver) {
        this.receiver = receiver;
    }

    void reserve(long ssrc) {
        reserved.add(ssrc);
    }

    /** Whether the SSRC is reserved, or carries (or carried and kept) one of these streams or its RTX. */
    boolean holds(long ssrc) {
        return reserved.contains(ssrc) || carrierOf(ssrc) != null;
    }

    /**
     * Whether a new stream (not a continuation) may start on the SSRC: one this participant
     * reserved and no stream carries, or one not in use on its transport at all.
     */
    boolean isFree(long ssrc) {
        if (ssrc <= 0 || ssrc > 0xFFFFFFFFL || carrierOf(ssrc) != null) {
            return false;
        }
        return reserved.contains(ssrc) || !receiver.usesSsrc(ssrc);
    }

    /** Whether the consumer was made by {@link Participant#forward} and still holds its SSRC. */
    boolean isForwarded(Consumer consumer) {
        return carriers.get(consumer.ssrc()) == consumer;
    }

    /** The consumer now carries its SSRC, in place of any before it. */
    void carry(Consumer consumer) {
        carriers.put(consumer.ssrc(), consumer);
    }

    /** The consumer's SSRC is ended (a BYE was sent): it is free for a new stream. */
    void release(Consumer consumer) {
        carriers.remove(consumer.ssrc(), consumer);
    }

    private Consumer carrierOf(long ssrc) {
        Consumer direct = carriers.get(ssrc);
        if (direct != null) {
            return direct;
        }
        for (Consumer consumer : carriers.values()) {
            if (consumer.rtxSsrc() == ssrc) {
                return consumer;
            }
        }
        return null;
    }
}
