package org.atrium.sfu.transport;

import java.util.Objects;

/**
 * An ICE candidate (RFC 8445 5.3), independent of how signaling writes it.
 *
 * @param foundation the candidate's foundation
 * @param component 1 (RTP); with rtcp-mux there is no other
 * @param protocol "udp" or "tcp", lower case
 * @param priority the candidate's priority
 * @param address the IP address, as text
 * @param port the port
 * @param type "host", "srflx", "prflx" or "relay"
 * @param relatedAddress raddr, or null
 * @param relatedPort rport, or -1
 * @param tcpType for TCP candidates (RFC 6544 4.5) "active", "passive" or "so"; null for UDP
 */
public record IceCandidate(
        String foundation,
        int component,
        String protocol,
        long priority,
        String address,
        int port,
        String type,
        String relatedAddress,
        int relatedPort,
        String tcpType) {

    /** RFC 6544 4.5: an active TCP candidate's port is 9, the discard port; it is never connected to. */
    public static final String TCP_ACTIVE = "active";
    public static final String TCP_PASSIVE = "passive";
    public static final String TCP_SIMULTANEOUS_OPEN = "so";

    public IceCandidate {
        Objects.requireNonNull(foundation, "foundation");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if ("udp".equals(protocol) && tcpType != null) {
            throw new IllegalArgumentException("a UDP candidate has no tcptype: " + tcpType);
        }
    }

    /**
     * The priority formula of RFC 8445 5.1.2.1, for candidates we announce.
     *
     * @param typePreference 126 for host, 100 for server reflexive (UDP); see
     *        {@link #tcpLocalPreference} for TCP
     * @param localPreference 0-65535, higher is preferred
     */
    public static long priority(int typePreference, int localPreference, int component) {
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - component);
    }

    /**
     * RFC 6544 4.2: a TCP candidate's local preference is
     * {@code (2^13) * direction-pref + other-pref}. Direction preference ranks the tcptypes
     * (7 best); for a host that is not behind a NAT active 6, passive 4, S-O 2; behind a NAT
     * (our announced, server-reflexive addresses) S-O 6, active 4, passive 2.
     *
     * @param directionPreference 0-7
     * @param otherPreference 0-8191
     */
    public static int tcpLocalPreference(int directionPreference, int otherPreference) {
        if (directionPreference < 0 || directionPreference > 7 || otherPreference < 0 || otherPreference > 8191) {
            throw new IllegalArgumentException("direction 0-7, other 0-8191: " + directionPreference + ", "
                    + otherPreference);
        }
        return (directionPreference << 13) + otherPreference;
    }
}
