package org.atrium.sfu.turn;

import java.net.InetSocketAddress;

/**
 * An allocation's relayed transport address (RFC 8656 2): a UDP socket of the I/O edge, in the
 * relay port range. What arrives on it goes to {@link TurnEngine#onPeerData}.
 */
public interface RelaySocket {

    /** The address and port bound; the XOR-RELAYED-ADDRESS the client is told. */
    InetSocketAddress address();

    /**
     * Sends one datagram to {@code peer}. Never throws: a failure is the edge's to count. The
     * buffer stays the caller's.
     */
    void send(InetSocketAddress peer, byte[] buf, int off, int len);

    /** Releases the port. Idempotent. */
    void close();
}
