package org.atrium.sfu.turn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Stateless NONCEs (RFC 8489 9.2): the time of issue and a MAC of it under a key random per
 * engine, so checking one needs no table and a client cannot forge or extend one. A nonce past its
 * lifetime, or not ours, is stale: 438 and a new one (RFC 8489 9.2.4).
 */
final class NonceMinter {

    static final long LIFETIME_MILLIS = 3_600_000;
    private static final int MAC_BYTES = 10;

    private final byte[] key = new byte[20];
    private final long lifetimeMillis;

    NonceMinter(SecureRandom random, long lifetimeMillis) {
        random.nextBytes(key);
        this.lifetimeMillis = lifetimeMillis;
    }

    /** 16 hex digits of the issue time, then 20 of the MAC: 36 characters, well under NONCE's 763 bytes. */
    String mint(long nowMillis) {
        String issued = HexFormat.of().toHexDigits(nowMillis);
        return issued + mac(issued);
    }

    /** Whether {@code nonce} is one of ours issued within the lifetime before {@code nowMillis}. */
    boolean valid(String nonce, long nowMillis) {
        if (nonce.length() != 16 + 2 * MAC_BYTES) {
            return false;
        }
        String issued = nonce.substring(0, 16);
        if (!MessageDigest.isEqual(mac(issued).getBytes(StandardCharsets.US_ASCII),
                nonce.substring(16).getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        long issuedAt;
        try {
            issuedAt = HexFormat.fromHexDigitsToLong(issued);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return issuedAt <= nowMillis + 1000 && nowMillis - issuedAt < lifetimeMillis;
    }

    private String mac(String issued) {
        byte[] mac = StunIntegrity.hmacSha1(key, issued.getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(mac, 0, MAC_BYTES);
    }
}
