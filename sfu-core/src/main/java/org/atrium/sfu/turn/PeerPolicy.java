package org.atrium.sfu.turn;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which peers an allocation may relay to (RFC 8656 17, "not an open relay"). By default the SFU's
 * own media addresses only, matched on address and port: a browser needs TURN to reach the SFU,
 * never anyone else. Permissions (RFC 8656 9) are per IP address, so CreatePermission asks
 * {@link #permitsAddress}; everything that names a port asks {@link #permits}.
 */
public final class PeerPolicy {

    private final boolean open;
    private final Set<InetSocketAddress> peers;
    private final Set<InetAddress> addresses;

    private PeerPolicy(boolean open, Set<InetSocketAddress> peers) {
        this.open = open;
        this.peers = peers;
        this.addresses = peers.stream().map(InetSocketAddress::getAddress).collect(Collectors.toUnmodifiableSet());
    }

    /** Relays only to these exact addresses and ports (resolved addresses, not host names). */
    public static PeerPolicy only(Collection<InetSocketAddress> allowedPeers) {
        Objects.requireNonNull(allowedPeers, "allowedPeers");
        for (InetSocketAddress peer : allowedPeers) {
            if (peer == null || peer.isUnresolved()) {
                throw new IllegalArgumentException("allowed peer not a resolved address: " + peer);
            }
        }
        return new PeerPolicy(false, Set.copyOf(allowedPeers));
    }

    /** Relays to any peer: the operator switched the restriction off. */
    public static PeerPolicy open() {
        return new PeerPolicy(true, Set.of());
    }

    /** Whether some permitted peer has this IP address. */
    public boolean permitsAddress(InetAddress address) {
        return open || addresses.contains(address);
    }

    /** Whether this address and port may be relayed to. Cheap: one hash lookup, no allocation. */
    public boolean permits(InetSocketAddress peer) {
        return open || peers.contains(peer);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerPolicy p && open == p.open && peers.equals(p.peers);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(open) * 31 + peers.hashCode();
    }

    @Override
    public String toString() {
        return open ? "PeerPolicy[open]" : "PeerPolicy" + peers;
    }
}
