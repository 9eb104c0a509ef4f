package org.atrium.sfu.turn;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * An allocation's channel bindings (RFC 8656 12): channel number to peer address and port, for
 * 600 s from the last ChannelBind. A binding that ran out still blocks its number and its peer
 * from being bound otherwise for 5 more minutes (RFC 8656 12: so that late ChannelData is not
 * sent to a new peer), so {@link #expire} keeps it that long; the data path ignores it.
 *
 * <p>Copy-on-write like {@link Permissions}: changed under the engine's lock, read lock-free.
 */
final class ChannelBindings {

    static final long LIFETIME_MILLIS = 600_000;
    static final long QUARANTINE_MILLIS = 300_000;

    record Binding(int channel, InetSocketAddress peer, long expiresAt) {
    }

    private volatile Binding[] bindings = new Binding[0];

    /** The live binding of {@code channel}, or null. Lock-free. */
    Binding byChannel(int channel, long nowMillis) {
        for (Binding binding : bindings) {
            if (binding.channel == channel) {
                return binding.expiresAt > nowMillis ? binding : null;
            }
        }
        return null;
    }

    /** The live binding of {@code peer}, or null. Lock-free. */
    Binding byPeer(InetSocketAddress peer, long nowMillis) {
        for (Binding binding : bindings) {
            if (binding.peer.equals(peer)) {
                return binding.expiresAt > nowMillis ? binding : null;
            }
        }
        return null;
    }

    /**
     * Whether {@code channel} may be bound (or bound again) to {@code peer}: neither is held by a
     * binding, live or quarantined, to something else (RFC 8656 11.2's third and fourth rules).
     */
    boolean canBind(int channel, InetSocketAddress peer) {
        for (Binding binding : bindings) {
            boolean sameChannel = binding.channel == channel;
            boolean samePeer = binding.peer.equals(peer);
            if (sameChannel != samePeer) {
                return false;
            }
        }
        return true;
    }

    /** Binds or refreshes until now + 600 s; {@link #canBind} first. Under the engine's lock. */
    void bind(int channel, InetSocketAddress peer, long nowMillis) {
        Binding[] current = bindings;
        int at = -1;
        for (int i = 0; i < current.length; i++) {
            if (current[i].channel == channel) {
                at = i;
            }
        }
        Binding[] next = Arrays.copyOf(current, at < 0 ? current.length + 1 : current.length);
        next[at < 0 ? current.length : at] = new Binding(channel, peer, nowMillis + LIFETIME_MILLIS);
        bindings = next;
    }

    /** Forgets bindings 5 minutes past their expiry. Under the engine's lock. */
    void expire(long nowMillis) {
        Binding[] current = bindings;
        if (Arrays.stream(current).anyMatch(b -> b.expiresAt + QUARANTINE_MILLIS <= nowMillis)) {
            bindings = Arrays.stream(current).filter(b -> b.expiresAt + QUARANTINE_MILLIS > nowMillis)
                    .toArray(Binding[]::new);
        }
    }

    int size() {
        return bindings.length;
    }
}
