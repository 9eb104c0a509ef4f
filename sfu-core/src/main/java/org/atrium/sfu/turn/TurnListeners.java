package org.atrium.sfu.turn;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Where the embedded TURN server listens and relays from.
 *
 * @param bindAddress the concrete local address of every listener and relay socket
 * @param udpPort TURN over UDP (3478 by default); -1 off, 0 an ephemeral port (tests)
 * @param tcpPort TURN over TCP (3478 by default); -1 off, 0 ephemeral
 * @param tlsPort TURN over TLS (5349, or 443 for networks that let only HTTPS out); -1 off,
 *     0 ephemeral. Needs a certificate.
 * @param relayPortMin first port of the relay range (inclusive)
 * @param relayPortMax last port of the relay range (inclusive)
 * @param maxConnections TCP and TLS connections open at once; more are closed at accept
 */
public record TurnListeners(InetAddress bindAddress, int udpPort, int tcpPort, int tlsPort, int relayPortMin,
        int relayPortMax, int maxConnections) {

    public static final int DEFAULT_PORT = 3478;
    public static final int DEFAULT_TLS_PORT = 5349;
    public static final int DEFAULT_RELAY_MIN = 49152;
    public static final int DEFAULT_RELAY_MAX = 65535;
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;

    public TurnListeners {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (bindAddress.isAnyLocalAddress()) {
            throw new IllegalArgumentException("TURN needs a concrete bind address: it is the relay address too");
        }
        for (int port : new int[] {udpPort, tcpPort, tlsPort}) {
            if (port < -1 || port > 65535) {
                throw new IllegalArgumentException("TURN port out of range: " + port);
            }
        }
        if (relayPortMin < 1024 || relayPortMax > 65535 || relayPortMin > relayPortMax) {
            throw new IllegalArgumentException("relay port range must lie within 1024-65535, low to high: "
                    + relayPortMin + "-" + relayPortMax);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
    }

    /** UDP and TCP on 3478, TLS on 5349, relays from 49152-65535. */
    public static TurnListeners defaults(InetAddress bindAddress) {
        return new TurnListeners(bindAddress, DEFAULT_PORT, DEFAULT_PORT, DEFAULT_TLS_PORT, DEFAULT_RELAY_MIN,
                DEFAULT_RELAY_MAX, DEFAULT_MAX_CONNECTIONS);
    }

    public TurnListeners withPorts(int udp, int tcp, int tls) {
        return new TurnListeners(bindAddress, udp, tcp, tls, relayPortMin, relayPortMax, maxConnections);
    }

    public TurnListeners withRelayPorts(int min, int max) {
        return new TurnListeners(bindAddress, udpPort, tcpPort, tlsPort, min, max, maxConnections);
    }

    public TurnListeners withMaxConnections(int max) {
        return new TurnListeners(bindAddress, udpPort, tcpPort, tlsPort, relayPortMin, relayPortMax, max);
    }
}
