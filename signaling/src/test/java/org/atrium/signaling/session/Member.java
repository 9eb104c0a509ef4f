package org.atrium.signaling.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.atrium.signaling.SignalingClient;
import org.atrium.signaling.sdp.SessionDescription;

/** A joined test client that answers the SFU's offers as Chrome does ({@link ScriptedAnswerer}). */
record Member(String id, SignalingClient client, ScriptedAnswerer answerer) {

    static final Duration WAIT = Duration.ofSeconds(5);

    /** Waits for the next offer, answers it, and returns it. */
    JsonNode answerNextOffer() throws InterruptedException {
        JsonNode offer = client.await("offer", WAIT);
        client.send(answerer.answer(offer));
        return offer;
    }

    List<JsonNode> history() {
        return client.history();
    }

    List<Integer> offerVersions() {
        List<Integer> versions = new ArrayList<>();
        for (JsonNode message : client.history()) {
            if ("offer".equals(message.path("type").asText())) {
                versions.add(message.path("version").asInt());
            }
        }
        return versions;
    }

    /** The direction attribute of the offer's m-section at {@code index}, or "none". */
    static String direction(JsonNode offer, int index) throws Exception {
        SessionDescription.MediaDescription section =
                SessionDescription.parse(offer.path("sdp").asText()).media().get(index);
        for (String direction : List.of("sendonly", "recvonly", "inactive", "sendrecv")) {
            if (section.hasAttribute(direction)) {
                return direction;
            }
        }
        return "none";
    }
}
