package org.atrium.sfu.turn;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The client's side of a TURN 5-tuple (RFC 8656 2): its transport to the server, its address as
 * the server sees it, and the server's address it reached. An allocation belongs to exactly one.
 * Over TCP and TLS the two addresses name one connection.
 */
public record TurnClient(TurnTransport transport, InetSocketAddress remote, InetSocketAddress local) {

    public TurnClient {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(local, "local");
    }
}
