package org.atrium.signaling.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The WebSocket URL a redirect names, from a node's signaling URL. */
class WebSocketUrlTest {

    @ParameterizedTest
    @CsvSource({
        "http://127.0.0.1:8080,              ws://127.0.0.1:8080/ws",
        "https://sfu1.example.org,           wss://sfu1.example.org/ws",
        "https://sfu1.example.org/,          wss://sfu1.example.org/ws",
        "https://example.org:8443/atrium/,   wss://example.org:8443/atrium/ws",
        "http://[::1]:8080,                  ws://[::1]:8080/ws",
    })
    void followsTheSchemeAndKeepsThePath(String signalingUrl, String expected) {
        assertEquals(expected, ClusterNode.webSocketUrl(URI.create(signalingUrl)));
    }
}
