package org.atrium.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.atrium.sfu.SfuConfig;
import org.atrium.signaling.cluster.ClusterSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerConfigTest {

    @Test
    void builtInDefaultsNeedNothing() {
        ServerConfig config = ServerConfig.from(Map.of(), new String[0]);
        assertEquals("127.0.0.1", config.httpHost());
        assertEquals(8080, config.httpPort());
        assertEquals(10000, config.sfu().mediaPort());
        assertEquals(10000, config.sfu().iceTcpPort(), "operators open 10000, UDP and TCP");
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
        assertEquals(20000, config.sfu().iceTcpPort(), "follows the media port unless set");
        assertEquals(List.of(InetAddress.getByName("203.0.113.7"), InetAddress.getByName("203.0.113.8")),
                config.sfu().announcedAddresses());
        assertEquals(5, config.sfu().maxRooms());
        assertEquals(1024, config.sfu().packetCache().packets());
        assertEquals(Duration.ofMillis(500), config.sfu().packetCache().maxAge());
        assertEquals(Duration.ofMillis(200), config.sfu().keyframeMinInterval());
    }

    @Test
    void iceTcpPortIsSetApartOrTurnedOff() {
        assertEquals(443, ServerConfig.from(Map.of(), new String[] {"--ice-tcp-port", "443", "--media-port", "20000"})
                .sfu().iceTcpPort());
        ServerConfig off = ServerConfig.from(Map.of("ATRIUM_ICE_TCP_PORT", "-1"), new String[0]);
        assertEquals(-1, off.sfu().iceTcpPort());
        assertEquals(false, off.sfu().iceTcpEnabled());
        assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.from(Map.of(), new String[] {"--ice-tcp-port", "-2"}));
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

    @Test
    void turnIsOnByDefaultOnTheMediaAddress() {
        ServerConfig config = ServerConfig.from(Map.of(), new String[0]);
        assertEquals(3478, config.turn().embedded().udpPort());
        assertEquals(3478, config.turn().embedded().tcpPort());
        assertEquals(5349, config.turn().embedded().tlsPort());
        assertEquals(config.sfu().mediaBindAddress(), config.turn().embedded().bindAddress());
        assertEquals(Duration.ofHours(12), config.turn().credentialLifetime());
        assertEquals(false, config.turn().openRelay());
        assertEquals(List.of(), config.turn().externalUrls());
        assertTrue(config.turn().secret().length() >= 32, "a secret made at start");
        assertTrue(!config.toString().contains(config.turn().secret()), "the secret is not logged");
    }

    @Test
    void turnComesFromEnvironmentOrFlags() throws Exception {
        ServerConfig config = ServerConfig.from(Map.of("ATRIUM_TURN_SECRET", "s3cret", "ATRIUM_TURN_EXTERNAL_URLS",
                "turn:turn.example.org:3478?transport=udp, turns:turn.example.org:443?transport=tcp"),
                new String[] {"--turn-port", "3479", "--turn-tls-port", "443", "--turn-relay-ports", "50000-50100",
                        "--turn-host", "sfu.example.org", "--turn-quota", "3", "--turn-max-allocations", "30",
                        "--turn-credential-lifetime", "600", "--turn-open-relay", "--media-address", "10.0.0.5"});
        assertEquals(3479, config.turn().embedded().udpPort());
        assertEquals(443, config.turn().embedded().tlsPort());
        assertEquals(50000, config.turn().embedded().relayPortMin());
        assertEquals(50100, config.turn().embedded().relayPortMax());
        assertEquals(InetAddress.getByName("10.0.0.5"), config.turn().embedded().bindAddress());
        assertEquals("sfu.example.org", config.turn().host());
        assertEquals("s3cret", config.turn().secret());
        assertEquals(List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:443?transport=tcp"),
                config.turn().externalUrls());
        assertEquals(3, config.turn().allocationsPerParticipant());
        assertEquals(30, config.turn().maxAllocations());
        assertEquals(Duration.ofSeconds(600), config.turn().credentialLifetime());
        assertEquals(true, config.turn().openRelay());

        ServerConfig off = ServerConfig.from(Map.of(), new String[] {"--turn-port", "-1", "--turn-tls-port", "-1"});
        assertEquals(null, off.turn().embedded(), "no embedded server with both ports off");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--turn-port=70000", "--turn-relay-ports=5000", "--turn-relay-ports=60000-50000",
            "--turn-credential-lifetime=10", "--turn-quota=0", "--turn-external-urls=http://x",
            "--turn-external-urls=turn:x:3478", "--turn-address=0.0.0.0"})
    void badTurnSettingsAreRefusedWithTheFlagNamed(String flag) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.from(Map.of(), new String[] {flag}));
        assertTrue(e.getMessage().contains("turn") || e.getMessage().contains("TURN"), e.getMessage());
    }

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void withoutRedisTheNodeIsAlone() {
        assertEquals(null, ServerConfig.from(Map.of(), new String[0]).cluster());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.from(Map.of(), new String[] {"--node-id", "a"}));
        assertTrue(e.getMessage().contains("need --redis"), e.getMessage());
    }

    @Test
    void theDrainTimeoutIsThirtySecondsUnlessSetAndNeedsRedis() {
        String[] cluster = {"--redis", "redis://127.0.0.1:6379", "--cluster-secret", SECRET};
        assertEquals(Duration.ofSeconds(30), ServerConfig.from(Map.of(), cluster).cluster().drainTimeout());
        assertEquals(Duration.ofSeconds(5), ServerConfig.from(Map.of("ATRIUM_DRAIN_TIMEOUT", "5"), cluster)
                .cluster().drainTimeout());
        String[] zero = {"--redis", "redis://127.0.0.1:6379", "--cluster-secret", SECRET, "--drain-timeout", "0"};
        assertEquals(Duration.ZERO, ServerConfig.from(Map.of(), zero).cluster().drainTimeout());
        String[] negative = {"--redis", "redis://127.0.0.1:6379", "--cluster-secret", SECRET, "--drain-timeout=-1"};
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerConfig.from(Map.of(), negative))
                .getMessage().contains("--drain-timeout"));
        IllegalArgumentException alone = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.from(Map.of(), new String[] {"--drain-timeout", "10"}));
        assertTrue(alone.getMessage().contains("need --redis"), alone.getMessage());
    }

    @Test
    void clusterSettingsComeFromEnvironmentOrFlags() {
        ServerConfig config = ServerConfig.from(Map.of("ATRIUM_REDIS", "redis://:pw@10.0.0.5:6380",
                "ATRIUM_CLUSTER_SECRET", SECRET, "ATRIUM_NODE_MAX_PARTICIPANTS", "200"),
                new String[] {"--node-id", "sfu-1.eu", "--public-url", "https://sfu1.example.org"});
        ClusterSettings cluster = config.cluster();
        assertEquals("redis://:pw@10.0.0.5:6380", cluster.redis());
        assertEquals("sfu-1.eu", cluster.nodeId());
        assertEquals(java.net.URI.create("https://sfu1.example.org"), cluster.publicUrl());
        assertEquals(200, cluster.maxParticipants());
        assertTrue(!config.toString().contains("pw") && !config.toString().contains(SECRET), config.toString());
    }

    @Test
    void theDefaultNodeIdIsTheHostNameAndMediaPortMadeValid() {
        ServerConfig config = ServerConfig.from(Map.of(), new String[] {"--redis", "redis://127.0.0.1:6379",
                "--cluster-secret", SECRET, "--media-port", "10002"});
        assertTrue(config.cluster().nodeId().endsWith("-10002"), config.cluster().nodeId());
        assertTrue(org.atrium.cluster.NodeInfo.isValidId(config.cluster().nodeId()));
        assertEquals(0, config.cluster().maxParticipants(), "no limit");
        assertEquals(null, config.cluster().publicUrl(), "derived from the listener at start");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --redis=redis://127.0.0.1:6379                                              | --cluster-secret
            --redis=redis://127.0.0.1:6379 --cluster-secret=short                       | at least 32 bytes
            --redis=notauri:// --cluster-secret=0123456789abcdef0123456789abcdef        | --redis
            --redis=redis://h:1 --cluster-secret=0123456789abcdef0123456789abcdef --node-id=a/b | --node-id
            --redis=redis://h:1 --cluster-secret=0123456789abcdef0123456789abcdef --public-url=ftp://x | --public-url
            --redis=redis://h:1 --cluster-secret=0123456789abcdef0123456789abcdef --node-max-participants=0 | --node-max-participants
            """)
    void badClusterSettingsAreRefusedWithTheFlagNamed(String args, String named) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.from(Map.of(), args.trim().split(" ")));
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"host.example.org, 10000, host.example.org-10000", "'my host!', 10000, my-host--10000",
            "'', 0, atrium-0"})
    void nodeIdsAreSanitised(String host, int port, String expected) {
        assertEquals(expected, ClusterSettings.sanitisedNodeId(host, port));
    }
}
