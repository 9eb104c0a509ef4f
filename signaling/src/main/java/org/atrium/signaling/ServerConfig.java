package org.atrium.signaling;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.atrium.sfu.SfuConfig;
import org.atrium.signaling.cluster.ClusterSettings;
import org.atrium.signaling.turn.TurnSettings;

/**
 * The whole server's settings: built-in defaults, then environment variables, then
 * command-line flags (each flag has an {@code ATRIUM_...} variable of the same name).
 *
 * @param httpHost address of the HTTP/WebSocket listener
 * @param httpPort its port (0 = any free port)
 * @param tlsCertificate PEM certificate chain for HTTPS, or null
 * @param tlsKey PEM PKCS#8 private key for HTTPS, or null
 * @param tlsSelfSigned serve HTTPS with a certificate made at start (for trying on a LAN)
 * @param sfu the media side
 * @param adminToken bearer token required by the admin endpoints ({@code /api/*}), or null
 *     for none
 * @param metricsNeedToken whether {@code /metrics} requires the admin token too
 * @param logFormat {@code text} (one readable line per event) or {@code json} (one JSON
 *     object per line)
 * @param jwtSecret HS256 secret (at least 32 bytes) that join tokens may be signed with, or null
 * @param jwtPublicKey PEM file of the P-256 public key that join tokens may be signed for
 *     (ES256), or null; with neither, joins need no token
 * @param limits what a connection, a participant and the server may ask of signaling
 * @param turn the embedded TURN server, external TURN servers, and the credentials clients get
 * @param cluster how this node takes part in a cluster (docs/cluster.md), or null when it runs alone
 */
public record ServerConfig(String httpHost, int httpPort, Path tlsCertificate, Path tlsKey, boolean tlsSelfSigned,
        SfuConfig sfu, String adminToken, boolean metricsNeedToken, String logFormat, String jwtSecret,
        Path jwtPublicKey, SignalingLimits limits, TurnSettings turn, ClusterSettings cluster) {

    /** Shortest HS256 secret: RFC 7518 3.2 wants a key at least as long as the hash. */
    public static final int MIN_JWT_SECRET_BYTES = 32;

    public ServerConfig {
        if (jwtSecret != null && jwtSecret.getBytes(StandardCharsets.UTF_8).length < MIN_JWT_SECRET_BYTES) {
            throw new IllegalArgumentException("--jwt-secret must be at least " + MIN_JWT_SECRET_BYTES
                    + " bytes (e.g. openssl rand -base64 48)");
        }
        java.util.Objects.requireNonNull(turn, "turn");
    }

    /**
     * Settings of the HTTP server alone, with the rest at defaults and no TURN (so that tests in one
     * JVM do not compete for its ports); for tests and embedding.
     */
    public ServerConfig(String httpHost, int httpPort, Path tlsCertificate, Path tlsKey, boolean tlsSelfSigned,
            SfuConfig sfu) {
        this(httpHost, httpPort, tlsCertificate, tlsKey, tlsSelfSigned, sfu, null, false, "text", null, null,
                SignalingLimits.defaults(), TurnSettings.off(), null);
    }

    /** The same settings serving HTTPS (and TURN over TLS) with this PEM chain and PKCS#8 key. */
    public ServerConfig withTls(Path certificate, Path key) {
        return new ServerConfig(httpHost, httpPort, certificate, key, false, sfu, adminToken, metricsNeedToken,
                logFormat, jwtSecret, jwtPublicKey, limits, turn, cluster);
    }

    public ServerConfig withTurn(TurnSettings newTurn) {
        return new ServerConfig(httpHost, httpPort, tlsCertificate, tlsKey, tlsSelfSigned, sfu, adminToken,
                metricsNeedToken, logFormat, jwtSecret, jwtPublicKey, limits, newTurn, cluster);
    }

    /** The same settings with an admin token (null for none). */
    public ServerConfig withAdminToken(String token, boolean protectMetrics) {
        return new ServerConfig(httpHost, httpPort, tlsCertificate, tlsKey, tlsSelfSigned, sfu, token, protectMetrics,
                logFormat, jwtSecret, jwtPublicKey, limits, turn, cluster);
    }

    /** The same settings with join token keys (each may be null; both null: no tokens). */
    public ServerConfig withJoinTokens(String secret, Path publicKey) {
        return new ServerConfig(httpHost, httpPort, tlsCertificate, tlsKey, tlsSelfSigned, sfu, adminToken,
                metricsNeedToken, logFormat, secret, publicKey, limits, turn, cluster);
    }

    public ServerConfig withLimits(SignalingLimits newLimits) {
        return new ServerConfig(httpHost, httpPort, tlsCertificate, tlsKey, tlsSelfSigned, sfu, adminToken,
                metricsNeedToken, logFormat, jwtSecret, jwtPublicKey, newLimits, turn, cluster);
    }

    /** The same settings as a node of a cluster (null: alone). */
    public ServerConfig withCluster(ClusterSettings newCluster) {
        return new ServerConfig(httpHost, httpPort, tlsCertificate, tlsKey, tlsSelfSigned, sfu, adminToken,
                metricsNeedToken, logFormat, jwtSecret, jwtPublicKey, limits, turn, newCluster);
    }

    /** True when joins need a signed token. */
    public boolean needsJoinTokens() {
        return jwtSecret != null || jwtPublicKey != null;
    }

    /** Secrets are left out, so that the settings can be logged. */
    @Override
    public String toString() {
        return "ServerConfig[http=" + httpHost + ":" + httpPort + ", tls=" + (tlsCertificate != null || tlsSelfSigned)
                + ", sfu=" + sfu + ", adminToken=" + (adminToken == null ? "none" : "set") + ", metricsNeedToken="
                + metricsNeedToken + ", logFormat=" + logFormat + ", jwtSecret=" + (jwtSecret == null ? "none" : "set")
                + ", jwtPublicKey=" + jwtPublicKey + ", limits=" + limits + ", turn=" + turn + ", cluster="
                + (cluster == null ? "none" : cluster) + "]";
    }

    public static final String USAGE = """
            Usage: java -jar atrium.jar [options]
              --http-host ADDR       HTTP/WebSocket bind address      (ATRIUM_HTTP_HOST, default 127.0.0.1)
              --http-port PORT       HTTP/WebSocket port              (ATRIUM_HTTP_PORT, default 8080)
              --media-address ADDR   UDP media bind address           (ATRIUM_MEDIA_ADDRESS, default 127.0.0.1)
              --media-port PORT      the one UDP media port           (ATRIUM_MEDIA_PORT, default 10000)
              --ice-tcp-port PORT    the one ICE-TCP port, for clients whose network drops UDP;
                                     -1 off                           (ATRIUM_ICE_TCP_PORT, default
                                                                       the media port's number)
              --public-ip ADDR[,..]  public address(es) announced in ICE candidates, for a host
                                     behind static NAT                 (ATRIUM_PUBLIC_IP, default none)
              --tls-cert FILE        PEM certificate chain: serve HTTPS (ATRIUM_TLS_CERT)
              --tls-key FILE         PEM PKCS#8 private key             (ATRIUM_TLS_KEY)
              --tls-self-signed      serve HTTPS with a throwaway self-signed certificate
                                                                       (ATRIUM_TLS_SELF_SIGNED=true)
              --max-participants N   per room                         (ATRIUM_MAX_PARTICIPANTS, default 50)
              --max-rooms N          per server                       (ATRIUM_MAX_ROOMS, default 1000)
              --packet-cache N       packets kept per video stream for retransmission, a power of
                                     two; 1500 B each                 (ATRIUM_PACKET_CACHE, default 512)
              --packet-cache-age MS  oldest packet retransmitted, ms   (ATRIUM_PACKET_CACHE_AGE, default 1000)
              --keyframe-interval MS at most one keyframe request per stream per interval
                                                                       (ATRIUM_KEYFRAME_INTERVAL, default 300)
              --admin-token TOKEN    bearer token the admin API (/api/*) requires; without it the
                                     API is open                        (ATRIUM_ADMIN_TOKEN)
              --metrics-need-token   /metrics requires the admin token too
                                                                       (ATRIUM_METRICS_NEED_TOKEN=true)
              --log-format FORMAT    text or json (one JSON object a line) (ATRIUM_LOG_FORMAT, default text)
              --jwt-secret SECRET    joins need a token signed HS256 with this secret, at least
                                     32 bytes                           (ATRIUM_JWT_SECRET)
              --jwt-public-key FILE  joins need a token signed ES256 for this PEM P-256 public key
                                                                       (ATRIUM_JWT_PUBLIC_KEY)
              --max-tracks N         tracks one participant may publish (ATRIUM_MAX_TRACKS, default 4)
              --message-rate N       signaling messages per second per connection
                                                                       (ATRIUM_MESSAGE_RATE, default 50)
              --message-burst N      messages a connection may send at once
                                                                       (ATRIUM_MESSAGE_BURST, default 250)
              --max-pending-joins N  joins whose media is not connected yet, server-wide
                                                                       (ATRIUM_MAX_PENDING_JOINS, default 100)
              --max-message-bytes N  largest signaling message          (ATRIUM_MAX_MESSAGE_BYTES, default 65536)
              --max-frame-bytes N    larger WebSocket frames close the connection
                                                                       (ATRIUM_MAX_FRAME_BYTES, default 1048576)
              --max-inbound-bitrate N  bits/s one participant may send; more is dropped
                                     (ATRIUM_MAX_INBOUND_BITRATE, default 20000000)
              --max-inbound-packet-rate N  packets/s one participant may send
                                     (ATRIUM_MAX_INBOUND_PACKET_RATE, default 4000)
              --reconnect-grace S    seconds a participant whose connection dropped stays for its
                                     client to resume     (ATRIUM_RECONNECT_GRACE, default 20)
              --forwarding-threads N threads that encrypt and send to receivers; 0 sends on the
                                     receiving thread (ATRIUM_FORWARDING_THREADS, default: cores - 1
                                     up to 4 with 4 cores or more, else 0)
              --turn-port PORT       embedded TURN server over UDP and TCP; -1 off
                                                                       (ATRIUM_TURN_PORT, default 3478)
              --turn-tls-port PORT   embedded TURN over TLS with the HTTPS certificate (needs --tls-cert
                                     or --tls-self-signed); 443 for networks that let only HTTPS out;
                                     -1 off                            (ATRIUM_TURN_TLS_PORT, default 5349)
              --turn-address ADDR    TURN listeners' and relays' bind address
                                                                       (ATRIUM_TURN_ADDRESS, default: --media-address)
              --turn-host HOST       host name or address in the TURN URLs clients get; with TLS the
                                     certificate must name it   (ATRIUM_TURN_HOST, default: the first
                                     --public-ip, else --turn-address)
              --turn-relay-ports LOW-HIGH  UDP ports of relayed addresses
                                                                       (ATRIUM_TURN_RELAY_PORTS, default 49152-65535)
              --turn-secret SECRET   shared secret of the TURN REST credentials, as coturn's
                                     static-auth-secret         (ATRIUM_TURN_SECRET, default: made at start)
              --turn-credential-lifetime S  seconds the TURN credentials in `joined` stay valid
                                                                       (ATRIUM_TURN_CREDENTIAL_LIFETIME, default 43200)
              --turn-quota N         TURN allocations per participant  (ATRIUM_TURN_QUOTA, default 10)
              --turn-max-allocations N  TURN allocations server-wide (ATRIUM_TURN_MAX_ALLOCATIONS, default 1000)
              --turn-open-relay      relay to any peer, not only this server's media port
                                                                       (ATRIUM_TURN_OPEN_RELAY=true)
              --turn-external-urls URL[,..]  other TURN servers clients are given, e.g. a coturn
                                     (ATRIUM_TURN_EXTERNAL_URLS, e.g. turn:turn.example.org:3478?transport=udp)
              --turn-external-secret SECRET  their static-auth-secret
                                     (ATRIUM_TURN_EXTERNAL_SECRET, default: --turn-secret)
              --redis URI            join a cluster whose shared state is in this Redis:
                                     redis://HOST:PORT, redis://:PASSWORD@HOST:PORT, rediss://..
                                     for TLS (ATRIUM_REDIS, default none: the node is alone)
              --node-id ID           this node's id in the cluster, 1 to 64 of A-Z a-z 0-9 . _ -
                                     (ATRIUM_NODE_ID, default: host name "-" media port)
              --cluster-secret S     shared by every node of the cluster, at least 32 bytes;
                                     required with --redis            (ATRIUM_CLUSTER_SECRET)
              --public-url URL       this node's signaling URL as other nodes hand it out
                                     (ATRIUM_PUBLIC_URL, default: http(s)://HTTP-HOST:HTTP-PORT)
              --node-max-participants N  participants this node takes before a room spills onto
                                     another node (ATRIUM_NODE_MAX_PARTICIPANTS, default no limit)
              --drain-timeout S      on SIGTERM, seconds this node waits for its participants to move
                                     to other nodes before it stops; 0 stops at once
                                     (ATRIUM_DRAIN_TIMEOUT, default 30)
              --help                 this text
            """;

    /** The built-in defaults: everything on 127.0.0.1, the embedded TURN server on its default ports. */
    public static ServerConfig defaults() {
        SfuConfig sfu = SfuConfig.defaults();
        return new ServerConfig("127.0.0.1", 8080, null, null, false, sfu)
                .withTurn(TurnSettings.embedded(sfu.mediaBindAddress()));
    }

    /** Reads environment variables, then flags over them. */
    public static ServerConfig from(Map<String, String> env, String[] args) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (String key : List.of("http-host", "http-port", "media-address", "media-port", "ice-tcp-port", "public-ip", "tls-cert",
                "tls-key", "tls-self-signed", "max-participants", "max-rooms", "packet-cache", "packet-cache-age",
                "keyframe-interval", "admin-token", "metrics-need-token", "log-format", "jwt-secret",
                "jwt-public-key", "max-tracks", "message-rate", "message-burst", "max-pending-joins",
                "max-message-bytes", "max-frame-bytes", "max-inbound-bitrate", "max-inbound-packet-rate", "reconnect-grace",
                "forwarding-threads", "turn-port", "turn-tls-port", "turn-address", "turn-host", "turn-relay-ports",
                "turn-secret", "turn-credential-lifetime", "turn-quota", "turn-max-allocations", "turn-open-relay",
                "turn-external-urls", "turn-external-secret", "redis", "node-id", "cluster-secret", "public-url",
                "node-max-participants", "drain-timeout")) {
            String value = env.get("ATRIUM_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            if (value != null && !value.isBlank()) {
                values.put(key, value.strip());
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String key = arg.substring(2);
            String value;
            int equals = key.indexOf('=');
            if (equals >= 0) {
                value = key.substring(equals + 1);
                key = key.substring(0, equals);
            } else if (key.equals("tls-self-signed") || key.equals("metrics-need-token") || key.equals("turn-open-relay")
                    || key.equals("help")) {
                value = "true";
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + key + " needs a value");
                }
                value = args[++i];
            }
            values.put(key, value);
        }
        ServerConfig defaults = defaults();
        String httpHost = defaults.httpHost;
        int httpPort = defaults.httpPort;
        Path cert = null;
        Path key = null;
        boolean selfSigned = false;
        String adminToken = null;
        boolean metricsNeedToken = false;
        String logFormat = "text";
        String jwtSecret = null;
        Path jwtPublicKey = null;
        SignalingLimits limits = defaults.limits;
        int maxTracks = limits.maxPublishedTracks();
        int messageRate = limits.messageRate();
        int messageBurst = limits.messageBurst();
        int maxPendingJoins = limits.maxPendingJoins();
        int maxMessageBytes = limits.maxMessageBytes();
        int maxFrameBytes = limits.maxFrameBytes();
        SfuConfig sfu = defaults.sfu;
        InetAddress mediaAddress = sfu.mediaBindAddress();
        int mediaPort = sfu.mediaPort();
        // Unset: the ICE-TCP port follows the media port (SfuConfig.withMedia).
        Integer iceTcpPort = null;
        List<InetAddress> publicIps = new ArrayList<>();
        int maxParticipants = sfu.maxParticipantsPerRoom();
        int maxRooms = sfu.maxRooms();
        long inboundBitrate = sfu.inboundLimit().bitsPerSecond();
        int inboundPacketRate = sfu.inboundLimit().packetsPerSecond();
        int reconnectGraceSeconds = (int) SignalingLimits.DEFAULT_RECONNECT_GRACE.toSeconds();
        int forwardingThreads = sfu.forwardingThreads();
        int cachePackets = sfu.packetCache().packets();
        long cacheAgeMillis = sfu.packetCache().maxAge().toMillis();
        long keyframeMillis = sfu.keyframeMinInterval().toMillis();
        TurnFlags turnFlags = new TurnFlags();
        String redis = null;
        String nodeId = null;
        String clusterSecret = null;
        java.net.URI publicUrl = null;
        int nodeMaxParticipants = 0;
        Integer drainTimeoutSeconds = null;
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String value = entry.getValue();
            switch (entry.getKey()) {
                case "http-host" -> httpHost = value;
                case "http-port" -> httpPort = port(value, "--http-port");
                case "media-address" -> mediaAddress = address(value, "--media-address");
                case "media-port" -> mediaPort = port(value, "--media-port");
                case "ice-tcp-port" -> iceTcpPort = inRange(value, "--ice-tcp-port", -1, 65535);
                case "public-ip" -> {
                    for (String part : value.split(",")) {
                        if (!part.isBlank()) {
                            publicIps.add(address(part.strip(), "--public-ip"));
                        }
                    }
                }
                case "tls-cert" -> cert = Path.of(value);
                case "tls-key" -> key = Path.of(value);
                case "tls-self-signed" -> selfSigned = Boolean.parseBoolean(value);
                case "max-participants" -> maxParticipants = positive(value, "--max-participants");
                case "max-rooms" -> maxRooms = positive(value, "--max-rooms");
                case "forwarding-threads" -> forwardingThreads = inRange(value, "--forwarding-threads", 0, 64);
                case "max-inbound-bitrate" -> inboundBitrate = positive(value, "--max-inbound-bitrate");
                case "max-inbound-packet-rate" -> inboundPacketRate = positive(value, "--max-inbound-packet-rate");
                case "reconnect-grace" -> reconnectGraceSeconds = positive(value, "--reconnect-grace");
                case "packet-cache" -> cachePackets = positive(value, "--packet-cache");
                case "packet-cache-age" -> cacheAgeMillis = positive(value, "--packet-cache-age");
                case "keyframe-interval" -> keyframeMillis = positive(value, "--keyframe-interval");
                case "admin-token" -> adminToken = value.isEmpty() ? null : value;
                case "metrics-need-token" -> metricsNeedToken = Boolean.parseBoolean(value);
                case "log-format" -> {
                    if (!value.equals("text") && !value.equals("json")) {
                        throw new IllegalArgumentException("--log-format must be text or json, not '" + value + "'");
                    }
                    logFormat = value;
                }
                case "jwt-secret" -> jwtSecret = value.isEmpty() ? null : value;
                case "jwt-public-key" -> jwtPublicKey = value.isEmpty() ? null : Path.of(value);
                case "max-tracks" -> maxTracks = positive(value, "--max-tracks");
                case "message-rate" -> messageRate = positive(value, "--message-rate");
                case "message-burst" -> messageBurst = positive(value, "--message-burst");
                case "max-pending-joins" -> maxPendingJoins = positive(value, "--max-pending-joins");
                case "max-message-bytes" -> maxMessageBytes = positive(value, "--max-message-bytes");
                case "max-frame-bytes" -> maxFrameBytes = positive(value, "--max-frame-bytes");
                case "redis" -> redis = value.isEmpty() ? null : value;
                case "node-id" -> nodeId = value.isEmpty() ? null : value;
                case "cluster-secret" -> clusterSecret = value.isEmpty() ? null : value;
                case "public-url" -> publicUrl = value.isEmpty() ? null : url(value, "--public-url");
                case "node-max-participants" -> nodeMaxParticipants = positive(value, "--node-max-participants");
                case "drain-timeout" -> drainTimeoutSeconds = inRange(value, "--drain-timeout", 0, 3600);
                case "help" -> throw new HelpRequested();
                case "turn-port", "turn-tls-port", "turn-address", "turn-host", "turn-relay-ports", "turn-secret",
                        "turn-credential-lifetime", "turn-quota", "turn-max-allocations", "turn-open-relay",
                        "turn-external-urls", "turn-external-secret" -> turnFlags.set(entry.getKey(), value);
                default -> throw new IllegalArgumentException("unknown option --" + entry.getKey());
            }
        }
        if (metricsNeedToken && adminToken == null) {
            throw new IllegalArgumentException("--metrics-need-token needs --admin-token");
        }
        ClusterSettings cluster = null;
        if (redis != null) {
            cluster = new ClusterSettings(redis, nodeId != null ? nodeId : ClusterSettings.defaultNodeId(mediaPort),
                    clusterSecret, publicUrl, nodeMaxParticipants, drainTimeoutSeconds == null
                            ? ClusterSettings.DEFAULT_DRAIN_TIMEOUT : java.time.Duration.ofSeconds(drainTimeoutSeconds));
        } else if (nodeId != null || clusterSecret != null || publicUrl != null || nodeMaxParticipants != 0
                || drainTimeoutSeconds != null) {
            throw new IllegalArgumentException(
                    "--node-id, --cluster-secret, --public-url, --node-max-participants and --drain-timeout need --redis");
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (mediaAddress.isAnyLocalAddress()) {
            throw new IllegalArgumentException(
                    "--media-address must be a concrete address of this host (it is announced as the host candidate)");
        }
        SfuConfig.PacketCacheSize cache;
        try {
            cache = new SfuConfig.PacketCacheSize(cachePackets, java.time.Duration.ofMillis(cacheAgeMillis));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--packet-cache: " + e.getMessage());
        }
        SfuConfig.InboundLimit inbound;
        try {
            inbound = new SfuConfig.InboundLimit(inboundBitrate, inboundPacketRate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--max-inbound-bitrate/--max-inbound-packet-rate: " + e.getMessage());
        }
        sfu = sfu.withMedia(mediaAddress, mediaPort, publicIps);
        if (iceTcpPort != null) {
            sfu = sfu.withIceTcpPort(iceTcpPort);
        }
        sfu = sfu.withLimits(maxParticipants, maxRooms)
                .withPacketCache(cache).withKeyframeMinInterval(java.time.Duration.ofMillis(keyframeMillis))
                .withInboundLimit(inbound).withForwardingThreads(forwardingThreads);
        limits = new SignalingLimits(maxTracks, messageRate, messageBurst, maxPendingJoins, maxMessageBytes,
                maxFrameBytes, java.time.Duration.ofSeconds(reconnectGraceSeconds));
        return new ServerConfig(httpHost, httpPort, cert, key, selfSigned, sfu, adminToken, metricsNeedToken,
                logFormat, jwtSecret, jwtPublicKey, limits, turnFlags.settings(mediaAddress), cluster);
    }

    /** Thrown for --help. */
    public static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super("help");
        }
    }

    private static java.net.URI url(String value, String flag) {
        try {
            return new java.net.URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(flag + " must be a URL, not '" + value + "'");
        }
    }

    private static int port(String value, String flag) {
        return inRange(value, flag, 0, 65535);
    }

    static int inRange(String value, String flag, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new IllegalArgumentException(flag + " must be " + min + "-" + max + ", not " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, not '" + value + "'");
        }
    }

    private static int positive(String value, String flag) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new IllegalArgumentException(flag + " must be at least 1");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, not '" + value + "'");
        }
    }

    static InetAddress address(String value, String flag) {
        if (!value.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException(flag + " must be an IP address, not '" + value + "'");
        }
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(flag + " must be an IP address, not '" + value + "'");
        }
    }

    /** True when a browser on another machine could reach the HTTP listener. */
    public boolean isPublic() {
        try {
            InetAddress address = InetAddress.getByName(httpHost);
            return !address.isLoopbackAddress();
        } catch (UnknownHostException e) {
            return true;
        }
    }
}
