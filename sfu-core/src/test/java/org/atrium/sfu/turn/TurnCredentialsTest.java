package org.atrium.sfu.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** TURN REST API credentials, the config's defaults and checks, and the peer policy. */
class TurnCredentialsTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Known answers, each cross-checked with {@code echo -n USERNAME | openssl dgst -sha1 -hmac SECRET -binary | base64}. */
    @ParameterizedTest(name = "HMAC-SHA1({0}, {1})")
    @CsvSource({
            "secret, user, An2kjIxkLKTFjrmC7sgZFReed6M=",
            "atrium-secret, 1700000000:alice, 9RzK9/rKfHG3qm2MJHO7K4CVDXQ="})
    void passwordIsBase64OfHmacSha1OfTheUsername(String secret, String username, String password) {
        assertEquals(password, TurnCredentials.password(utf8(secret), username));
    }

    @Test
    void mintPutsTheExpiryBeforeTheIdentity() {
        TurnCredential credential = new TurnCredentials(utf8("atrium-secret"))
                .mint("alice", Instant.ofEpochSecond(1_699_999_000), Duration.ofSeconds(1000));
        assertEquals("1700000000:alice", credential.username());
        assertEquals("9RzK9/rKfHG3qm2MJHO7K4CVDXQ=", credential.password());
        assertEquals(Instant.ofEpochSecond(1_700_000_000), credential.expires());
        assertFalse(credential.toString().contains(credential.password()));
    }

    @Test
    void mintRefusesEmptyIdentityAndNonPositiveValidity() {
        TurnCredentials credentials = new TurnCredentials(utf8("s"));
        assertThrows(IllegalArgumentException.class, () -> credentials.mint("", Instant.EPOCH, Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> credentials.mint("a", Instant.EPOCH, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials(new byte[0]));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1} / {2}")
    @CsvSource({
            "1700000000:alice, 1700000000, alice",
            "1:a, 1, a",
            "1700000000:room:alice, 1700000000, room:alice"})
    void usernameParses(String username, long expiry, String identity) {
        assertEquals(new TurnUsername(expiry, identity), TurnUsername.parse(username));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "alice", ":alice", "1700000000:", "17000x0000:alice", "-1:alice",
            "1234567890123456789:alice", "evtj:h6vY"})
    void malformedUsernameIsNull(String username) {
        assertNull(TurnUsername.parse(username));
    }

    @Test
    void usernameExpiresAtItsSecond() {
        TurnUsername username = TurnUsername.parse("1700000000:alice");
        assertFalse(username.expiredAt(1_699_999_999_999L));
        assertTrue(username.expiredAt(1_700_000_000_000L));
    }

    @Test
    void configDefaultsAndLifetimeClamp() {
        TurnConfig config = TurnConfig.defaults(utf8("s"), PeerPolicy.open());
        assertEquals("atrium", config.realm());
        assertEquals(Duration.ofSeconds(600), config.defaultLifetime());
        assertEquals(Duration.ofSeconds(3600), config.maxLifetime());
        assertEquals(10, config.maxAllocationsPerIdentity());
        assertEquals(1000, config.maxAllocations());
        assertEquals(600, config.lifetimeSeconds(-1));
        assertEquals(600, config.lifetimeSeconds(1));
        assertEquals(601, config.lifetimeSeconds(601));
        assertEquals(3600, config.lifetimeSeconds(0xFFFF_FFFFL));
        assertFalse(config.toString().contains("secret"), config.toString());
    }

    @Test
    void configValidates() {
        PeerPolicy open = PeerPolicy.open();
        Duration ten = Duration.ofMinutes(10);
        assertThrows(IllegalArgumentException.class, () -> new TurnConfig(" ", utf8("s"), ten, ten, 1, 1, open));
        assertThrows(IllegalArgumentException.class, () -> new TurnConfig("r", new byte[0], ten, ten, 1, 1, open));
        assertThrows(IllegalArgumentException.class, () -> new TurnConfig("r", utf8("s"), Duration.ZERO, ten, 1, 1, open));
        assertThrows(IllegalArgumentException.class,
                () -> new TurnConfig("r", utf8("s"), ten, Duration.ofMinutes(9), 1, 1, open));
        assertThrows(IllegalArgumentException.class, () -> new TurnConfig("r", utf8("s"), ten, ten, 0, 1, open));
        assertThrows(IllegalArgumentException.class, () -> new TurnConfig("r", utf8("s"), ten, ten, 1, 0, open));
        assertThrows(NullPointerException.class, () -> new TurnConfig("r", utf8("s"), ten, ten, 1, 1, null));
        byte[] secret = utf8("s");
        TurnConfig config = new TurnConfig("r", secret, ten, ten, 1, 1, open);
        secret[0] = 'x';
        assertEquals("s", new String(config.secret(), StandardCharsets.UTF_8), "kept as a copy");
    }

    @Test
    void peerPolicyMatchesAddressAndPortOrOnlyAddress() {
        PeerPolicy only = PeerPolicy.only(List.of(TurnWire.address("198.51.100.7", 10000)));
        assertTrue(only.permits(TurnWire.address("198.51.100.7", 10000)));
        assertFalse(only.permits(TurnWire.address("198.51.100.7", 10001)));
        assertFalse(only.permits(TurnWire.address("198.51.100.8", 10000)));
        assertTrue(only.permitsAddress(TurnWire.ip("198.51.100.7")));
        assertFalse(only.permitsAddress(TurnWire.ip("198.51.100.8")));
        assertTrue(PeerPolicy.open().permits(TurnWire.address("192.0.2.1", 1)));
        assertThrows(IllegalArgumentException.class,
                () -> PeerPolicy.only(List.of(java.net.InetSocketAddress.createUnresolved("sfu.example", 1))));
    }
}
