package org.atrium.sfu.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.ice4j.util.Buffer;

/**
 * The remote addresses one ICE session takes datagrams other than STUN from: those it has a
 * candidate pair with (signalled candidates, and the sources of connectivity checks that
 * authenticated). ice4j's single-port harvester routes an address to a session by the ufrag of
 * its first STUN request, before checking that request's integrity, so without this gate a
 * stranger who knows a ufrag could reach DTLS.
 *
 * <p>DTLS from an address not paired yet is held (at most {@link #MAX_HELD} datagrams) until the
 * address pairs, while the session is still connecting. A browser starts DTLS as soon as its own
 * check is answered, and ice4j answers a check before it tells the session of the pair: at once,
 * or only once the session starts when the check came first (ice4j queues such pairs until
 * then). The ClientHello can so arrive a few milliseconds before its address counts as paired;
 * dropping it would cost a DTLS retransmission. Whatever never pairs is dropped as from a
 * stranger.
 *
 * <p>{@link #contains} takes no lock: it is asked for every datagram. The rest is synchronized.
 */
final class PairedAddresses {

    /** A handshake's first flight is one datagram; a few more allow for retransmissions. */
    static final int MAX_HELD = 8;

    /** What became of a datagram from an address not paired. */
    enum Outcome {
        /** The address paired meanwhile: hand the datagram on. */
        PAIRED_MEANWHILE,
        /** Held until its address pairs. */
        HELD,
        /** Dropped: given to the drop action. */
        DROPPED
    }

    /** Replaced on change, read per datagram. */
    private volatile Set<InetSocketAddress> paired = Set.of();
    private final ArrayDeque<Buffer> held = new ArrayDeque<>(MAX_HELD);
    private boolean closed;

    boolean contains(SocketAddress address) {
        return paired.contains(address);
    }

    /**
     * Pairs {@code address}; returns, in arrival order, the datagrams held from it, for the
     * caller to hand on (none when it was paired already).
     */
    synchronized List<Buffer> add(InetSocketAddress address) {
        if (paired.contains(address)) {
            return List.of();
        }
        Set<InetSocketAddress> grown = new HashSet<>(paired);
        grown.add(address);
        paired = Set.copyOf(grown);
        if (held.isEmpty()) {
            return List.of();
        }
        List<Buffer> heldFrom = new ArrayList<>();
        for (Iterator<Buffer> it = held.iterator(); it.hasNext(); ) {
            Buffer buffer = it.next();
            if (address.equals(buffer.getRemoteAddress())) {
                heldFrom.add(buffer);
                it.remove();
            }
        }
        return heldFrom;
    }

    /**
     * A datagram from an address that was not paired when it was read: DTLS is held while
     * {@code connecting} (the oldest held datagram makes room past {@link #MAX_HELD}), the rest is
     * dropped. Every datagram dropped, this one or one it displaced, goes to {@code drop}.
     */
    synchronized Outcome holdOrDrop(Buffer buffer, boolean connecting, Consumer<Buffer> drop) {
        if (paired.contains(buffer.getRemoteAddress())) {
            return Outcome.PAIRED_MEANWHILE;
        }
        boolean dtls = PacketClass.of(buffer.getBuffer(), buffer.getOffset(), buffer.getLength()) == PacketClass.DTLS;
        if (!dtls || !connecting || closed) {
            drop.accept(buffer);
            return Outcome.DROPPED;
        }
        if (held.size() == MAX_HELD) {
            drop.accept(held.removeFirst());
        }
        held.addLast(buffer);
        return Outcome.HELD;
    }

    /** Drops everything held; nothing is held after. */
    synchronized void close(Consumer<Buffer> drop) {
        closed = true;
        while (!held.isEmpty()) {
            drop.accept(held.removeFirst());
        }
    }

    synchronized int heldCount() {
        return held.size();
    }
}
