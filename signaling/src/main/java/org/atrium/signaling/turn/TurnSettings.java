package org.atrium.signaling.turn;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.atrium.sfu.turn.TurnListeners;

/**
 * TURN as the server offers it to clients: the embedded TURN server's listeners, the TURN servers
 * of others (such as coturn) that share a secret with this server, and the credentials each
 * participant gets in {@code joined}.
 *
 * @param embedded the embedded server's listeners, or null when it is off
 * @param host the host name or address clients are told to reach the embedded server at; for
 *     TURN over TLS the certificate must name it. Null: the media port's public address if any,
 *     else the listeners' bind address
 * @param secret the shared secret of the TURN REST credentials (coturn's {@code static-auth-secret})
 * @param externalUrls URLs of other TURN servers ({@code turn:host:3478?transport=udp}, ...)
 * @param externalSecret their shared secret; null: the same as {@code secret}
 * @param credentialLifetime how long the credentials handed to a participant stay valid
 * @param allocationsPerParticipant the embedded server's quota per participant
 * @param maxAllocations the embedded server's quota over everyone
 * @param openRelay whether the embedded server relays to any peer, not only this SFU's media port
 */
public record TurnSettings(TurnListeners embedded, String host, String secret, List<String> externalUrls,
        String externalSecret, Duration credentialLifetime, int allocationsPerParticipant, int maxAllocations,
        boolean openRelay) {

    public static final Duration DEFAULT_CREDENTIAL_LIFETIME = Duration.ofHours(12);
    public static final int DEFAULT_ALLOCATIONS_PER_PARTICIPANT = 10;
    public static final int DEFAULT_MAX_ALLOCATIONS = 1000;

    public TurnSettings {
        Objects.requireNonNull(secret, "secret");
        externalUrls = List.copyOf(externalUrls);
        for (String url : externalUrls) {
            if (!url.startsWith("turn:") && !url.startsWith("turns:") && !url.startsWith("stun:")) {
                throw new IllegalArgumentException("a TURN URL starts with turn:, turns: or stun:, not '" + url + "'");
            }
        }
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the TURN secret must not be empty");
        }
        if (credentialLifetime.isNegative() || credentialLifetime.toSeconds() < 60) {
            throw new IllegalArgumentException("TURN credentials must live at least 60 s");
        }
        if (allocationsPerParticipant < 1 || maxAllocations < 1) {
            throw new IllegalArgumentException("TURN quotas must be at least 1");
        }
    }

    /** No TURN at all: {@code joined} carries an empty list. */
    public static TurnSettings off() {
        return new TurnSettings(null, null, randomSecret(), List.of(), null, DEFAULT_CREDENTIAL_LIFETIME,
                DEFAULT_ALLOCATIONS_PER_PARTICIPANT, DEFAULT_MAX_ALLOCATIONS, false);
    }

    /** The embedded server on its default ports at {@code address}, with a secret made now. */
    public static TurnSettings embedded(InetAddress address) {
        return off().withEmbedded(TurnListeners.defaults(address));
    }

    /** The embedded server on ephemeral ports at {@code address} (tests). */
    public static TurnSettings ephemeral(InetAddress address) {
        return off().withEmbedded(TurnListeners.defaults(address).withPorts(0, 0, 0));
    }

    /** A secret for one run of the server: credentials do not outlive it. */
    public static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public TurnSettings withEmbedded(TurnListeners listeners) {
        return new TurnSettings(listeners, host, secret, externalUrls, externalSecret, credentialLifetime,
                allocationsPerParticipant, maxAllocations, openRelay);
    }

    public TurnSettings withExternal(List<String> urls, String sharedSecret) {
        return new TurnSettings(embedded, host, secret, urls, sharedSecret, credentialLifetime,
                allocationsPerParticipant, maxAllocations, openRelay);
    }

    public TurnSettings withSecret(String newSecret) {
        return new TurnSettings(embedded, host, newSecret, externalUrls, externalSecret, credentialLifetime,
                allocationsPerParticipant, maxAllocations, openRelay);
    }

    public TurnSettings withHost(String newHost) {
        return new TurnSettings(embedded, newHost, secret, externalUrls, externalSecret, credentialLifetime,
                allocationsPerParticipant, maxAllocations, openRelay);
    }

    public TurnSettings withQuotas(int perParticipant, int max) {
        return new TurnSettings(embedded, host, secret, externalUrls, externalSecret, credentialLifetime,
                perParticipant, max, openRelay);
    }

    public TurnSettings withCredentialLifetime(Duration lifetime) {
        return new TurnSettings(embedded, host, secret, externalUrls, externalSecret, lifetime,
                allocationsPerParticipant, maxAllocations, openRelay);
    }

    public TurnSettings withOpenRelay(boolean open) {
        return new TurnSettings(embedded, host, secret, externalUrls, externalSecret, credentialLifetime,
                allocationsPerParticipant, maxAllocations, open);
    }

    public byte[] secretBytes() {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The secret the external servers check; the embedded one's when none was given. */
    public byte[] externalSecretBytes() {
        return (externalSecret == null ? secret : externalSecret).getBytes(StandardCharsets.UTF_8);
    }

    /** Secrets are left out, so that the settings can be logged. */
    @Override
    public String toString() {
        return "TurnSettings[embedded=" + embedded + ", host=" + host + ", externalUrls=" + externalUrls
                + ", credentialLifetime=" + credentialLifetime + ", allocationsPerParticipant="
                + allocationsPerParticipant + ", maxAllocations=" + maxAllocations + ", openRelay=" + openRelay + "]";
    }
}
