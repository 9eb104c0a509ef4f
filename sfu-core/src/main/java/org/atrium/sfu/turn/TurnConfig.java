package org.atrium.sfu.turn;

import java.time.Duration;
import java.util.Objects;

/**
 * The embedded TURN server's settings (RFC 8656). Immutable: start from {@link #defaults} and
 * override with the record's constructor; the constructor validates.
 *
 * @param realm the REALM of long-term credentials (RFC 8489 9.2), part of every client's key
 * @param secret the shared secret of the TURN REST API scheme ({@link TurnCredentials}); kept as a copy
 * @param defaultLifetime an allocation's lifetime when the client asks for none or for less (RFC 8656 7.2)
 * @param maxLifetime the most a client's LIFETIME can get
 * @param maxAllocationsPerIdentity live allocations per identity, the part of the username after its first ':'
 * @param maxAllocations live allocations on the whole server
 * @param peers where relays may send (by default the SFU's own media addresses: not an open relay)
 */
public record TurnConfig(String realm, byte[] secret, Duration defaultLifetime, Duration maxLifetime,
        int maxAllocationsPerIdentity, int maxAllocations, PeerPolicy peers) {

    public TurnConfig {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(defaultLifetime, "defaultLifetime");
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        Objects.requireNonNull(peers, "peers");
        if (realm.isBlank()) {
            throw new IllegalArgumentException("realm is blank");
        }
        if (secret.length == 0) {
            throw new IllegalArgumentException("secret is empty");
        }
        if (defaultLifetime.toSeconds() < 1) {
            throw new IllegalArgumentException("defaultLifetime under 1 s: " + defaultLifetime);
        }
        if (maxLifetime.compareTo(defaultLifetime) < 0) {
            throw new IllegalArgumentException("maxLifetime " + maxLifetime + " under defaultLifetime " + defaultLifetime);
        }
        if (maxLifetime.toSeconds() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("maxLifetime does not fit LIFETIME's 32 bits: " + maxLifetime);
        }
        if (maxAllocationsPerIdentity < 1 || maxAllocations < 1) {
            throw new IllegalArgumentException("allocation quotas must be at least 1: " + maxAllocationsPerIdentity
                    + " per identity, " + maxAllocations + " in all");
        }
        secret = secret.clone();
    }

    /** Realm "atrium", 600 s default lifetime (RFC 8656 3.2's recommendation), 3600 s at most, 10 per identity, 1000 in all. */
    public static TurnConfig defaults(byte[] secret, PeerPolicy peers) {
        return new TurnConfig("atrium", secret, Duration.ofSeconds(600), Duration.ofSeconds(3600), 10, 1000, peers);
    }

    /** A copy: the record keeps its own. */
    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** RFC 8656 7.2 and 7.3: min(requested, max), and the default when that is less; the default when absent (-1). */
    long lifetimeSeconds(long requested) {
        long max = maxLifetime.toSeconds();
        long dflt = defaultLifetime.toSeconds();
        if (requested < 0) {
            return dflt;
        }
        return Math.max(Math.min(requested, max), dflt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TurnConfig c && realm.equals(c.realm) && java.util.Arrays.equals(secret, c.secret)
                && defaultLifetime.equals(c.defaultLifetime) && maxLifetime.equals(c.maxLifetime)
                && maxAllocationsPerIdentity == c.maxAllocationsPerIdentity && maxAllocations == c.maxAllocations
                && peers.equals(c.peers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(realm, java.util.Arrays.hashCode(secret), defaultLifetime, maxLifetime,
                maxAllocationsPerIdentity, maxAllocations, peers);
    }

    /** Leaves the secret out. */
    @Override
    public String toString() {
        return "TurnConfig[realm=" + realm + ", defaultLifetime=" + defaultLifetime + ", maxLifetime=" + maxLifetime
                + ", maxAllocationsPerIdentity=" + maxAllocationsPerIdentity + ", maxAllocations=" + maxAllocations
                + ", peers=" + peers + "]";
    }
}
