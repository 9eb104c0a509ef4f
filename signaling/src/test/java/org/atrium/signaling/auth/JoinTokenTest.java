package org.atrium.signaling.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.atrium.signaling.Bystander;
import org.atrium.signaling.ServerConfig;
import org.atrium.signaling.SignalingClient;
import org.atrium.signaling.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Join tokens over a real WebSocket, with real HS256 and ES256 signatures: each bad
 * token is refused with its own error code, the refused connection can still join with
 * a good token, and a bystander in the room notices nothing.
 */
@Timeout(60)
class JoinTokenTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String ROOM = "r1";

    @TempDir
    Path dir;
    private TestServer server;
    private Bystander bystander;

    @AfterEach
    void stop() {
        if (bystander != null) {
            bystander.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(Signing signing) throws Exception {
        server = TestServer.start(config -> signing.configure(config, dir));
        bystander = new Bystander(server, join(ROOM, signing.minter().mint(valid("bystander"))));
    }

    private static JoinTokenMinter.Request valid(String identity) {
        return JoinTokenMinter.Request.of(ROOM, identity, Duration.ofHours(1));
    }

    /** Claims as the minter writes them, for tokens built by hand. */
    private static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject("mallory").claim("room", ROOM)
                .claim("grants", Map.of("publish", true, "subscribe", true))
                .expirationTime(Date.from(now.plusSeconds(3600)));
    }

    static String join(String room, String token) {
        ObjectNode join = JsonNodeFactory.instance.objectNode().put("type", "join").put("room", room)
                .put("name", "Client");
        if (token != null) {
            join.put("token", token);
        }
        return join.toString();
    }

    /**
     * Sends a join with {@code token}, expects the error {@code code}, then joins on the same
     * connection with a good token: the refusal changed nothing.
     */
    private JsonNode assertRefused(Signing signing, String token, String code) throws Exception {
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send(join(ROOM, token));
            JsonNode error = client.await("error", WAIT);
            assertEquals(code, error.path("code").asText(), error.toString());
            assertTrue(error.path("message").asText().length() > 10, "a message for people: " + error);
            assertTrue(client.isOpen(), "a refused join leaves the connection open");
            assertEquals(1, server.server().sfu().rooms().room(ROOM).size(), "nobody joined");

            client.send(join(ROOM, signing.minter().mint(valid("late"))));
            String id = client.await("joined", WAIT).path("participantId").asText();
            bystander.seesJoin(id);
            bystander.assertUnaffected();
            return error;
        }
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void validTokenJoinsWithItsIdentityAndName(Signing signing) throws Exception {
        start(signing);
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send(join(ROOM, signing.minter().mint(valid("ada@example.org").withName("Ada L."))));
            JsonNode joined = client.await("joined", WAIT);
            assertEquals("ada@example.org", joined.path("identity").asText(), joined.toString());
            assertEquals("Ada L.", joined.path("name").asText(), "the token's name wins over the join's");
            assertEquals("bystander", joined.path("participants").get(0).path("identity").asText());
            JsonNode seen = bystander.client().await("participant-joined", WAIT);
            assertEquals("ada@example.org", seen.path("participant").path("identity").asText());
            assertEquals("Ada L.", seen.path("participant").path("name").asText());
            JsonNode offer = client.await("offer", WAIT);
            assertEquals(2, offer.path("publish").size(), "both grants: both publish slots");
        }
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void missingTokenIsRefused(Signing signing) throws Exception {
        start(signing);
        assertRefused(signing, null, "unauthorized");
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void expiredTokenIsRefused(Signing signing) throws Exception {
        start(signing);
        Instant now = Instant.now();
        String token = signing.minter().mint(valid("old").withTimes(now.minusSeconds(7200), now.minusSeconds(60)));
        assertRefused(signing, token, "token-expired");
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void tokenExpiredWithinTheClockSkewStillJoins(Signing signing) throws Exception {
        start(signing);
        Instant now = Instant.now();
        String token = signing.minter().mint(valid("slow-clock").withTimes(now.minusSeconds(600), now.minusSeconds(5)));
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send(join(ROOM, token));
            assertEquals("slow-clock", client.await("joined", WAIT).path("identity").asText());
        }
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void notYetValidTokenIsRefused(Signing signing) throws Exception {
        start(signing);
        Instant now = Instant.now();
        String token = signing.minter().mint(valid("early").withTimes(now.plusSeconds(600), now.plusSeconds(4000)));
        JsonNode error = assertRefused(signing, token, "unauthorized");
        assertTrue(error.path("message").asText().contains("not valid before"), error.toString());
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void tokenWithoutExpiryIsRefused(Signing signing) throws Exception {
        start(signing);
        String token = signing.sign(claims().expirationTime(null).build());
        JsonNode error = assertRefused(signing, token, "unauthorized");
        assertTrue(error.path("message").asText().contains("exp"), error.toString());
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void tokenForAnotherRoomIsRefused(Signing signing) throws Exception {
        start(signing);
        String token = signing.minter().mint(JoinTokenMinter.Request.of("elsewhere", "wanderer", Duration.ofHours(1)));
        assertRefused(signing, token, "wrong-room");
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void tokenWithAlteredClaimsIsRefused(Signing signing) throws Exception {
        start(signing);
        String[] parts = signing.minter().mint(JoinTokenMinter.Request.of("elsewhere", "m", Duration.ofHours(1)))
                .split("\\.");
        String forged = claims().build().toString();
        String token = parts[0] + "." + Base64URL.encode(forged.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        JsonNode error = assertRefused(signing, token, "unauthorized");
        assertTrue(error.path("message").asText().contains("signature"), error.toString());
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void tokenSignedWithAnotherKeyIsRefused(Signing signing) throws Exception {
        start(signing);
        assertRefused(signing, signing.signWithAnotherKey(claims().build()), "unauthorized");
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void unsignedTokenIsRefused(Signing signing) throws Exception {
        start(signing);
        // "alg": "none" (RFC 7519 6): header and claims, and an empty signature.
        String token = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                + Base64URL.encode(claims().build().toString()) + ".";
        assertRefused(signing, token, "unauthorized");
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void garbageTokenIsRefused(Signing signing) throws Exception {
        start(signing);
        assertRefused(signing, "not.a.jwt", "unauthorized");
        assertRefused(signing, "x".repeat(JoinTokenVerifier.MAX_TOKEN_CHARS + 1), "unauthorized");
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void tokenWithoutSubjectIsRefused(Signing signing) throws Exception {
        start(signing);
        assertRefused(signing, signing.sign(claims().subject(null).build()), "unauthorized");
    }

    @ParameterizedTest
    @EnumSource(Signing.class)
    void tokenGrantingNothingIsRefused(Signing signing) throws Exception {
        start(signing);
        assertRefused(signing, signing.minter().mint(valid("idle").withGrants(false, false)), "forbidden");
        assertRefused(signing, signing.sign(claims().claim("grants", null).build()), "forbidden");
    }

    @Test
    void hmacTokenKeyedWithThePublicKeyIsRefusedByAnEs256Server() throws Exception {
        // Algorithm confusion: a verifier that took "alg" from the token would check this
        // HMAC with the public key it holds, which the forger knows too.
        start(Signing.ES256);
        byte[] publicKey = Signing.ecKeyPair().getPublic().getEncoded();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        jwt.sign(new MACSigner(publicKey));
        JsonNode error = assertRefused(Signing.ES256, jwt.serialize(), "unauthorized");
        assertTrue(error.path("message").asText().contains("HS256"), error.toString());
    }

    @Test
    void es256TokenIsRefusedByAnHs256Server() throws Exception {
        start(Signing.HS256);
        assertRefused(Signing.HS256, Signing.ES256.minter().mint(valid("other-issuer")), "unauthorized");
    }

    @Test
    void openServerIgnoresTokens() throws Exception {
        server = TestServer.start(config -> config);
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send(join(ROOM, "whatever"));
            JsonNode joined = client.await("joined", WAIT);
            assertTrue(joined.path("identity").isMissingNode(), "no identity without tokens: " + joined);
        }
    }
}
