package org.atrium.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerConfigTest {

    @Test
    void builtInDefaultsNeedNothing() {
        ServerConfig config = ServerConfig.from(Map.of(), new String[0]);
        assertEquals("127.0.0.1", config.httpHost());
        assertEquals(8080, config.httpPort());
        assertEquals(10000, config.sfu().mediaPort());
        assertTrue(config.sfu().mediaBindAddress().isLoopbackAddress());
        assertEquals(List.of(), config.sfu().announcedAddresses());
        assertEquals(512, config.sfu().packetCache().packets());
        assertEquals(null, config.adminToken(), "the admin API is open without a token");
        assertEquals(false, config.metricsNeedToken());
        assertEquals("text", config.logFormat());
    }

    @Test
    void adminTokenAndLogFormatComeFromEnvironmentOrFlags() {
        ServerConfig fromEnv = ServerConfig.from(Map.of("ATRIUM_ADMIN_TOKEN", "t0ken", "ATRIUM_METRICS_NEED_TOKEN",
                "true", "ATRIUM_LOG_FORMAT", "json"), new String[0]);
        assertEquals("t0ken", fromEnv.adminToken());
        assertTrue(fromEnv.metricsNeedToken());
        assertEquals("json", fromEnv.logFormat());
        ServerConfig fromFlags = ServerConfig.from(Map.of(),
                new String[] {"--admin-token", "other", "--metrics-need-token", "--log-format=text"});
        assertEquals("other", fromFlags.adminToken());
        assertTrue(fromFlags.metricsNeedToken());
        assertEquals("text", fromFlags.logFormat());
    }

    @Test
    void flagsOverrideEnvironment() throws Exception {
        ServerConfig config = ServerConfig.from(
                Map.of("ATRIUM_HTTP_PORT", "9000", "ATRIUM_PUBLIC_IP", "203.0.113.7,203.0.113.8",
                        "ATRIUM_MAX_ROOMS", "5"),
                new String[] {"--http-port", "9001", "--media-port=20000", "--packet-cache", "1024",
                        "--packet-cache-age", "500", "--keyframe-interval", "200"});
        assertEquals(9001, config.httpPort());
        assertEquals(20000, config.sfu().mediaPort());
        assertEquals(List.of(InetAddress.getByName("203.0.113.7"), InetAddress.getByName("203.0.113.8")),
                config.sfu().announcedAddresses());
        assertEquals(5, config.sfu().maxRooms());
        assertEquals(1024, config.sfu().packetCache().packets());
        assertEquals(Duration.ofMillis(500), config.sfu().packetCache().maxAge());
        assertEquals(Duration.ofMillis(200), config.sfu().keyframeMinInterval());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--http-port=70000", "--media-address=0.0.0.0", "--public-ip=example.com",
            "--packet-cache=1000", "--max-rooms=0", "--tls-cert=/x.pem", "--no-such-flag=1", "stray", "--http-port", "--log-format=xml",
            "--metrics-need-token"})
    void refusesBadSettingsWithAMessage(String flag) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.from(Map.of(), new String[] {flag}));
        assertTrue(e.getMessage().length() > 10, e.getMessage());
    }
}
