package org.atrium.signaling.browser;

import java.net.InetAddress;

/**
 * A client host of a {@link NetworkLab}: a network namespace joined to the server's by a veth pair.
 *
 * @param name the label given to {@link NetworkLab#addClient(String)}
 * @param namespace the named network namespace ({@code ip netns exec NAMESPACE ...})
 * @param address the host's address on its link (10.77.0.11, .12, ...)
 * @param serverSideDevice the veth end in the server's namespace, a port of the lab's bridge; its
 *     egress is the host's downlink
 * @param clientDevice the veth end inside the host's namespace; its egress is the host's uplink
 */
public record LabHost(String name, String namespace, InetAddress address, String serverSideDevice,
        String clientDevice) {

    /** The address as text, e.g. {@code 10.77.0.11}. */
    public String addressText() {
        return address.getHostAddress();
    }

    @Override
    public String toString() {
        return name + " (" + namespace + ", " + addressText() + ")";
    }
}
