package org.atrium.signaling.browser;

import java.net.InetAddress;

/**
 * A client host of a {@link NetworkLab}: a network namespace joined to the server's by a veth pair,
 * directly ({@link NetworkLab#addClient}) or through a NAT router ({@link
 * NetworkLab#addClientBehindNat}).
 *
 * @param name the label given to {@link NetworkLab#addClient(String)}
 * @param namespace the named network namespace ({@code ip netns exec NAMESPACE ...})
 * @param address the host's own address on its link (10.77.0.11, .12, ...; behind a NAT its
 *     private address 10.78.n.2)
 * @param serverSideDevice the veth end in the server's namespace, a port of the lab's bridge; its
 *     egress is the host's downlink (behind a NAT: the router's port)
 * @param clientDevice the veth end inside the host's namespace; its egress is the host's uplink
 * @param publicAddress the source address the server sees on the host's packets: {@code address},
 *     or behind a NAT the router's outside address (10.77.0.(10+n))
 * @param natRouter the namespace of the host's NAT router, or null when the host is on the bridge
 */
public record LabHost(String name, String namespace, InetAddress address, String serverSideDevice,
        String clientDevice, InetAddress publicAddress, String natRouter) {

    /** A host directly on the lab's bridge. */
    public LabHost(String name, String namespace, InetAddress address, String serverSideDevice,
            String clientDevice) {
        this(name, namespace, address, serverSideDevice, clientDevice, address, null);
    }

    /** The address as text, e.g. {@code 10.77.0.11}. */
    public String addressText() {
        return address.getHostAddress();
    }

    /** True when the host reaches the server through a NAT router. */
    public boolean behindNat() {
        return natRouter != null;
    }

    @Override
    public String toString() {
        return name + " (" + namespace + ", " + addressText()
                + (behindNat() ? " behind NAT " + publicAddress.getHostAddress() : "") + ")";
    }
}
