package org.atrium.sfu.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one UDP port that carries every participant's ICE, DTLS, RTP and RTCP.
 *
 * <p>Its {@link MediaSocket} does the I/O (epoll with batches on Linux, else NIO); its
 * {@link MediaPortHarvester} tells sessions apart by the local ufrag in the first STUN Binding
 * Request from a new address, then by remote address, and drops datagrams from addresses that
 * no session has accepted. Only agents with one stream of one component are served, so BUNDLE
 * and rtcp-mux are required.
 */
public final class UdpMediaPort implements AutoCloseable {

    /** Room left after each received datagram, so that SRTP can work in place. */
    public static final int TAIL_ROOM = 64;

    private static final Logger LOG = LoggerFactory.getLogger(UdpMediaPort.class);

    private static final String CONSENT_INTERVAL_PROPERTY = "ice4j.consent-freshness.interval";
    private static final String AWS_HARVESTER_PROPERTY = "ice4j.harvest.mapping.aws.enabled";

    private final MediaSocket socket;
    private final MediaPortHarvester harvester;
    private final InetSocketAddress localAddress;
    private final LongAdder sendBufferFull = new LongAdder();
    private final LongAdder sendErrors = new LongAdder();
    private final List<IceCandidate> candidates;
    private final AtomicInteger sessions = new AtomicInteger();

    /**
     * Binds the port.
     *
     * @param bindAddress a concrete local address (not the wildcard: it becomes the
     *        host candidate)
     * @param port the UDP port, 0 for an ephemeral one (tests)
     * @param announcedAddresses public addresses that map to bindAddress:port (static
     *        NAT, such as a cloud host's public IP), announced as server-reflexive
     *        candidates; may be empty
     */
    public UdpMediaPort(InetAddress bindAddress, int port, List<InetAddress> announcedAddresses)
            throws IOException {
        this(bindAddress, port, announcedAddresses, 1);
    }

    /**
     * @param loops sockets and reading threads on the port where the transport has several
     *        (epoll; NIO has one), at least 1; forwarding lanes run on them ({@link #loops()})
     */
    public UdpMediaPort(InetAddress bindAddress, int port, List<InetAddress> announcedAddresses, int loops)
            throws IOException {
        this(bindAddress, port, announcedAddresses, loops, false);
    }

    /** A client's own port ({@link ClientIce}) on an ephemeral port of {@code bindAddress}. */
    static UdpMediaPort forClient(InetAddress bindAddress) throws IOException {
        return new UdpMediaPort(bindAddress, 0, List.of(), 1, true);
    }

    /**
     * @param client a client's port, of which a load test opens hundreds: on the clients' shared
     *        loops ({@link MediaSocket#openClient}), and logged at DEBUG, not INFO
     */
    private UdpMediaPort(InetAddress bindAddress, int port, List<InetAddress> announcedAddresses, int loops,
            boolean client) throws IOException {
        if (bindAddress.isAnyLocalAddress()) {
            throw new IllegalArgumentException(
                    "the media port needs a concrete bind address, not " + bindAddress.getHostAddress());
        }
        configureIce4j();
        MediaSocket.SendFailures failures = new MediaSocket.SendFailures() {
            @Override
            public void onSendBufferFull() {
                sendBufferFull.increment();
            }

            @Override
            public void onSendError(Throwable cause) {
                sendErrors.increment();
                LOG.debug("Media port send failed: {}", cause.toString());
            }
        };
        InetSocketAddress bind = new InetSocketAddress(bindAddress, port);
        socket = client ? MediaSocket.openClient(bind, failures) : MediaSocket.open(bind, loops, failures);
        harvester = new MediaPortHarvester(socket);
        socket.start(harvester);
        localAddress = socket.localAddress();
        if (!client) {
            LOG.info("Media port {} on {} ({} socket(s))", localAddress, socket.kind(),
                    Math.max(1, socket.loops().length));
        } else {
            LOG.debug("Client port {} on {}", localAddress, socket.kind());
        }

        List<IceCandidate> list = new ArrayList<>();
        String host = localAddress.getAddress().getHostAddress();
        list.add(new IceCandidate("1", 1, "udp", IceCandidate.priority(126, 65535, 1),
                host, localAddress.getPort(), "host", null, -1, null));
        int foundation = 2;
        for (InetAddress announced : announcedAddresses) {
            list.add(new IceCandidate(Integer.toString(foundation++), 1, "udp",
                    IceCandidate.priority(100, 65535, 1), announced.getHostAddress(), localAddress.getPort(),
                    "srflx", host, localAddress.getPort(), null));
        }
        candidates = List.copyOf(list);
    }

    /**
     * ice4j's switches are static: they must be set before the first agent is built. The
     * push API hands ICE-TCP's non-STUN frames to the session without a queue and a thread per
     * session (the UDP port routes its own, see {@link MediaPortHarvester}).
     */
    private static synchronized void configureIce4j() {
        // Consent checks every few seconds, so that a vanished peer is noticed within the
        // consent timeout (ice4j's default interval is 15 s). An operator's own setting wins.
        if (System.getProperty(CONSENT_INTERVAL_PROPERTY) == null) {
            System.setProperty(CONSENT_INTERVAL_PROPERTY, "3 seconds");
        }
        // ice4j probes the EC2 metadata address (169.254.169.254) when the first agent is
        // made, which stalls the first join for seconds off EC2. Public addresses come
        // from our configuration (announcedAddresses) instead. An operator's own setting wins.
        if (System.getProperty(AWS_HARVESTER_PROPERTY) == null) {
            System.setProperty(AWS_HARVESTER_PROPERTY, "false");
        }
        AbstractUdpListener.USE_PUSH_API = true;
    }

    MediaPortHarvester harvester() {
        return harvester;
    }

    void sessionOpened() {
        sessions.incrementAndGet();
    }

    void sessionClosed() {
        sessions.decrementAndGet();
    }

    /** The transport doing the port's I/O: {@code epoll} or {@code nio}. */
    public String transportKind() {
        return socket.kind();
    }

    /** The port's reading threads that take other work (forwarding lanes); empty for NIO. */
    public Executor[] loops() {
        return socket.loops();
    }

    /** Datagrams not sent because a send buffer was full (the kernel's: EAGAIN, or the socket's queue). */
    public long sendBufferFull() {
        return sendBufferFull.sum();
    }

    /** Datagrams the kernel refused (ENOBUFS, EACCES, unreachable...). */
    public long sendErrors() {
        return sendErrors.sum();
    }

    /** Datagrams dropped because they came from an address no session knows and named none. */
    public long datagramsFromStrangers() {
        return harvester.datagramsFromStrangers();
    }

    /** Datagrams the kernel dropped for this port because its receive buffer was full (Linux; else 0). */
    public long receiveDropped() {
        return KernelUdpDrops.of(localAddress);
    }

    /** ICE sessions (ice4j agents) on this port that are not closed yet. */
    public int sessionCount() {
        return sessions.get();
    }

    /** The address and port actually bound. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The candidates every session announces: the host candidate, then any public ones. */
    public List<IceCandidate> candidates() {
        return candidates;
    }

    @Override
    public void close() {
        socket.close();
    }
}
