package org.atrium.signaling.browser;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Per-host firewalls of a {@link NetworkLab}: one nftables table, {@code inet atrium_fw}, in the
 * client's own namespace, hooked on input and output (so it holds for a host behind a NAT too).
 * Loopback is never filtered. Setting a firewall replaces the host's previous one atomically
 * (one {@code nft -f} transaction). Each table ends in a counting drop rule: {@code ip netns exec
 * NS nft list table inet atrium_fw} shows what it dropped.
 */
final class LabFirewall {

    static final String TABLE = "atrium_fw";
    private static final System.Logger LOG = System.getLogger(LabFirewall.class.getName());

    private LabFirewall() {}

    /** Drops UDP in both directions; everything else passes. */
    static void blockUdp(NetworkLab lab, LabHost host) {
        replace(lab, host, """
                table inet %1$s {
                  chain input {
                    type filter hook input priority filter; policy accept;
                    iifname "lo" accept
                    meta l4proto udp counter drop
                  }
                  chain output {
                    type filter hook output priority filter; policy accept;
                    oifname "lo" accept
                    meta l4proto udp counter drop
                  }
                }
                """.formatted(TABLE));
        LOG.log(Level.INFO, "network lab: {0} drops all UDP", host);
    }

    /**
     * Only TCP from the host to the server's {@code serverTcpPorts} (and its replies), and the test's
     * WebDriver connections into the host's control ports (and their replies); everything else is
     * dropped.
     */
    static void allowOnlyTcpTo(NetworkLab lab, LabHost host, Set<Integer> serverTcpPorts) {
        if (serverTcpPorts.isEmpty()) {
            throw new IllegalArgumentException("no port to allow");
        }
        for (int port : serverTcpPorts) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
        }
        String ports = new TreeSet<>(serverTcpPorts).stream().map(String::valueOf)
                .collect(Collectors.joining(", "));
        int firstControl = NetworkLab.FIRST_CONTROL_PORT;
        int lastControl = firstControl + NetworkLab.CONTROL_PORTS - 1;
        replace(lab, host, """
                table inet %1$s {
                  chain input {
                    type filter hook input priority filter; policy drop;
                    iifname "lo" accept
                    ct state established,related accept
                    ip saddr %2$s tcp dport %4$d-%5$d accept
                    counter drop
                  }
                  chain output {
                    type filter hook output priority filter; policy drop;
                    oifname "lo" accept
                    ct state established,related accept
                    ip daddr %2$s tcp dport { %3$s } accept
                    counter drop
                  }
                }
                """.formatted(TABLE, NetworkLab.SERVER_ADDRESS, ports, firstControl, lastControl));
        LOG.log(Level.INFO, "network lab: {0} may reach only TCP {1}:{2}", host, NetworkLab.SERVER_ADDRESS,
                ports);
    }

    static void remove(NetworkLab lab, LabHost host) {
        lab.nft(host.namespace(), "table inet %1$s\ndelete table inet %1$s\n".formatted(TABLE));
    }

    /** Declaring the table first makes the delete succeed when it does not exist yet. */
    private static void replace(NetworkLab lab, LabHost host, String table) {
        lab.nft(host.namespace(), "table inet %1$s\ndelete table inet %1$s\n".formatted(TABLE) + table);
    }
}
