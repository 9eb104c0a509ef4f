package org.atrium.signaling.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.atrium.signaling.SignalingClient;
import org.atrium.signaling.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The MintToken command makes tokens that a server with the matching key accepts. */
@Timeout(60)
class MintTokenTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    private static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MintToken.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8).strip(), err.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode joinWith(TestServer server, String room, String token) throws Exception {
        try (SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send(JoinTokenTest.join(room, token));
            JsonNode reply = client.next(WAIT);
            assertTrue(reply != null, "an answer to the join");
            return reply;
        }
    }

    @Test
    void mintedHs256TokenIsAcceptedByTheServer() throws Exception {
        Result minted = run(Map.of(), "--secret", TestKeys.SECRET, "--room", "demo", "--identity", "ada",
                "--name", "Ada", "--ttl", "600");
        assertEquals(0, minted.status, minted.err);
        try (TestServer server = TestServer.start(config -> config.withJoinTokens(TestKeys.SECRET, null))) {
            JsonNode joined = joinWith(server, "demo", minted.out);
            assertEquals("joined", joined.path("type").asText(), joined.toString());
            assertEquals("ada", joined.path("identity").asText());
            assertEquals("Ada", joined.path("name").asText());
        }
    }

    @Test
    void mintedEs256TokenIsAcceptedByTheServer() throws Exception {
        var pair = TestKeys.p256();
        Path privateKey = TestKeys.writePrivateKey(dir, pair);
        Path publicKey = TestKeys.writePublicKey(dir, pair);
        Result minted = run(Map.of(), "--private-key", privateKey.toString(), "--room", "demo", "--identity", "bo");
        assertEquals(0, minted.status, minted.err);
        try (TestServer server = TestServer.start(config -> config.withJoinTokens(null, publicKey))) {
            JsonNode joined = joinWith(server, "demo", minted.out);
            assertEquals("bo", joined.path("identity").asText(), joined.toString());
        }
    }

    @Test
    void secretMayComeFromTheEnvironmentAndGrantsFromFlags() throws Exception {
        Result minted = run(Map.of("ATRIUM_JWT_SECRET", TestKeys.SECRET), "--room", "demo", "--identity", "viewer",
                "--no-publish");
        assertEquals(0, minted.status, minted.err);
        try (TestServer server = TestServer.start(config -> config.withJoinTokens(TestKeys.SECRET, null));
                SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send(JoinTokenTest.join("demo", minted.out));
            client.await("joined", WAIT);
            assertEquals(0, client.await("offer", WAIT).path("publish").size(), "--no-publish: no publish slots");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--room demo", "--identity x", "--room demo --identity x",
            "--room demo --identity x --secret short", "--room demo --identity x --secret "
                    + TestKeys.SECRET + " --ttl 0",
            "--room demo --identity x --secret " + TestKeys.SECRET + " --no-publish --no-subscribe",
            "--room demo --identity x --private-key /no/such/file.pem", "--bogus"})
    void refusesIncompleteOrBadOptionsWithUsage(String args) {
        Result result = run(Map.of(), args.split(" "));
        assertEquals(2, result.status, result.out);
        assertTrue(result.err.startsWith("MintToken: "), result.err);
        assertTrue(result.err.contains("Usage:"), result.err);
        assertEquals("", result.out, "no token printed");
    }

    @Test
    void privateKeyOnAnotherCurveIsRefused() throws IOException {
        Path p384 = TestKeys.writePrivateKey(dir, TestKeys.ecKeyPair("secp384r1"));
        IOException e = assertThrows(IOException.class, () -> EcPemKeys.readPrivateKey(p384));
        assertTrue(e.getMessage().contains("P-256"), e.getMessage());
        Path p384Public = TestKeys.writePublicKey(dir, TestKeys.ecKeyPair("secp384r1"));
        assertThrows(IOException.class, () -> EcPemKeys.readPublicKey(p384Public));
    }
}
