package org.atrium.sfu.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * The media port's sockets: they read every datagram of the port and send every datagram the
 * port's sessions send, STUN included. ICE stays ice4j's (checks, nomination, consent): the
 * port feeds it the STUN datagrams read here ({@link MediaPortHarvester}), and its STUN goes
 * out through {@link #send} like media. Two implementations: {@link EpollMediaSocket} (Linux,
 * Netty's native transport: several sockets on the port, batched reads and writes) and
 * {@link NioMediaSocket} (any system, one JDK socket); {@link #open} picks.
 */
interface MediaSocket extends AutoCloseable {

    /** System property choosing the implementation: {@code epoll}, {@code nio} or {@code auto} (the default). */
    String TRANSPORT_PROPERTY = "atrium.transport";

    /** Receives the port's datagrams. */
    interface Receiver {
        /**
         * One datagram, valid only during the call, with at least {@link UdpMediaPort#TAIL_ROOM}
         * free bytes after it. Called on one of the socket's reading threads; datagrams from one
         * address arrive on one thread, in order.
         */
        void onDatagram(byte[] buf, int off, int len, InetSocketAddress from, long receivedNanos);
    }

    /** What a send that did not go out met, counted by the port. */
    interface SendFailures {
        /** The kernel's send buffer was full (EAGAIN), or the socket's own queue was. */
        void onSendBufferFull();

        /** The kernel refused the datagram (ENOBUFS, EACCES, an unreachable network...). */
        void onSendError(Throwable cause);
    }

    /**
     * The most read of one datagram, as ice4j read: an Ethernet MTU. The rest of a larger one
     * is cut off, its SRTP tag with it, so it fails authentication and is counted there.
     */
    int MAX_DATAGRAM = 1500;

    /** The address and port bound. */
    InetSocketAddress localAddress();

    /** Starts reading; datagrams go to {@code receiver}. */
    void start(Receiver receiver);

    /**
     * Sends one datagram, or queues it to go out with the others of this event-loop turn. The
     * bytes are copied before the call returns. Never throws: a datagram that cannot go is
     * counted through {@link SendFailures} and false is returned.
     */
    boolean send(byte[] buf, int off, int len, InetSocketAddress to);

    /**
     * The threads the port reads on, to run work that sends (a forwarding lane's drain): what
     * they send goes out in one batch at the end of the turn. Empty when the sockets read on
     * threads of their own that take no other work.
     */
    Executor[] loops();

    /** Short name for logs and metrics: {@code epoll} or {@code nio}. */
    String kind();

    @Override
    void close();

    /**
     * Binds the port: epoll when asked or, with {@code auto}, when Netty's native library
     * loads here, else NIO.
     *
     * @param loops sockets (and threads) on the port for epoll, at least 1
     */
    static MediaSocket open(InetSocketAddress bind, int loops, SendFailures failures) throws java.io.IOException {
        return open(bind, loops, false, failures);
    }

    /**
     * A client's port ({@link ClientIce}), chosen as {@link #open} chooses: with epoll, one socket on
     * a loop that all clients' ports of the process share; with NIO, one socket and its own thread.
     */
    static MediaSocket openClient(InetSocketAddress bind, SendFailures failures) throws java.io.IOException {
        return open(bind, 1, true, failures);
    }

    private static MediaSocket open(InetSocketAddress bind, int loops, boolean client, SendFailures failures)
            throws java.io.IOException {
        String choice = System.getProperty(TRANSPORT_PROPERTY, "auto");
        boolean epoll = switch (choice) {
            case "nio" -> false;
            case "epoll" -> {
                EpollMediaSocket.ensureAvailable();
                yield true;
            }
            case "auto" -> EpollMediaSocket.isAvailable();
            default -> throw new IllegalArgumentException(
                    TRANSPORT_PROPERTY + " must be epoll, nio or auto, not " + choice);
        };
        if (!epoll) {
            return new NioMediaSocket(bind, failures);
        }
        return client ? EpollMediaSocket.onClientLoop(bind, failures) : new EpollMediaSocket(bind, loops, failures);
    }
}
