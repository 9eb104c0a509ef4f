package org.atrium.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.atrium.sfu.SfuConfig;
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
        assertEquals(SfuConfig.InboundLimit.DEFAULT, config.sfu().inboundLimit());
    }

    @Test
    void inboundLimitComesFromEnvironmentOrFlags() {
        ServerConfig config = ServerConfig.from(Map.of("ATRIUM_MAX_INBOUND_BITRATE", "8000000"),
                new String[] {"--max-inbound-packet-rate", "1500"});
        assertEquals(new SfuConfig.InboundLimit(8_000_000, 1500), config.sfu().inboundLimit());
        assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.from(Map.of(), new String[] {"--max-inbound-bitrate", "1000"}));
    }

    @Test
    void forwardingThreadsComeFromEnvironmentOrFlagsWithinZeroToSixtyFour() {
        assertEquals(SfuConfig.defaultForwardingThreads(), ServerConfig.from(Map.of(), new String[0]).sfu()
                .forwardingThreads());
        assertEquals(3, ServerConfig.from(Map.of("ATRIUM_FORWARDING_THREADS", "3"), new String[0]).sfu()
                .forwardingThreads());
        assertEquals(0, ServerConfig.from(Map.of("ATRIUM_FORWARDING_THREADS", "3"),
                new String[] {"--forwarding-threads", "0"}).sfu().forwardingThreads());
        for (String bad : new String[] {"-1", "65", "two"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ServerConfig.from(Map.of(), new String[] {"--forwarding-threads", bad}));
            assertTrue(e.getMessage().contains("--forwarding-threads"), e.getMessage());
        }
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

    @Test
    void joinTokensAndLimitsComeFromEnvironmentOrFlags() {
        assertEquals(false, ServerConfig.from(Map.of(), new String[0]).needsJoinTokens(), "open by default");
        assertEquals(SignalingLimits.defaults(), ServerConfig.from(Map.of(), new String[0]).limits());
        String secret = "0123456789abcdef0123456789abcdef";
        ServerConfig config = ServerConfig.from(
                Map.of("ATRIUM_JWT_SECRET", secret, "ATRIUM_MESSAGE_RATE", "7", "ATRIUM_MAX_TRACKS", "1"),
                new String[] {"--jwt-public-key", "/etc/atrium/es256.pub", "--message-burst", "9",
                        "--max-pending-joins=3", "--max-message-bytes", "1000", "--max-frame-bytes", "2000",
                        "--message-rate", "8"});
        assertEquals(secret, config.jwtSecret());
        assertEquals(java.nio.file.Path.of("/etc/atrium/es256.pub"), config.jwtPublicKey());
        assertTrue(config.needsJoinTokens());
        assertEquals(new SignalingLimits(1, 8, 9, 3, 1000, 2000), config.limits());
        assertTrue(!config.toString().contains(secret), "secrets stay out of logs: " + config);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--http-port=70000", "--media-address=0.0.0.0", "--public-ip=example.com",
            "--packet-cache=1000", "--max-rooms=0", "--tls-cert=/x.pem", "--no-such-flag=1", "stray", "--http-port", "--log-format=xml",
            "--metrics-need-token", "--jwt-secret=only-31-bytes-long-0123456789ab", "--max-tracks=0",
            "--message-rate=0", "--max-pending-joins=x", "--max-frame-bytes=100"})
    void refusesBadSettingsWithAMessage(String flag) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.from(Map.of(), new String[] {flag}));
        assertTrue(e.getMessage().length() > 10, e.getMessage());
    }
}
