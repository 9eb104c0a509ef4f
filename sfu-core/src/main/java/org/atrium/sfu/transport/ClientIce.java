package org.atrium.sfu.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.ice4j.util.Buffer;

/**
 * The ICE side of a client endpoint (the SFU's tests, the load generator, a WHIP or WHEP
 * client): one ice4j agent on a UDP port of its own, read and written as the server's media
 * port is. The port's {@link MediaSocket} reads every datagram; STUN goes to ice4j (checks,
 * their answers, consent), and DTLS, RTP and RTCP from the paired address go to the
 * {@link Listener} on the reading thread, with no queue, no thread hand-off and no copy. So a
 * load generator's hundreds of clients cost what the server's sessions cost per packet, not
 * ice4j's socket stack (a reader thread, a queue and a copy per socket and per layer).
 *
 * <p>The port answers only addresses it has heard from or was opened to, so {@link #start}
 * opens it to the remote UDP candidates before the checks: the client checks first, as a
 * browser does, whichever ICE role it has.
 */
public final class ClientIce implements AutoCloseable {

    /** Room left after each datagram handed to the listener, so that SRTP can work in place. */
    public static final int TAIL_ROOM = UdpMediaPort.TAIL_ROOM;

    /** What the session tells its owner; ICE events come on ice4j's threads, datagrams on the port's. */
    public interface Listener {
        /**
         * ICE has completed: the controlling side nominated a pair and both sides selected it.
         * Datagrams can be sent from the first valid pair on; waiting for the selected one
         * means that a peer which is connected has nothing of ICE left to do. Called once.
         */
        void onConnected();

        /** Every check failed. */
        void onFailed();

        /**
         * A DTLS, RTP or RTCP datagram from the paired remote address, valid only during the call,
         * with {@link #TAIL_ROOM} free bytes after it. Called on the port's reading thread, in
         * order; it must not block.
         */
        void onDatagram(byte[] buf, int off, int len);
    }

    private final UdpMediaPort port;
    private final IceTransport ice;
    private final boolean controlling;

    /**
     * Binds a port of its own on {@code address} (an ephemeral one) and makes the agent.
     *
     * @param controlling whether this client is the controlling agent (it made the offer:
     *     WHIP, WHEP), which nominates; a browser answering the SFU's offer is controlled
     */
    public ClientIce(InetAddress address, String name, boolean controlling, Listener listener) throws IOException {
        this.controlling = controlling;
        port = UdpMediaPort.forClient(address);
        try {
            ice = new IceTransport(port, null, name, new Events(listener));
        } catch (IOException | RuntimeException e) {
            port.close();
            throw e;
        }
    }

    public String localUfrag() {
        return ice.localUfrag();
    }

    public String localPassword() {
        return ice.localPassword();
    }

    /** The one host candidate, the port's address. */
    public List<IceCandidate> localCandidates() {
        return port.candidates();
    }

    /** Opens the port to the remote UDP candidates and starts the checks; once. */
    public void start(String remoteUfrag, String remotePassword, List<IceCandidate> remoteCandidates) {
        ice.openTo(remoteCandidates);
        ice.start(remoteUfrag, remotePassword, remoteCandidates, controlling);
    }

    /** The agent's state, for messages: connected or not. */
    public String state() {
        return ice.isConnected() ? "connected" : ice.isStarted() ? "checking" : "new";
    }

    /**
     * Sends one datagram on the selected pair (the first valid one until ICE selects). Never
     * throws: false when no pair is valid yet or the socket refused the datagram.
     */
    public boolean send(byte[] buf, int off, int len) {
        try {
            return ice.send(buf, off, len) == IceTransport.SENT;
        } catch (IOException e) {
            return false;
        }
    }

    /** Frees the agent and closes the port: nothing more is sent or answered. Idempotent. */
    @Override
    public void close() {
        ice.close();
        port.close();
    }

    private static final class Events implements IceTransport.Listener {
        private final Listener listener;

        Events(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void onIceConnected(String localAddress, String remoteAddress) {
            // A pair is valid; the listener hears of it once one is selected.
        }

        @Override
        public void onIceCompleted() {
            listener.onConnected();
        }

        @Override
        public void onIceFailed() {
            listener.onFailed();
        }

        @Override
        public void onDatagram(Buffer buffer) {
            try {
                listener.onDatagram(buffer.getBuffer(), buffer.getOffset(), buffer.getLength());
            } finally {
                IceTransport.release(buffer);
            }
        }

        @Override
        public void onDatagramFromStranger() {
            // Not from the paired address: dropped, as the server drops it.
        }
    }
}
