package org.atrium.sfu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.atrium.dtls.DtlsCertificate;
import org.atrium.dtls.DtlsRole;
import org.atrium.sfu.room.LeaveReason;
import org.atrium.sfu.room.Room;
import org.atrium.sfu.transport.WebRtcTransport;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Transports that fail on their own remove their participant, with the reason, and tell
 * the others: a certificate that does not match the signalled fingerprint, a peer that
 * never answers ICE, a peer that vanishes after connecting.
 */
@Timeout(60)
class TransportFailureTest {

    static final Duration ICE_TIMEOUT = Duration.ofSeconds(2);
    /**
     * Above ice4j's consent check interval as the SFU sets it (3 s, randomised up to
     * 3.6 s), so that a responsive peer keeps its consent.
     */
    static final Duration CONSENT_TIMEOUT = Duration.ofSeconds(5);
    /** The SFU checks timeouts once a second; allow that and some scheduling slack. */
    static final Duration CHECK_SLACK = Duration.ofMillis(2500);

    @AutoClose
    private final SfuFixture fixture = new SfuFixture(SfuConfig.defaults().withTimeouts(ICE_TIMEOUT, CONSENT_TIMEOUT));
    private final Sfu sfu = fixture.sfu();

    private PeerInRoom joined(String name) throws Exception {
        return fixture.joined("room", name);
    }

    private PeerInRoom connected(String name) throws Exception {
        return fixture.connected("room", name);
    }

    @Test
    void aCertificateThatDoesNotMatchTheSignalledFingerprintFailsDtls() throws Exception {
        PeerInRoom observer = connected("observer");
        PeerInRoom impostor = joined("impostor");
        // The answer names another certificate than the one the peer presents.
        WebRtcTransport.RemoteParameters honest = impostor.peer().remoteParametersForSfu();
        impostor.participant().startTransport(new WebRtcTransport.RemoteParameters(honest.iceUfrag(),
                honest.icePassword(), DtlsCertificate.generateEcdsaP256().fingerprint(), DtlsRole.SERVER,
                honest.candidates()));
        impostor.peer().connect(impostor.participant().transport());

        assertEquals(LeaveReason.DTLS_FAILED, impostor.listener().awaitClosed(Duration.ofSeconds(10)));
        RecordingParticipantListener.Departure departure = observer.listener().nextParticipantLeft(Duration.ofSeconds(2));
        assertNotNull(departure, "the observer was not told");
        assertSame(impostor.participant(), departure.participant());
        assertEquals(LeaveReason.DTLS_FAILED, departure.reason());
        assertTrue(impostor.participant().isClosed());
        assertFalse(impostor.participant().transport().isMediaReady());
        assertNotNull(impostor.peer().awaitFailure(Duration.ofSeconds(5)), "the peer's handshake did not fail");
        assertFalse(impostor.peer().isConnected());
        assertEquals(List.of(observer.participant()), sfu.rooms().room("room").participants());
        assertEquals(0, impostor.listener().closedEventCount(), "onClosed called more than once");
    }

    @Test
    void aPeerThatNeverAnswersIceIsRemovedAfterTheIceTimeout() throws Exception {
        PeerInRoom observer = connected("observer");
        PeerInRoom silent = joined("silent");
        long started = System.nanoTime();
        // The SFU gets the answer; the peer never starts its checks.
        silent.participant().startTransport(silent.peer().remoteParametersForSfu());

        LeaveReason reason = silent.listener().awaitClosed(ICE_TIMEOUT.plus(CHECK_SLACK).plus(CHECK_SLACK));
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(LeaveReason.ICE_FAILED, reason);
        assertTrue(elapsedMillis >= ICE_TIMEOUT.toMillis() - 100,
                "removed after " + elapsedMillis + " ms, before the ICE timeout");
        RecordingParticipantListener.Departure departure = observer.listener().nextParticipantLeft(Duration.ofSeconds(2));
        assertNotNull(departure);
        assertSame(silent.participant(), departure.participant());
        assertEquals(LeaveReason.ICE_FAILED, departure.reason());
        assertFalse(observer.participant().isClosed());
    }

    @Test
    void aPeerThatStopsAnsweringConsentChecksIsRemovedAfterTheConsentTimeout() throws Exception {
        PeerInRoom observer = connected("observer");
        long observerConnected = System.nanoTime();
        PeerInRoom vanishing = connected("vanishing");
        long stopped = System.nanoTime();
        vanishing.peer().stopResponding();

        Duration longest = CONSENT_TIMEOUT.plus(Duration.ofMillis(3600)).plus(CHECK_SLACK);
        LeaveReason reason = vanishing.listener().awaitClosed(longest);
        long elapsedMillis = (System.nanoTime() - stopped) / 1_000_000;
        assertEquals(LeaveReason.CONSENT_EXPIRED, reason, "not removed within " + longest);
        // Consent was last confirmed at most one check interval before the peer stopped.
        assertTrue(elapsedMillis >= CONSENT_TIMEOUT.toMillis() - 3600 - 100,
                "removed after " + elapsedMillis + " ms, before the consent timeout");
        RecordingParticipantListener.Departure departure = observer.listener().nextParticipantLeft(Duration.ofSeconds(2));
        assertNotNull(departure);
        assertSame(vanishing.participant(), departure.participant());
        assertEquals(LeaveReason.CONSENT_EXPIRED, departure.reason());

        // The observer kept answering: once it has been connected for longer than the
        // consent timeout, it is still there because its consent was refreshed.
        long observerMillis = (System.nanoTime() - observerConnected) / 1_000_000;
        Thread.sleep(Math.max(0, CONSENT_TIMEOUT.plus(CHECK_SLACK).toMillis() - observerMillis));
        assertNull(observer.listener().awaitClosed(Duration.ZERO));
        assertFalse(observer.participant().isClosed());
        Room room = sfu.rooms().room("room");
        assertEquals(List.of(observer.participant()), room.participants());
    }
}
