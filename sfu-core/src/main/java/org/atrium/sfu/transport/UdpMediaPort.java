package org.atrium.sfu.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.AbstractUdpListener;

/**
 * The one UDP port that carries every participant's ICE, DTLS, RTP and RTCP.
 *
 * <p>ice4j's single-port harvester tells sessions apart by the local ufrag in the
 * first STUN Binding Request from a new address, then by remote address; datagrams
 * from an address that no session has accepted are dropped there. It only serves
 * agents with one stream of one component, so BUNDLE and rtcp-mux are required.
 */
public final class UdpMediaPort implements AutoCloseable {

    /** Room left after each received datagram, so that SRTP can work in place. */
    public static final int TAIL_ROOM = 64;

    private static final String CONSENT_INTERVAL_PROPERTY = "ice4j.consent-freshness.interval";
    private static final String AWS_HARVESTER_PROPERTY = "ice4j.harvest.mapping.aws.enabled";

    private final MediaPortHarvester harvester;
    private final InetSocketAddress localAddress;
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
        if (bindAddress.isAnyLocalAddress()) {
            throw new IllegalArgumentException(
                    "the media port needs a concrete bind address, not " + bindAddress.getHostAddress());
        }
        configureIce4j();
        harvester = new MediaPortHarvester(new TransportAddress(bindAddress, port, Transport.UDP));
        TransportAddress bound = harvester.getLocalAddress();
        localAddress = new InetSocketAddress(bound.getAddress(), bound.getPort());

        List<IceCandidate> list = new ArrayList<>();
        String host = bound.getAddress().getHostAddress();
        list.add(new IceCandidate("1", 1, "udp", IceCandidate.priority(126, 65535, 1),
                host, bound.getPort(), "host", null, -1, null));
        int foundation = 2;
        for (InetAddress announced : announcedAddresses) {
            list.add(new IceCandidate(Integer.toString(foundation++), 1, "udp",
                    IceCandidate.priority(100, 65535, 1), announced.getHostAddress(), bound.getPort(),
                    "srflx", host, bound.getPort(), null));
        }
        candidates = List.copyOf(list);
    }

    /**
     * ice4j's switches are static: they must be set before the first harvester is
     * built. The push API hands us each non-STUN datagram without a queue and a thread
     * per session; the tail room lets SRTP unprotect and re-protect in place.
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
        AbstractUdpListener.BYTES_TO_LEAVE_AT_END_OF_PACKET = TAIL_ROOM;
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
        harvester.close();
    }
}
