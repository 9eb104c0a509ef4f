package org.atrium.sfu.transport;

import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.ice4j.util.Buffer;

/**
 * DTLS datagrams from an address that no authenticated connectivity check has paired yet,
 * held until one has. A browser starts DTLS as soon as its own check is answered, and ice4j
 * answers a check before it tells {@link IceTransport} of the pair: at once, or only once this
 * side starts when the check came first (ice4j queues such pairs until then). The ClientHello
 * can so arrive a few milliseconds before its address counts as paired; dropping it would cost
 * a DTLS retransmission, holding it costs at most {@link #MAX} pooled buffers per session.
 * Whatever is never paired is dropped as from a stranger.
 *
 * <p>Not thread-safe: its owner guards it.
 */
final class HeldDatagrams {

    /** A handshake's first flight is one datagram; a few more allow for retransmissions. */
    static final int MAX = 8;

    private final ArrayDeque<Buffer> held = new ArrayDeque<>(MAX);

    /** Holds {@code buffer}; returns the oldest held datagram when that made room (to drop), else null. */
    Buffer hold(Buffer buffer) {
        Buffer evicted = held.size() == MAX ? held.removeFirst() : null;
        held.addLast(buffer);
        return evicted;
    }

    /** Removes and returns, in arrival order, the datagrams held from {@code address}. */
    List<Buffer> takeFrom(SocketAddress address) {
        if (held.isEmpty()) {
            return List.of();
        }
        List<Buffer> taken = new ArrayList<>();
        for (Iterator<Buffer> it = held.iterator(); it.hasNext(); ) {
            Buffer buffer = it.next();
            if (address.equals(buffer.getRemoteAddress())) {
                taken.add(buffer);
                it.remove();
            }
        }
        return taken;
    }

    /** Removes and returns every held datagram. */
    List<Buffer> takeAll() {
        List<Buffer> taken = new ArrayList<>(held);
        held.clear();
        return taken;
    }

    int size() {
        return held.size();
    }
}
