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
        int relatedPort) {

    public IceCandidate {
        Objects.requireNonNull(foundation, "foundation");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * The priority formula of RFC 8445 5.1.2.1, for candidates we announce.
     *
     * @param typePreference 126 for host, 100 for server reflexive
     * @param localPreference 0-65535, higher is preferred
     */
    public static long priority(int typePreference, int localPreference, int component) {
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - component);
    }
}
