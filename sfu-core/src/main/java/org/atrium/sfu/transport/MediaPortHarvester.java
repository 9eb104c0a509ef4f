package org.atrium.sfu.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.ice.harvest.HarvestStatistics;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;
import org.ice4j.socket.StunDatagramPacketFilter;
import org.ice4j.stack.StunStack;
import org.ice4j.util.Buffer;

/**
 * The sessions of the media port, and the host candidate each ICE agent has on it.
 *
 * <p>The split with ice4j: the port's {@link MediaSocket} reads every datagram and this class
 * routes it by its source address. A new address is bound to a session only by a STUN Binding
 * Request whose USERNAME names that session's local ufrag (RFC 8445 7.3: the ufrag of the
 * receiving agent comes first); other datagrams from addresses no session knows are dropped
 * and counted. For a known address, STUN goes to ice4j's STUN stack through a
 * {@link SessionSocket} (a socket view that ice4j reads and writes as it would a real one:
 * connectivity checks, their responses, consent), and everything else (DTLS, RTP, RTCP) to the
 * session's handler on the reading thread, with no queue and no copy. ice4j's STUN, in turn,
 * leaves through the same {@link MediaSocket} as media. This is what ice4j's own single-port
 * harvester does, with the socket ours, so that the port can read and write in batches.
 *
 * <p>It only serves agents with one stream of one component: BUNDLE and rtcp-mux.
 */
final class MediaPortHarvester implements CandidateHarvester, MediaSocket.Receiver {

    private final MediaSocket socket;
    private final TransportAddress localAddress;
    /** By local ufrag. */
    private final Map<String, PortCandidate> candidates = new ConcurrentHashMap<>();
    /** By remote address: written when a session accepts an address, read per datagram. */
    private final Map<SocketAddress, SessionSocket> sessions = new ConcurrentHashMap<>();
    private final HarvestStatistics statistics = new HarvestStatistics();
    private final LongAdder fromStrangers = new LongAdder();
    /**
     * The buffer handed to a session's handler: one per reading thread, over that thread's
     * receive array, reused for every datagram (handlers release it before they return).
     */
    private final ThreadLocal<Buffer> handoff = new ThreadLocal<>();

    MediaPortHarvester(MediaSocket socket) {
        this.socket = socket;
        InetSocketAddress bound = socket.localAddress();
        this.localAddress = new TransportAddress(bound.getAddress(), bound.getPort(), Transport.UDP);
    }

    TransportAddress getLocalAddress() {
        return localAddress;
    }

    /** Datagrams dropped because no session knows their source and they were no check for one. */
    long datagramsFromStrangers() {
        return fromStrangers.sum();
    }

    @Override
    public void onDatagram(byte[] buf, int off, int len, InetSocketAddress from, long receivedNanos) {
        SessionSocket session = sessions.get(from);
        if (session == null) {
            String ufrag = StunUsername.localUfrag(buf, off, len);
            PortCandidate candidate = ufrag == null ? null : candidates.get(ufrag);
            session = candidate == null ? null : candidate.accept(from);
            if (session == null) {
                fromStrangers.increment();
                return;
            }
            session.offerStun(buf, off, len);
            return;
        }
        if (StunUsername.isStun(buf, off, len)) {
            session.offerStun(buf, off, len);
            return;
        }
        Buffer buffer = handoff.get();
        if (buffer == null || buffer.getBuffer() != buf) {
            buffer = new Buffer(buf, off, len);
            handoff.set(buffer);
        }
        buffer.setOffset(off);
        buffer.setLength(len);
        buffer.setRemoteAddress(from);
        session.handler().handleBuffer(buffer);
    }

    /** Whether datagrams from {@code remote} reach a session: it checked first, or a session was opened to it. */
    boolean hasHeardFrom(InetSocketAddress remote) {
        return sessions.containsKey(remote);
    }

    /**
     * Binds {@code remote} to the session whose local ufrag this is, as a first check from
     * there would: the session can then send its checks to it. A browser always checks first;
     * another server does not, so a relay link opens the way itself before its checks start.
     * False when no session has that ufrag, or another session holds the address already.
     */
    boolean openTo(InetSocketAddress remote, String localUfrag) {
        PortCandidate candidate = candidates.get(localUfrag);
        return candidate != null && candidate.accept(remote) != null;
    }

    @Override
    public Collection<LocalCandidate> harvest(Component component) {
        IceMediaStream stream = component.getParentStream();
        Agent agent = stream.getParentAgent();
        if (stream.getComponentCount() != 1 || agent.getStreamCount() != 1) {
            // Without BUNDLE and rtcp-mux, the ufrag alone cannot name the component.
            return List.of();
        }
        String ufrag = agent.getLocalUfrag();
        PortCandidate candidate = new PortCandidate(component, ufrag);
        candidates.put(ufrag, candidate);
        component.addLocalCandidate(candidate);
        return List.of(candidate);
    }

    @Override
    public HarvestStatistics getHarvestStatistics() {
        return statistics;
    }

    @Override
    public boolean isHostHarvester() {
        return true;
    }

    /** Routes {@code remote} to no session any more, if it was routed to {@code session}. */
    void forget(InetSocketAddress remote, SessionSocket session) {
        sessions.remove(remote, session);
    }

    /** Sends one of a session's datagrams through the port; see {@link MediaSocket#send}. */
    boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
        return socket.send(buf, off, len, to);
    }

    /** The host candidate of one agent on the port, with one {@link SessionSocket} per remote address. */
    private final class PortCandidate extends HostCandidate {
        private final String ufrag;
        /** Guarded by this. */
        private boolean freed;
        /** Guarded by this. */
        private final Map<SocketAddress, SessionSocket> byRemote = new HashMap<>();
        /** Guarded by this. */
        private final Map<SocketAddress, IceSocketWrapper> wrappers = new HashMap<>();

        PortCandidate(Component component, String ufrag) {
            super(localAddress, component);
            this.ufrag = ufrag;
        }

        /** The session's socket for a new remote address, or null when it cannot take one. */
        synchronized SessionSocket accept(InetSocketAddress remote) {
            if (freed) {
                return null;
            }
            Component component = getParentComponent();
            if (component == null
                    || component.getParentStream().getParentAgent().getState() == IceProcessingState.FAILED) {
                return null;
            }
            SessionSocket existing = byRemote.get(remote);
            if (existing != null) {
                return existing;
            }
            SessionSocket session;
            try {
                session = new SessionSocket(MediaPortHarvester.this, remote, component);
            } catch (IOException e) {
                return null;
            }
            if (sessions.putIfAbsent(remote, session) != null) {
                // Another session holds the address: two agents cannot share a 5-tuple.
                session.close();
                return null;
            }
            try {
                MultiplexingDatagramSocket multiplexing = new MultiplexingDatagramSocket(session);
                IceSocketWrapper wrapper = new IceUdpSocketWrapper(multiplexing);
                IceSocketWrapper stun = new IceUdpSocketWrapper(multiplexing.getSocket(new StunDatagramPacketFilter()));
                component.getParentStream().getParentAgent().getStunStack()
                        .addSocket(stun, new TransportAddress(remote, Transport.UDP));
                byRemote.put(remote, session);
                wrappers.put(remote, wrapper);
                return session;
            } catch (IOException | RuntimeException e) {
                sessions.remove(remote, session);
                session.close();
                return null;
            }
        }

        @Override
        public void free() {
            List<SessionSocket> closing;
            List<IceSocketWrapper> closingWrappers;
            synchronized (this) {
                if (freed) {
                    return;
                }
                freed = true;
                closing = new ArrayList<>(byRemote.values());
                closingWrappers = new ArrayList<>(wrappers.values());
                byRemote.clear();
                wrappers.clear();
            }
            candidates.remove(ufrag, this);
            StunStack stunStack = getStunStack();
            for (SessionSocket session : closing) {
                sessions.remove(session.remote(), session);
                if (stunStack != null) {
                    stunStack.removeSocket(localAddress, new TransportAddress(session.remote(), Transport.UDP));
                }
                session.close();
            }
            for (IceSocketWrapper wrapper : closingWrappers) {
                wrapper.close();
            }
            super.free();
        }

        @Override
        protected synchronized IceSocketWrapper getCandidateIceSocketWrapper(SocketAddress remoteAddress) {
            return wrappers.get(remoteAddress);
        }
    }
}
