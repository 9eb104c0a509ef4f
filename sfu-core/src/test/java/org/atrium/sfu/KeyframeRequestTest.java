package org.atrium.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.atrium.rtp.Fir;
import org.atrium.rtp.Pli;
import org.atrium.rtp.RtcpFeedback;
import org.atrium.sfu.client.WebRtcPeer;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keyframe requests between real peers: the SFU asks the publisher for a keyframe when a
 * receiver starts, relays receivers' PLI and FIR as PLI for the publisher's SSRC, and
 * sends at most one per keyframe interval (300 ms by default), deferring the requests
 * that arrive within it into one at its end.
 */
@Timeout(60)
class KeyframeRequestTest {

    static final Duration WAIT = Duration.ofSeconds(3);
    static final long INTERVAL_MILLIS = 300;
    /** Comfortably past the throttle interval, so that the next request must pass. */
    static final long PAST_INTERVAL_MILLIS = INTERVAL_MILLIS + 150;
    static final long PUBLISHER_SSRC = 0x0BADCAFEL;
    static final long SUBSCRIBER_SENDER_SSRC = 0x5EED0001L;

    private SfuFixture fixture;
    private PeerInRoom publisher;
    private PeerInRoom subscriber;
    private Consumer consumer;

    @BeforeEach
    void connectPublisherAndSubscriber() throws Exception {
        fixture = new SfuFixture();
        assertEquals(Duration.ofMillis(INTERVAL_MILLIS), fixture.sfu().config().keyframeMinInterval());
        publisher = fixture.connected("room", "publisher");
        subscriber = fixture.connected("room", "subscriber");
        publisher.participant().publish("0", MediaKind.VIDEO, PUBLISHER_SSRC, PUBLISHER_SSRC + 1);
        consumer = subscriber.listener().nextConsumerAdded(WAIT);
        assertNotNull(consumer);
    }

    @AfterEach
    void stopAll() throws Exception {
        fixture.close();
    }

    @Test
    void resumingAVideoConsumerAsksThePublisherForAKeyframe() throws Exception {
        assertNull(nextPli(publisher.peer(), Duration.ofMillis(200)), "PLI before the consumer was resumed");
        consumer.resume();
        byte[] pli = nextPli(publisher.peer(), WAIT);
        assertNotNull(pli, "no PLI after resume");
        assertEquals(PUBLISHER_SSRC, RtcpFeedback.mediaSsrc(pli, 0));
        assertEquals(publisher.participant().feedbackSsrc(), RtcpFeedback.senderSsrc(pli, 0));
    }

    @Test
    void resumingAnAudioConsumerAsksForNothing() throws Exception {
        publisher.participant().publish("1", MediaKind.AUDIO, 777, -1);
        Consumer audio = subscriber.listener().nextConsumerAdded(WAIT);
        assertNotNull(audio);
        audio.resume();
        assertNull(nextPli(publisher.peer(), Duration.ofMillis(500)));
    }

    @Test
    void aSubscribersPliAndFirReachThePublisherAsPli() throws Exception {
        consumer.resume();
        assertNotNull(nextPli(publisher.peer(), WAIT));
        Thread.sleep(PAST_INTERVAL_MILLIS);

        sendPli(consumer.ssrc());
        byte[] relayedPli = nextPli(publisher.peer(), WAIT);
        assertNotNull(relayedPli, "subscriber's PLI not relayed");
        assertEquals(PUBLISHER_SSRC, RtcpFeedback.mediaSsrc(relayedPli, 0));
        assertEquals(publisher.participant().feedbackSsrc(), RtcpFeedback.senderSsrc(relayedPli, 0));
        Thread.sleep(PAST_INTERVAL_MILLIS);

        byte[] fir = new byte[Fir.LENGTH_ONE_ENTRY];
        Fir.write(fir, 0, SUBSCRIBER_SENDER_SSRC, consumer.ssrc(), 1);
        subscriber.peer().sendRtcp(fir);
        byte[] relayedFir = nextPli(publisher.peer(), WAIT);
        assertNotNull(relayedFir, "subscriber's FIR not relayed");
        assertEquals(PUBLISHER_SSRC, RtcpFeedback.mediaSsrc(relayedFir, 0));
    }

    @Test
    void aPliForAnSsrcTheSubscriberDoesNotReceiveIsIgnored() throws Exception {
        consumer.resume();
        assertNotNull(nextPli(publisher.peer(), WAIT));
        Thread.sleep(PAST_INTERVAL_MILLIS);
        // The publisher's own SSRC is not one the subscriber sees.
        sendPli(PUBLISHER_SSRC);
        sendPli(consumer.ssrc() ^ 0xFFFF);
        assertNull(nextPli(publisher.peer(), Duration.ofMillis(500)));
    }

    @Test
    void aBurstWithinTheIntervalCostsOneRequestNowAndOneAtTheIntervalsEnd() throws Exception {
        consumer.resume();
        assertNotNull(nextPli(publisher.peer(), WAIT));
        Thread.sleep(PAST_INTERVAL_MILLIS);

        long burstStart = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            sendPli(consumer.ssrc());
        }
        long burstMillis = millisSince(burstStart);
        assertTrue(burstMillis < INTERVAL_MILLIS / 3, "the burst took " + burstMillis + " ms, too long to test");
        assertNotNull(nextPli(publisher.peer(), WAIT), "the first request of the burst did not pass");
        long first = System.nanoTime();
        assertTrue(millisSince(burstStart) < INTERVAL_MILLIS / 2, "the first request was held back");

        // The rest of the burst is merged into one request, deferred to the interval's end.
        assertNull(nextPli(publisher.peer(), Duration.ofMillis(INTERVAL_MILLIS - 80)),
                "a second PLI within the interval");
        assertNotNull(nextPli(publisher.peer(), WAIT), "the deferred request never came");
        long deferred = System.nanoTime();
        assertTrue((deferred - first) / 1_000_000 >= INTERVAL_MILLIS - 80,
                "the deferred request came early");
        assertNull(nextPli(publisher.peer(), Duration.ofMillis(INTERVAL_MILLIS + 200)), "a third PLI for the burst");
        assertEquals(1 + 2, consumer.producer().keyframeRequestCount(), "resume's request and the burst's two");

        // Long after, a request passes at once again.
        long sent = System.nanoTime();
        sendPli(consumer.ssrc());
        assertNotNull(nextPli(publisher.peer(), WAIT), "a request after the interval did not pass");
        assertTrue(millisSince(sent) < INTERVAL_MILLIS / 2, "a request after the interval was held back");
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private void sendPli(long mediaSsrc) throws Exception {
        byte[] pli = new byte[Pli.LENGTH];
        Pli.write(pli, 0, SUBSCRIBER_SENDER_SSRC, mediaSsrc);
        subscriber.peer().sendRtcp(pli);
    }

    /** The next PLI in the RTCP the peer receives (as a copy of the PLI alone), or null. */
    static byte[] nextPli(WebRtcPeer peer, Duration timeout) throws InterruptedException {
        return SfuFixture.nextRtcp(peer, timeout, (b, off, len) -> Pli.is(b, off, len));
    }
}
