package org.atrium.sfu.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import org.ice4j.Transport;
import org.ice4j.ice.Component;
import org.ice4j.ice.ComponentSocket;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.AbstractCandidateHarvester;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;

/**
 * Gathers one UDP host candidate on one given address (127.0.0.1 for local use) with an
 * ephemeral port.
 *
 * <p>ice4j's own host harvester skips loopback interfaces and addresses and gathers on
 * every interface, so a client that must stay on one address (loopback for load tests, a
 * relay's internal address) needs this one. It does what
 * {@code HostCandidateHarvester.harvest} does for each address it accepts: bind a
 * {@link MultiplexingDatagramSocket} (which lets the STUN stack and the application
 * read the same port), register its STUN view with the agent's STUN stack, and add it
 * to the component's merging socket, from which the application reads non-STUN data.
 * Unlike ice4j's single-port harvester it does not depend on
 * {@code AbstractUdpListener.USE_PUSH_API}, which the SFU switches on for the whole JVM.
 */
final class HostCandidateHarvester extends AbstractCandidateHarvester {

    private final InetAddress address;

    HostCandidateHarvester(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            throw new IllegalArgumentException("a host candidate needs a concrete unicast address, not " + address);
        }
        this.address = address;
    }

    @Override
    public Collection<LocalCandidate> harvest(Component component) {
        IceSocketWrapper socket;
        try {
            socket = new IceUdpSocketWrapper(new MultiplexingDatagramSocket(0, address));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a UDP socket on " + address, e);
        }
        HostCandidate candidate = new HostCandidate(socket, component, Transport.UDP);
        component.addLocalCandidate(candidate);
        candidate.getStunStack().addSocket(candidate.getStunSocket(null));
        ComponentSocket componentSocket = component.getComponentSocket();
        if (componentSocket != null) {
            componentSocket.add(socket);
        }
        return List.of(candidate);
    }

    /** A host harvester runs before the others, and also when dynamic ports are off. */
    @Override
    public boolean isHostHarvester() {
        return true;
    }
}
