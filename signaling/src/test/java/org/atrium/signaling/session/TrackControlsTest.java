package org.atrium.signaling.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.atrium.signaling.SignalingClient;
import org.atrium.signaling.TestServer;
import org.atrium.signaling.sdp.SessionDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sources and mute state over a real WebSocket: each track's source in the offers, mute
 * told to the others, a screen share added and withdrawn without touching the camera's
 * and microphone's sections, and the refusals of each message.
 */
class TrackControlsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private TestServer server;
    private final List<SignalingClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(SignalingClient::close);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void offersNameEachTrackSourceAndMuteReachesTheOthers() throws Exception {
        server = TestServer.start();
        Member ada = join("Ada");
        JsonNode first = ada.answerNextOffer();
        assertEquals(List.of("0:audio:microphone", "1:video:camera"), entries(first.path("publish")));

        // Ada mutes her microphone before Bo joins: Bo's first offer already says so.
        ada.client().send("{\"type\":\"mute\",\"source\":\"microphone\",\"muted\":true}");
        awaitMuted(ada.id(), "microphone", true);
        Member bo = join("Bo");
        JsonNode boFirst = bo.answerNextOffer();
        assertEquals(List.of("3:audio:microphone:" + ada.id() + ":true", "4:video:camera:" + ada.id() + ":false"),
                subscriptions(boFirst));

        // Ada stops her camera: Bo is told; Ada is not told of her own change.
        ada.client().send("{\"type\":\"mute\",\"source\":\"camera\",\"muted\":true}");
        JsonNode muted = bo.client().await("track-muted", WAIT);
        assertEquals(ada.id(), muted.path("participantId").asText());
        assertEquals("camera", muted.path("source").asText());
        assertTrue(muted.path("muted").asBoolean());
        ada.client().send("{\"type\":\"mute\",\"source\":\"camera\",\"muted\":false}");
        JsonNode unmuted = bo.client().await("track-muted", WAIT);
        assertEquals("camera", unmuted.path("source").asText());
        assertEquals(false, unmuted.path("muted").asBoolean());
        // The same state again is no change, and tells no one.
        ada.client().send("{\"type\":\"mute\",\"source\":\"camera\",\"muted\":false}");
        ada.client().send("{\"type\":\"mute\",\"source\":\"microphone\",\"muted\":false}");
        JsonNode mic = bo.client().await("track-muted", WAIT);
        assertEquals("microphone", mic.path("source").asText(), "the repeated camera state was not sent");
        assertTrue(ada.client().history().stream().noneMatch(m -> "track-muted".equals(m.path("type").asText())));
    }

    @Test
    void aScreenShareIsAddedAndWithdrawnBesideTheCamera() throws Exception {
        server = TestServer.start();
        Member ada = join("Ada");
        ada.answerNextOffer();
        Member bo = join("Bo");
        bo.answerNextOffer();
        ada.answerNextOffer();

        ada.client().send("{\"type\":\"add-track\",\"source\":\"screen\"}");
        ada.client().send("{\"type\":\"add-track\",\"source\":\"screen-audio\"}");
        // One offer for both, unless the second message came after the first offer left (a
        // loaded machine): then the next offer adds the second.
        JsonNode withScreen = ada.answerNextOffer();
        if (withScreen.path("publish").size() < 4) {
            withScreen = ada.answerNextOffer();
        }
        assertEquals(List.of("0:audio:microphone", "1:video:camera", "5:video:screen", "6:audio:screen-audio"),
                entries(withScreen.path("publish")));
        SessionDescription sdp = SessionDescription.parse(withScreen.path("sdp").asText());
        assertTrue(!sdp.media().get(5).hasAttribute("simulcast"), "a screen is offered as one stream");
        assertTrue(sdp.media().get(1).hasAttribute("simulcast"), "the camera keeps its simulcast");

        // Bo is offered the screen and its audio, named as such, beside Ada's camera.
        List<String> boSees = List.of();
        for (int round = 0; round < 4 && boSees.size() < 4; round++) {
            boSees = subscriptions(bo.answerNextOffer());
        }
        assertTrue(boSees.contains("5:video:screen:" + ada.id() + ":false"), boSees.toString());
        assertTrue(boSees.contains("6:audio:screen-audio:" + ada.id() + ":false"), boSees.toString());
        assertTrue(boSees.contains("4:video:camera:" + ada.id() + ":false"), boSees.toString());

        // Ada stops sharing: Bo's next offer drops the screen and keeps the camera.
        ada.client().send("{\"type\":\"remove-track\",\"source\":\"screen\"}");
        JsonNode withdrawn = ada.answerNextOffer();
        assertEquals(List.of("0:audio:microphone", "1:video:camera", "6:audio:screen-audio"),
                entries(withdrawn.path("publish")));
        assertEquals("inactive", Member.direction(withdrawn, 5));
        List<String> after = subscriptions(bo.answerNextOffer());
        assertTrue(after.contains("4:video:camera:" + ada.id() + ":false"), after.toString());
        assertTrue(after.stream().noneMatch(s -> s.contains(":screen:")), after.toString());

        // Sharing again reuses the same section: the offer does not grow.
        ada.client().send("{\"type\":\"add-track\",\"source\":\"screen\"}");
        JsonNode again = ada.answerNextOffer();
        assertTrue(entries(again.path("publish")).contains("5:video:screen"), again.toString());
        assertEquals(7, SessionDescription.parse(again.path("sdp").asText()).media().size());
    }

    @Test
    void refusesWhatCannotBeDone() throws Exception {
        server = TestServer.start(config -> config.withLimits(config.limits().withMaxPublishedTracks(3)));
        Member ada = join("Ada");
        ada.answerNextOffer();
        assertEquals("bad-request", errorFor(ada, "{\"type\":\"add-track\",\"source\":\"camera\"}"));
        assertEquals("bad-request", errorFor(ada, "{\"type\":\"remove-track\",\"source\":\"screen\"}"));
        assertEquals("bad-request", errorFor(ada, "{\"type\":\"mute\",\"source\":\"mouth\",\"muted\":true}"));
        ada.client().send("{\"type\":\"add-track\",\"source\":\"screen\"}");
        assertEquals("bad-request", errorFor(ada, "{\"type\":\"add-track\",\"source\":\"screen\"}"));
        assertEquals("too-many-tracks", errorFor(ada, "{\"type\":\"add-track\",\"source\":\"screen-audio\"}"));
        // The session carries on: the screen is offered.
        JsonNode offer = ada.answerNextOffer();
        assertTrue(entries(offer.path("publish")).contains("3:video:screen"), offer.toString());
    }

    private String errorFor(Member member, String message) throws InterruptedException {
        member.client().send(message);
        return member.client().await("error", WAIT).path("code").asText();
    }

    private void awaitMuted(String id, String source, boolean muted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (var participant : server.server().sfu().rooms().participants()) {
                if (participant.id().equals(id) && participant.mutedSources().stream()
                        .anyMatch(s -> s.wireName().equals(source)) == muted) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError(id + " did not mute " + source);
    }

    private Member join(String name) throws Exception {
        SignalingClient client = new SignalingClient(server.webSocket());
        clients.add(client);
        client.send("{\"type\":\"join\",\"room\":\"controls\",\"name\":\"" + name + "\"}");
        String id = client.await("joined", WAIT).path("participantId").asText();
        return new Member(id, client, new ScriptedAnswerer());
    }

    private static List<String> entries(JsonNode list) {
        List<String> result = new ArrayList<>();
        list.forEach(entry -> result.add(entry.path("mid").asText() + ":" + entry.path("kind").asText() + ":"
                + entry.path("source").asText()));
        return result;
    }

    private static List<String> subscriptions(JsonNode offer) {
        List<String> result = new ArrayList<>();
        offer.path("subscribe").forEach(entry -> result.add(entry.path("mid").asText() + ":"
                + entry.path("kind").asText() + ":" + entry.path("source").asText() + ":"
                + entry.path("participantId").asText() + ":" + entry.path("muted").asBoolean()));
        return result;
    }
}
