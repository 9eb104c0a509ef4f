package org.atrium.sfu.transport;

import java.beans.PropertyChangeEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidatePairState;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.NominationStrategy;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferHandler;
import org.ice4j.util.BufferPool;

/**
 * One participant's ICE session: an ice4j agent with one stream of one component on
 * the shared {@link UdpMediaPort}, and on the shared {@link TcpMediaPort} when ICE-TCP is on.
 *
 * <p>Full ICE. The offerer is the controlling agent (RFC 8445 6.1.1): the SFU controls when
 * it made the offer, and nominates through {@link DirectFirstNomination}; when it answers a
 * client's offer (WHIP, WHEP) it is controlled, and the client nominates with USE-CANDIDATE,
 * which makes ice4j select that pair. The role is set in {@link #start}, before any check is
 * answered. ice4j has no ICE-lite mode. ice4j does not fail an agent whose consent lapses, so
 * this class reports the time of the last confirmed consent (its own checks, in either role)
 * and its owner enforces the timeout.
 */
final class IceTransport implements BufferHandler {

    /** Events of one ICE session; called on ice4j's threads. */
    interface Listener {
        /** A candidate pair was validated: packets can now be sent. Called once. */
        void onIceConnected(String localAddress, String remoteAddress);

        void onIceFailed();

        /** ICE processing completed: a pair is selected (nominated by one side, confirmed by both). */
        default void onIceCompleted() {
        }

        /**
         * A non-STUN datagram from an address of this session. The buffer belongs to the
         * listener until it calls {@link #release}.
         */
        void onDatagram(Buffer buffer);

        /** A non-STUN datagram from an address this session has not paired with; dropped. */
        void onDatagramFromStranger();

        /** An ICE-TCP frame longer than {@link TcpPairReader#MAX_PACKET}; dropped. */
        default void onPacketTooLarge() {
        }
    }

    /** Remote candidates kept for {@link #selectedCandidatePair()}; a browser signals a handful. */
    private static final int MAX_SIGNALLED = 64;

    private final IceAgent agent;
    private final IceMediaStream stream;
    private final Component component;
    private final Listener listener;
    private final UdpMediaPort port;
    private final String name;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean connected = new AtomicBoolean();
    private volatile long lastConsentMillis;
    /** The remote addresses whose datagrams get past STUN, and DTLS held for those not paired yet. */
    private final PairedAddresses pairedAddresses = new PairedAddresses();
    private volatile boolean closed;
    /** Remote candidates as signalled, TCP ones too; replaced on change. */
    private volatile List<IceCandidate> signalled = List.of();
    /** Remote addresses of TCP pairs whose connection has a {@link TcpPairReader}; guarded by this. */
    private final Set<InetSocketAddress> tcpReaders = new HashSet<>();
    /** The first validated pair, until ice4j selects one. */
    private volatile CandidatePair firstValidated;
    /** Picks the pair to nominate. */
    private final DirectFirstNomination nomination;
    /** Made with the first TCP pair's reader; guarded by this for writes. */
    private volatile TcpSendQueue tcpSendQueue;

    /**
     * @param tcpPort the ICE-TCP port, or null when ICE-TCP is off
     */
    IceTransport(UdpMediaPort port, TcpMediaPort tcpPort, String name, Listener listener) throws IOException {
        this.listener = listener;
        this.port = port;
        this.name = name;
        agent = new IceAgent("atr");
        agent.setControlling(true);
        agent.setUseDynamicPorts(false);
        agent.setPerformConsentFreshness(true);
        agent.addCandidateHarvester(port.harvester());
        if (tcpPort != null) {
            agent.addCandidateHarvester(tcpPort.harvester());
        }
        // ice4j nominates the first pair to validate, which may be a TCP pair or one through the
        // client's TURN relay while its direct UDP works too. DirectFirstNomination decides instead.
        agent.setNominationStrategy(NominationStrategy.NONE);
        nomination = new DirectFirstNomination(agent);
        stream = agent.createMediaStream(name);
        component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, false);
        component.setBufferCallback(this);
        agent.addStateChangeListener(this::onAgentStateChange);
        stream.addPairChangeListener(this::onPairChange);
        port.sessionOpened();
    }

    String localUfrag() {
        return agent.getLocalUfrag();
    }

    String localPassword() {
        return agent.getLocalPassword();
    }

    /**
     * Sets the ICE role and the remote credentials and starts connectivity checks the first
     * time. The SFU's candidate cannot send checks to an address it has not heard from, so
     * with no remote candidate the browser's checks arrive first and become peer-reflexive.
     *
     * @param controlling whether the SFU is the controlling agent (it made the offer)
     */
    void start(String remoteUfrag, String remotePassword, List<IceCandidate> remoteCandidates, boolean controlling) {
        if (closed) {
            return;
        }
        if (!started.compareAndSet(false, true)) {
            return;
        }
        // Before the checks: the role goes into every check and response (ICE-CONTROLLING or
        // ICE-CONTROLLED) and into the pair priorities.
        agent.setControlling(controlling);
        stream.setRemoteUfrag(remoteUfrag);
        stream.setRemotePassword(remotePassword);
        for (IceCandidate candidate : remoteCandidates) {
            RemoteCandidate remote = toRemote(candidate);
            if (remote != null) {
                component.addRemoteCandidate(remote);
            }
        }
        agent.startConnectivityEstablishment();
    }

    boolean isStarted() {
        return started.get();
    }

    /**
     * Lets this session send checks to the remote UDP candidates before any check came from
     * them: for a link to another server, which like this one waits to be checked first.
     * Call before {@link #start}.
     */
    void openTo(List<IceCandidate> remoteCandidates) {
        for (IceCandidate candidate : remoteCandidates) {
            if ("udp".equals(candidate.protocol()) && candidate.component() == 1) {
                InetSocketAddress remote = new InetSocketAddress(candidate.address(), candidate.port());
                if (!remote.isUnresolved()) {
                    port.harvester().openTo(remote, agent.getLocalUfrag());
                }
            }
        }
    }

    /** The agent's role now: a role conflict (RFC 8445 7.3.1.1) may have switched it since start. */
    boolean isControlling() {
        return agent.isControlling();
    }

    /** A candidate trickled after {@link #start}. */
    void addRemoteCandidate(IceCandidate candidate) {
        if (closed) {
            return;
        }
        RemoteCandidate remote = toRemote(candidate);
        if (remote != null) {
            component.addUpdateRemoteCandidates(remote);
            component.updateRemoteCandidates();
        }
    }

    /**
     * The ice4j candidate for a signalled one, or null for those ice4j is not to check.
     * TCP candidates are remembered (for {@link #selectedCandidatePair()}) but not given to
     * ice4j: the SFU's TCP candidates are passive only, and a browser's are active (port 9,
     * RFC 6544 4.5), never connected to; its connection arrives from an ephemeral port and
     * its first check makes that a peer-reflexive candidate. Given to ice4j, they would only
     * make pairs whose checks fail for want of a socket.
     *
     * <p>Nor are UDP candidates whose address the port has not heard from (nor was opened to):
     * the port sends nothing there, so ice4j's check would fail at once, and once every check of
     * its list has failed ice4j fails the session 5 s later unless it has completed by then. A
     * loaded server that reads the answer before the client's first check (or a client whose
     * other candidates, a TURN relay's say, cannot be reached first) so lost sessions whose check
     * came a few seconds late. The client's check makes the pair instead (peer-reflexive, with
     * the signalled type still known from {@link #signalled}); the address counts as paired
     * from now on, as it did when ice4j was given the candidate.
     */
    private RemoteCandidate toRemote(IceCandidate candidate) {
        remember(candidate);
        if (!"udp".equals(candidate.protocol()) || candidate.component() != 1) {
            return null;
        }
        CandidateType type = CandidateType.parse(candidate.type());
        if (type == null) {
            return null;
        }
        TransportAddress address = new TransportAddress(candidate.address(), candidate.port(), Transport.UDP);
        if (address.isUnresolved()) {
            return null;
        }
        if (!port.harvester().hasHeardFrom(new InetSocketAddress(address.getAddress(), address.getPort()))) {
            // Still an address this session expects datagrams from: the client's DTLS may
            // follow its own check's response before ice4j tells this class of the pair.
            addPairedAddress(address);
            return null;
        }
        return new RemoteCandidate(address, component, type, candidate.foundation(), candidate.priority(), null);
    }

    /** {@link #send}: the datagram went to the socket. */
    static final int SENT = 0;
    /** {@link #send}: the pair's TCP send queue was full. */
    static final int TCP_QUEUE_FULL = 1;
    /** {@link #send}: the UDP socket refused it (counted by the port). */
    static final int REFUSED = 2;

    /**
     * Sends one datagram on the selected pair (or the first validated one, until ICE selects):
     * over UDP through the media port's socket, to the pair's remote address; over TCP, queued
     * for the pair's sending thread.
     *
     * @return {@link #SENT}, {@link #TCP_QUEUE_FULL} or {@link #REFUSED}
     * @throws IOException when no pair is valid yet
     */
    int send(byte[] buf, int off, int len) throws IOException {
        CandidatePair pair = component.getSelectedPair();
        if (pair == null) {
            pair = firstValidated;
            if (pair == null) {
                throw new IOException("No valid pair.");
            }
        }
        if (pair.getLocalCandidate().getTransport() == Transport.TCP) {
            TcpSendQueue queue = tcpSendQueue;
            if (queue == null) {
                component.send(buf, off, len);
                return SENT;
            }
            return queue.offer(buf, off, len) ? SENT : TCP_QUEUE_FULL;
        }
        // The remote candidate's address is an InetSocketAddress already: nothing is allocated.
        return port.harvester().send(buf, off, len, pair.getRemoteCandidate().getTransportAddress()) ? SENT : REFUSED;
    }

    /** The time of the last consent confirmation (RFC 7675), or 0 before the first. */
    long lastConsentMillis() {
        return lastConsentMillis;
    }

    boolean isConnected() {
        return connected.get();
    }

    private synchronized void remember(IceCandidate candidate) {
        if (signalled.size() < MAX_SIGNALLED) {
            List<IceCandidate> grown = new ArrayList<>(signalled);
            grown.add(candidate);
            signalled = List.copyOf(grown);
        }
    }

    /** The selected pair (or the first validated one until ice4j selects), or null before ICE connects. */
    SelectedPair selectedCandidatePair() {
        CandidatePair pair = component.getSelectedPair();
        if (pair == null) {
            pair = firstValidated;
        }
        return pair == null || !connected.get() ? null : SelectedPair.of(pair, signalled);
    }

    /** "local -> remote" of the selected pair, or null. */
    String selectedPair() {
        CandidatePair pair = component.getSelectedPair();
        if (pair == null) {
            return null;
        }
        return pair.getLocalCandidate().getTransportAddress() + " -> "
                + pair.getRemoteCandidate().getTransportAddress();
    }

    @Override
    public void handleBuffer(Buffer buffer) {
        if (closed) {
            release(buffer);
            return;
        }
        // ice4j's push API skips the socket API's address check: only paired addresses get
        // through (see PairedAddresses). Before this side has started (no answer yet), ice4j
        // only queues the browser's checks and pairs nothing; what the browser sends then is
        // dropped as not ready.
        if (started.get() && !pairedAddresses.contains(buffer.getRemoteAddress())
                && !learnedFromCheck(buffer.getRemoteAddress())) {
            PairedAddresses.Outcome outcome = pairedAddresses.holdOrDrop(buffer, !connected.get(), this::dropFromStranger);
            if (outcome != PairedAddresses.Outcome.PAIRED_MEANWHILE) {
                return;
            }
        }
        listener.onDatagram(buffer);
    }

    private void dropFromStranger(Buffer buffer) {
        release(buffer);
        listener.onDatagramFromStranger();
    }

    /**
     * Whether ice4j already holds a remote candidate for {@code address}: it makes one from a
     * connectivity check only once the check's MESSAGE-INTEGRITY is good, and the pair event that
     * tells this class comes a moment later, so the browser's first DTLS datagram can beat it.
     * Asked only for an address not paired yet.
     */
    private boolean learnedFromCheck(java.net.SocketAddress address) {
        if (!(address instanceof InetSocketAddress plain) || plain.getAddress() == null) {
            return false;
        }
        for (Transport transport : new Transport[] {Transport.UDP, Transport.TCP}) {
            TransportAddress candidate = new TransportAddress(plain.getAddress(), plain.getPort(), transport);
            if (component.findRemoteCandidate(candidate) != null) {
                addPairedAddress(candidate);
                return true;
            }
        }
        return false;
    }

    /** Pairs {@code address}, then hands on what was held from it, in order, on this thread. */
    private void addPairedAddress(TransportAddress address) {
        for (Buffer buffer : pairedAddresses.add(new InetSocketAddress(address.getAddress(), address.getPort()))) {
            listener.onDatagram(buffer);
        }
    }

    static void release(Buffer buffer) {
        BufferPool.returnBuffer.invoke(buffer);
    }

    private void onAgentStateChange(PropertyChangeEvent event) {
        if (!Agent.PROPERTY_ICE_PROCESSING_STATE.equals(event.getPropertyName())) {
            return;
        }
        IceProcessingState state = (IceProcessingState) event.getNewValue();
        if (state == IceProcessingState.FAILED && !closed) {
            listener.onIceFailed();
        } else if (state == IceProcessingState.COMPLETED) {
            markConnected(null);
            if (!closed) {
                listener.onIceCompleted();
            }
        }
    }

    private void onPairChange(PropertyChangeEvent event) {
        String property = event.getPropertyName();
        if (event.getSource() instanceof CandidatePair pair && pair.getParentComponent() == component) {
            addPairedAddress(pair.getRemoteCandidate().getTransportAddress());
        }
        if (IceMediaStream.PROPERTY_PAIR_STATE_CHANGED.equals(property)
                && event.getSource() instanceof CandidatePair pair && pair.getParentComponent() == component) {
            if (event.getNewValue() == CandidatePairState.SUCCEEDED) {
                // An answered check is consent (RFC 7675 5.1), a nomination's too: the
                // answer to a nomination sent again can come seconds after the first pair validated.
                lastConsentMillis = System.currentTimeMillis();
            } else if (event.getNewValue() == CandidatePairState.FAILED && !closed) {
                nomination.nominationFailed(pair);
            }
        } else if (IceMediaStream.PROPERTY_PAIR_CONSENT_FRESHNESS_CHANGED.equals(property)) {
            Object value = event.getNewValue();
            if (value instanceof Long millis) {
                lastConsentMillis = millis;
            }
        } else if (IceMediaStream.PROPERTY_PAIR_VALIDATED.equals(property)
                || IceMediaStream.PROPERTY_PAIR_NOMINATED.equals(property)) {
            if (event.getSource() instanceof CandidatePair pair && pair.getParentComponent() == component) {
                if (firstValidated == null) {
                    firstValidated = pair;
                }
                startTcpReader(pair);
                if (IceMediaStream.PROPERTY_PAIR_VALIDATED.equals(property) && !closed) {
                    nomination.validated(pair, isRelayed(pair));
                }
            }
            // JVB starts DTLS on the first validated pair: the browser's ClientHello
            // follows its own validation, which may precede our COMPLETED state.
            markConnected(event.getSource() instanceof CandidatePair pair ? pair : null);
        }
    }

    /** Whether the client's side of the pair is a TURN relay, as ice4j or the client's signalling says. */
    private boolean isRelayed(CandidatePair pair) {
        if (pair.getRemoteCandidate().getType() == CandidateType.RELAYED_CANDIDATE) {
            return true;
        }
        TransportAddress remote = pair.getRemoteCandidate().getTransportAddress();
        for (IceCandidate candidate : signalled) {
            if ("relay".equals(candidate.type()) && candidate.port() == remote.getPort()
                    && candidate.protocol().equals(remote.getTransport().toString())
                    && candidate.address().equals(remote.getHostAddress())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts reading the media of a validated TCP pair's connection. Until then ice4j keeps
     * its non-STUN frames (the browser's ClientHello may come first), so nothing is lost.
     */
    @SuppressWarnings("deprecation") // The only public way to the candidate's socket for a remote address.
    private synchronized void startTcpReader(CandidatePair pair) {
        TransportAddress remote = pair.getRemoteCandidate().getTransportAddress();
        if (closed || remote.getTransport() != Transport.TCP) {
            return;
        }
        InetSocketAddress plain = new InetSocketAddress(remote.getAddress(), remote.getPort());
        IceSocketWrapper socket = pair.getIceSocketWrapper();
        if (socket == null || !tcpReaders.add(plain)) {
            return;
        }
        // Through the component, as the UDP push path goes: it notes where packets come from,
        // which picks the pair component.send uses, then calls handleBuffer here.
        TcpPairReader.start(name, new TcpPairReader(socket, plain, component, listener::onPacketTooLarge));
        if (tcpSendQueue == null) {
            tcpSendQueue = new TcpSendQueue(name, component::send);
        }
    }

    private void markConnected(CandidatePair validated) {
        if (closed || !connected.compareAndSet(false, true)) {
            return;
        }
        lastConsentMillis = System.currentTimeMillis();
        CandidatePair pair = validated != null ? validated : component.getSelectedPair();
        String local = pair == null ? "?" : String.valueOf(pair.getLocalCandidate().getTransportAddress());
        String remote = pair == null ? "?" : String.valueOf(pair.getRemoteCandidate().getTransportAddress());
        listener.onIceConnected(local, remote);
    }

    /** The remote address of the selected pair, or null. */
    InetSocketAddress remoteAddress() {
        CandidatePair pair = component.getSelectedPair();
        if (pair == null) {
            return null;
        }
        TransportAddress address = pair.getRemoteCandidate().getTransportAddress();
        return new InetSocketAddress(address.getAddress(), address.getPort());
    }

    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pairedAddresses.close(this::dropFromStranger);
        component.setBufferCallback(null);
        if (tcpSendQueue != null) {
            tcpSendQueue.close();
        }
        agent.free();
        port.sessionClosed();
    }
}
