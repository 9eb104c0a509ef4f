package org.atrium.signaling.browser;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * A symmetric NAT in front of one lab client, built by {@link NetworkLab#addClientBehindNat}.
 *
 * <pre>
 *   server namespace               router &lt;prefix&gt;-r&lt;n&gt;                 client &lt;prefix&gt;-c&lt;n&gt;
 *   bridge port &lt;prefix&gt;v&lt;n&gt; &lt;==&gt; out0 10.77.0.(10+n)/24
 *                                   in0  10.78.n.1/24  &lt;== veth ==&gt;  lab0 10.78.n.2/24
 *                                                                       default via 10.78.n.1
 * </pre>
 *
 * The router forwards (its own {@code ip_forward}) and, with nftables:
 * <ul>
 *   <li>masquerades what leaves {@code out0} with {@code random,fully-random}: every new flow (a new
 *       destination address or port) gets a new, random outside port — endpoint-dependent mapping;
 *   <li>forwards from outside to inside only packets of flows the client started ({@code ct state
 *       established,related}) — address- and port-dependent filtering: unsolicited packets are
 *       dropped, even from the address a mapping was made for if the port differs;
 *   <li>with one exception, the test's WebDriver connections: the server's namespace has a route to
 *       10.78.n.0/24 via the router, and the router forwards new TCP connections from outside to the
 *       client's {@link NetworkLab#CONTROL_PORTS control ports}, unchanged (no NAT), so the test
 *       drives the client's chromedriver at the client's own address. (A DNAT on the router's outside
 *       address does not do: chromedriver refuses requests whose Host header is not one of its own
 *       addresses, "Rejecting request with host: 10.77.0.13:9516".) Anything else sent to 10.78.n.0/24
 *       from outside — an ICE check to the client's private host candidate, say — is dropped.
 * </ul>
 * The client has no route but its default one via the router; the router has no default route, so
 * it reaches only the bridge's 10.77.0.0/24 and its client.
 */
final class NatRouter {

    static final String OUTSIDE_DEVICE = "out0";
    static final String INSIDE_DEVICE = "in0";
    private static final System.Logger LOG = System.getLogger(NatRouter.class.getName());

    private NatRouter() {}

    static LabHost add(NetworkLab lab, String name, int index) {
        String router = lab.prefix() + "-r" + index;
        String namespace = lab.prefix() + "-c" + index;
        String serverSide = lab.prefix() + "v" + index;
        InetAddress outside = NetworkLab.bridgeAddress(index);
        String insideNet = "10.78." + index + ".";
        InetAddress clientAddress;
        try {
            clientAddress = InetAddress.getByName(insideNet + "2");
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        lab.addNamespace(router);
        lab.attachToBridge(serverSide, router, OUTSIDE_DEVICE, outside);
        lab.addNamespace(namespace);
        lab.ip("-n", router, "link", "add", INSIDE_DEVICE, "type", "veth", "peer", "name",
                NetworkLab.CLIENT_DEVICE, "netns", namespace);
        lab.ip("-n", router, "link", "set", INSIDE_DEVICE, "addrgenmode", "none");
        lab.ip("-n", router, "addr", "add", insideNet + "1/24", "dev", INSIDE_DEVICE);
        lab.ip("-n", router, "link", "set", INSIDE_DEVICE, "up");
        lab.ip("-n", namespace, "link", "set", NetworkLab.CLIENT_DEVICE, "addrgenmode", "none");
        lab.ip("-n", namespace, "addr", "add", insideNet + "2/24", "dev", NetworkLab.CLIENT_DEVICE);
        lab.ip("-n", namespace, "link", "set", NetworkLab.CLIENT_DEVICE, "up");
        lab.ip("-n", namespace, "route", "add", "default", "via", insideNet + "1");
        NetworkLab.command(List.of(NetworkLab.executable("ip"), "netns", "exec", router, "sh", "-c",
                "echo 1 > /proc/sys/net/ipv4/ip_forward"));
        int firstControl = NetworkLab.FIRST_CONTROL_PORT;
        int lastControl = firstControl + NetworkLab.CONTROL_PORTS - 1;
        lab.nft(router, """
                table ip atrium_nat {
                  chain postrouting {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "%1$s" masquerade random,fully-random
                  }
                }
                table inet atrium_nat_filter {
                  chain forward {
                    type filter hook forward priority filter; policy drop;
                    ct state established,related accept
                    iifname "%2$s" oifname "%1$s" accept
                    iifname "%1$s" oifname "%2$s" ip saddr %3$s ip daddr %4$s tcp dport %5$d-%6$d ct state new accept
                    counter drop
                  }
                }
                """.formatted(OUTSIDE_DEVICE, INSIDE_DEVICE, NetworkLab.SERVER_ADDRESS, clientAddress.getHostAddress(),
                firstControl, lastControl));
        // The test's way to the client's chromedriver.
        lab.ip("route", "add", insideNet + "0/24", "via", outside.getHostAddress());
        LabHost host = new LabHost(name, namespace, clientAddress, serverSide, NetworkLab.CLIENT_DEVICE, outside,
                router);
        LOG.log(Level.INFO, "network lab: client {0} in namespace {1} at {2} behind NAT {3} at {4}", name,
                namespace, clientAddress.getHostAddress(), router, outside.getHostAddress());
        return host;
    }
}
