package org.atrium.signaling;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.atrium.sfu.turn.TurnListeners;
import org.atrium.signaling.turn.TurnSettings;

/** The {@code --turn-*} flags of {@link ServerConfig}, gathered, then turned into {@link TurnSettings}. */
final class TurnFlags {

    private int port = TurnListeners.DEFAULT_PORT;
    private int tlsPort = TurnListeners.DEFAULT_TLS_PORT;
    private InetAddress address;
    private String host;
    private int relayMin = TurnListeners.DEFAULT_RELAY_MIN;
    private int relayMax = TurnListeners.DEFAULT_RELAY_MAX;
    private String secret;
    private Duration lifetime = TurnSettings.DEFAULT_CREDENTIAL_LIFETIME;
    private int quota = TurnSettings.DEFAULT_ALLOCATIONS_PER_PARTICIPANT;
    private int maxAllocations = TurnSettings.DEFAULT_MAX_ALLOCATIONS;
    private boolean openRelay;
    private final List<String> externalUrls = new ArrayList<>();
    private String externalSecret;

    void set(String key, String value) {
        String flag = "--" + key;
        switch (key) {
            case "turn-port" -> port = portOrOff(value, flag);
            case "turn-tls-port" -> tlsPort = portOrOff(value, flag);
            case "turn-address" -> address = ServerConfig.address(value, flag);
            case "turn-host" -> host = value.isBlank() ? null : value.strip();
            case "turn-relay-ports" -> {
                String[] parts = value.split("-");
                if (parts.length != 2) {
                    throw new IllegalArgumentException(flag + " must be LOW-HIGH, e.g. 49152-65535, not '" + value + "'");
                }
                relayMin = number(parts[0].strip(), flag, 1024, 65535);
                relayMax = number(parts[1].strip(), flag, relayMin, 65535);
            }
            case "turn-secret" -> secret = value.isEmpty() ? null : value;
            case "turn-credential-lifetime" -> lifetime = Duration.ofSeconds(number(value, flag, 60, 7 * 86400));
            case "turn-quota" -> quota = number(value, flag, 1, 100_000);
            case "turn-max-allocations" -> maxAllocations = number(value, flag, 1, 1_000_000);
            case "turn-open-relay" -> openRelay = Boolean.parseBoolean(value);
            case "turn-external-urls" -> {
                externalUrls.clear();
                for (String url : value.split(",")) {
                    if (!url.isBlank()) {
                        externalUrls.add(url.strip());
                    }
                }
            }
            case "turn-external-secret" -> externalSecret = value.isEmpty() ? null : value;
            default -> throw new IllegalArgumentException("unknown option " + flag);
        }
    }

    /** The settings, the listeners bound to {@code mediaAddress} unless --turn-address says otherwise. */
    TurnSettings settings(InetAddress mediaAddress) {
        InetAddress bind = address != null ? address : mediaAddress;
        if (bind.isAnyLocalAddress()) {
            throw new IllegalArgumentException("--turn-address must be a concrete address: it is the relay address too");
        }
        TurnSettings settings = TurnSettings.off();
        if (port >= 0 || tlsPort >= 0) {
            settings = settings.withEmbedded(TurnListeners.defaults(bind).withPorts(port, port, tlsPort)
                    .withRelayPorts(relayMin, relayMax));
        }
        if (secret != null) {
            settings = settings.withSecret(secret);
        }
        if (!externalUrls.isEmpty() && externalSecret == null && secret == null) {
            throw new IllegalArgumentException(
                    "--turn-external-urls needs --turn-external-secret (or --turn-secret): their static-auth-secret");
        }
        return settings.withHost(host).withExternal(externalUrls, externalSecret).withCredentialLifetime(lifetime)
                .withQuotas(quota, maxAllocations).withOpenRelay(openRelay);
    }

    private static int portOrOff(String value, String flag) {
        return number(value, flag, -1, 65535);
    }

    private static int number(String value, String flag, int min, int max) {
        return ServerConfig.inRange(value.strip(), flag, min, max);
    }
}
