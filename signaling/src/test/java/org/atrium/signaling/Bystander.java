package org.atrium.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.atrium.signaling.session.ScriptedAnswerer;

/**
 * A participant who minds its own business in a room while another connection is
 * refused or misbehaves: it must stay connected, keep hearing about the room, and the
 * server must stay ready. It answers its first offer as Chrome would (its media never
 * connects).
 */
public final class Bystander implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final TestServer server;
    private final SignalingClient client;

    /** Joins {@code room}; {@code joinMessage} is the whole join (with a token when the server needs one). */
    public Bystander(TestServer server, String joinMessage) throws Exception {
        this.server = server;
        this.client = new SignalingClient(server.webSocket());
        client.send(joinMessage);
        client.await("joined", WAIT);
        // Answered, so that the SFU can send it the next offer when the room changes.
        client.send(new ScriptedAnswerer().answer(client.await("offer", WAIT)));
    }

    public SignalingClient client() {
        return client;
    }

    /** The next participant-joined it hears must be about {@code participantId}. */
    public void seesJoin(String participantId) throws InterruptedException {
        JsonNode seen = client.await("participant-joined", WAIT);
        assertEquals(participantId, seen.path("participant").path("id").asText(), seen.toString());
    }

    /** Still connected, and the server still answers /health/ready with 200. */
    public void assertUnaffected() throws Exception {
        assertTrue(client.isOpen(), "the bystander's connection stays open");
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.http("/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
    }

    @Override
    public void close() {
        client.close();
    }
}
