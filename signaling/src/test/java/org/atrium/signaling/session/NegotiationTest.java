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
import org.atrium.sfu.cc.CongestionFeedback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SFU's side of offer/answer over a real WebSocket, with clients that answer as
 * Chrome does: re-offers on join and leave, departed senders' m-sections made inactive
 * and reused, never removed, and the order of messages clients rely on.
 */
class NegotiationTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private TestServer server;
    private final List<SignalingClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        clients.forEach(SignalingClient::close);
        server.close();
    }

    @Test
    void joinLeaveAndReuseOfSlots() throws Exception {
        Member ada = join("Ada");
        JsonNode first = ada.answerNextOffer();
        assertEquals(1, first.path("version").asInt());
        // Mids 0 and 1 are the publish slots, 2 the data channels' (m=application); tracks received follow.
        assertEquals(List.of("0:audio", "1:video"), mids(first.path("publish")));
        assertEquals(List.of(), mids(first.path("subscribe")));
        awaitPublished(ada);

        Member bo = join("Bo");
        // Bo's first offer already holds Ada's published tracks.
        JsonNode boFirst = bo.answerNextOffer();
        assertEquals(List.of("3:audio:" + ada.id(), "4:video:" + ada.id()), subscriptions(boFirst));
        // Ada hears of Bo before the offer that subscribes her to Bo's tracks.
        assertEquals(bo.id(), ada.client().await("participant-joined", WAIT).path("participant").path("id").asText());
        JsonNode adaSecond = ada.answerNextOffer();
        assertEquals(2, adaSecond.path("version").asInt());
        assertEquals(List.of("3:audio:" + bo.id(), "4:video:" + bo.id()), subscriptions(adaSecond));
        assertEquals("sendonly", Member.direction(adaSecond, 4));

        // Bo leaves: Ada gets participant-left, then an offer where Bo's slots are inactive, still present.
        bo.client().send("{\"type\":\"leave\"}");
        assertEquals(1000, bo.client().closed().get().intValue());
        JsonNode left = ada.client().await("participant-left", WAIT);
        assertEquals(bo.id(), left.path("participantId").asText());
        assertEquals("left", left.path("reason").asText());
        JsonNode adaThird = ada.answerNextOffer();
        assertEquals(List.of(), subscriptions(adaThird));
        assertEquals(5, SessionDescription.parse(adaThird.path("sdp").asText()).media().size());
        assertEquals("inactive", Member.direction(adaThird, 3));
        assertEquals("inactive", Member.direction(adaThird, 4));
        assertTrue(ada.history().indexOf(left) < ada.history().indexOf(adaThird), "participant-left first");

        // Cy joins: Ada's next offer reuses the freed slots rather than adding m-sections.
        Member cy = join("Cy");
        cy.answerNextOffer();
        awaitPublished(cy);
        JsonNode adaFourth = ada.answerNextOffer();
        assertEquals(List.of("3:audio:" + cy.id(), "4:video:" + cy.id()), subscriptions(adaFourth));
        assertEquals(5, SessionDescription.parse(adaFourth.path("sdp").asText()).media().size());
        String sdp = adaFourth.path("sdp").asText();
        assertTrue(sdp.contains("a=msid:" + cy.id() + " "), sdp);
        assertTrue(!sdp.contains(bo.id()), "nothing of Bo is left in the offer");

        // The SFU made every offer; versions grew by one each time.
        assertEquals(List.of(1, 2, 3, 4), ada.offerVersions());
    }

    @Test
    void tracksAreAnnouncedAtJoinAndWithdrawnWhenTheAnswerDeclinesThem() throws Exception {
        Member ada = join("Ada");
        ada.answerNextOffer();
        awaitPublished(ada);

        SignalingClient client = new SignalingClient(server.webSocket());
        clients.add(client);
        client.send("{\"type\":\"join\",\"room\":\"neg\",\"name\":\"NoCamera\"}");
        String id = client.await("joined", WAIT).path("participantId").asText();
        // Before NoCamera has answered anything, Ada is offered both of its tracks.
        JsonNode announced = ada.answerNextOffer();
        assertEquals(List.of("3:audio:" + id, "4:video:" + id), subscriptions(announced));

        // NoCamera answers without video: Ada's next offer withdraws it.
        JsonNode offer = client.await("offer", WAIT);
        client.send(new ScriptedAnswerer().withoutVideo().answer(offer));
        JsonNode withdrawn = ada.answerNextOffer();
        assertEquals(List.of("3:audio:" + id), subscriptions(withdrawn));
        assertEquals("inactive", Member.direction(withdrawn, 4));
    }

    @Test
    void anAnswerWithoutTransportCcGetsRembInstead() throws Exception {
        Member modern = join("Modern");
        modern.answerNextOffer();
        awaitPublished(modern);
        SignalingClient client = new SignalingClient(server.webSocket());
        clients.add(client);
        client.send("{\"type\":\"join\",\"room\":\"neg\",\"name\":\"Old\"}");
        String id = client.await("joined", WAIT).path("participantId").asText();
        ScriptedAnswerer answerer = new ScriptedAnswerer().withoutTransportCc();
        JsonNode first = client.await("offer", WAIT);
        assertTrue(!first.path("sdp").asText().contains("goog-remb"), "not offered with transport-cc");
        client.send(answerer.answer(first));
        // The next offer adds REMB to what can be negotiated.
        JsonNode second = client.await("offer", WAIT);
        assertTrue(second.path("sdp").asText().contains("a=rtcp-fb:96 goog-remb"), second.path("sdp").asText());
        client.send(answerer.answer(second));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var old = server.server().sfu().rooms().participants().stream().filter(p -> p.id().equals(id)).findFirst();
            if (old.isPresent() && old.get().transport().isIceStarted()) {
                assertEquals(CongestionFeedback.REMB, old.get().congestionFeedback());
                var other = server.server().sfu().rooms().participants().stream()
                        .filter(p -> p.id().equals(modern.id())).findFirst().orElseThrow();
                assertEquals(CongestionFeedback.TRANSPORT_CC, other.congestionFeedback());
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the answer was not applied");
    }

    @Test
    void manyJoiningAtOnceGiveFewOffers() throws Exception {
        Member host = join("Host");
        host.answerNextOffer();
        awaitPublished(host);
        List<Member> guests = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Member guest = join("Guest" + i);
            guests.add(guest);
        }
        for (Member guest : guests) {
            guest.answerNextOffer();
        }
        // The host answers until it has all ten tracks; bursts are merged into few offers.
        int rounds = 0;
        List<String> subscribed = List.of();
        while (subscribed.size() < 10 && rounds < 12) {
            subscribed = subscriptions(host.answerNextOffer());
            rounds++;
        }
        assertEquals(10, subscribed.size(), "every guest's audio and video");
        assertTrue(rounds <= 6, "offers were merged: " + rounds + " rounds for 5 guests");
    }

    /** Waits until the server has applied the member's answer and bound its two producers' SSRCs. */
    private void awaitPublished(Member member) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (var participant : server.server().sfu().rooms().participants()) {
                if (participant.id().equals(member.id()) && participant.producers().size() == 2
                        && participant.producers().stream().allMatch(p -> p.isBound())) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError(member.id() + " did not publish");
    }

    private Member join(String name) throws Exception {
        SignalingClient client = new SignalingClient(server.webSocket());
        clients.add(client);
        client.send("{\"type\":\"join\",\"room\":\"neg\",\"name\":\"" + name + "\"}");
        String id = client.await("joined", WAIT).path("participantId").asText();
        return new Member(id, client, new ScriptedAnswerer());
    }

    private static List<String> mids(JsonNode list) {
        List<String> result = new ArrayList<>();
        list.forEach(entry -> result.add(entry.path("mid").asText() + ":" + entry.path("kind").asText()));
        return result;
    }

    private static List<String> subscriptions(JsonNode offer) {
        List<String> result = new ArrayList<>();
        offer.path("subscribe").forEach(entry -> result.add(entry.path("mid").asText() + ":"
                + entry.path("kind").asText() + ":" + entry.path("participantId").asText()));
        return result;
    }
}
