package org.atrium.sfu.transport;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Socket;
import java.util.List;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.TcpHarvester;

/**
 * ice4j's {@link TcpHarvester} without ice4j's listening: {@link TcpMediaPort} accepts the
 * connections and reads their first frame, then hands each to the session its ufrag names.
 *
 * <p>Why not ice4j's own listener: it refuses loopback addresses (so tests and a server on
 * 127.0.0.1 would listen nowhere), cannot report the port it bound for port 0, holds a
 * connection that never sends a STUN request forever (no deadline, no bound), and keeps its
 * server socket open for up to 3 s after {@code close()}. Everything after the first frame
 * (the STUN stack's socket, the candidate's socket, RFC 4571 framing both ways) is ice4j's.
 *
 * <p>Built with no addresses, the superclass binds nothing; its accept and read threads
 * (two per port) idle until {@link #close()}.
 */
final class IceTcpHarvester extends TcpHarvester {

    IceTcpHarvester(TransportAddress hostAddress) throws IOException {
        super(List.of());
        // The address the candidates announce; TcpMediaPort listens on it.
        localAddresses.add(hostAddress);
    }

    /**
     * Gives an accepted connection to the session whose local ufrag is {@code ufrag}.
     *
     * @param first the first RFC 4571 frame, already read: a STUN Binding request
     * @throws IllegalStateException when no session has that ufrag, or its agent is done
     */
    void accept(Socket socket, String ufrag, DatagramPacket first) throws IOException {
        acceptSession(socket, ufrag, first);
    }
}
