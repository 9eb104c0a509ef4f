package org.atrium.signaling.turn;

import java.util.List;

/**
 * One entry of {@code joined.iceServers}, shaped like WebRTC's {@code RTCIceServer} so that a
 * client passes the list to its {@code RTCPeerConnection} as it is.
 *
 * @param urls {@code turn:} / {@code turns:} URLs (RFC 7065) sharing these credentials
 * @param username the TURN REST username, {@code expiry:identity}
 * @param credential its password
 */
public record IceServer(List<String> urls, String username, String credential) {

    public IceServer {
        urls = List.copyOf(urls);
    }
}
