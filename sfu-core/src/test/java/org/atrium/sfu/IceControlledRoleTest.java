package org.atrium.sfu;

import static org.atrium.sfu.peer.RtpPacketBuilder.rtp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.atrium.dtls.DtlsRole;
import org.atrium.rtp.RtpPacket;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.transport.WebRtcTransport;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SFU answering a client's offer (WHIP, WHEP) is the controlled ICE agent (RFC 8445
 * 6.1.1): the client, a controlling ice4j agent here, nominates; the SFU nominates nothing,
 * takes the client's pair, runs DTLS as client over it, keeps its own consent checks, and
 * carries media both ways beside a participant connected the usual way.
 */
@Timeout(60)
class IceControlledRoleTest {

    private static final Duration WAIT = Duration.ofSeconds(3);
    /** ice4j's consent check interval as the SFU sets it is 3 s, randomised up to 3.6 s. */
    private static final Duration CONSENT_WAIT = Duration.ofSeconds(8);

    @AutoClose
    private final SfuFixture fixture = new SfuFixture();

    private PeerInRoom offerer(String name) throws Exception {
        return fixture.connectedOfferer("room", name, null);
    }

    @Test
    void theClientNominatesAndTheSfuTakesItsPairAndKeepsConsent() throws Exception {
        PeerInRoom client = offerer("whip");
        WebRtcTransport transport = client.participant().transport();

        assertFalse(transport.isIceControlling(), "the SFU answered: it is controlled");
        assertTrue(client.peer().roles().iceControlling());
        assertNotNull(transport.selectedPair(), "ice4j selected the pair the client nominated");
        assertEquals(DtlsRole.CLIENT, transport.dtlsRole());
        assertEquals("connected", transport.iceState());

        // The SFU's own consent checks (RFC 7675) go on in the controlled role.
        long first = transport.lastConsentMillis();
        assertTrue(first > 0);
        long deadline = System.nanoTime() + CONSENT_WAIT.toNanos();
        while (transport.lastConsentMillis() == first && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(transport.lastConsentMillis() > first, "no consent check answered within " + CONSENT_WAIT);
    }

    @Test
    void anAnsweringParticipantKeepsTheControllingRole() throws Exception {
        PeerInRoom browser = fixture.connected("room", "browser");
        assertTrue(browser.participant().transport().isIceControlling());
        assertFalse(browser.peer().roles().iceControlling());
        assertNotNull(browser.participant().transport().selectedPair());
    }

    @Test
    void mediaFlowsBothWaysBetweenAControlledAndAControllingLeg() throws Exception {
        PeerInRoom whip = offerer("whip");
        PeerInRoom browser = fixture.connected("room", "browser");

        whip.participant().publish("0", MediaKind.VIDEO, 0x1111, -1);
        Consumer toBrowser = browser.listener().nextConsumerAdded(WAIT);
        assertNotNull(toBrowser);
        toBrowser.resume();
        browser.participant().publish("1", MediaKind.VIDEO, 0x2222, -1);
        Consumer toWhip = whip.listener().nextConsumerAdded(WAIT);
        assertNotNull(toWhip);
        toWhip.resume();

        whip.peer().sendRtp(rtp(0x1111, 96).sequenceNumber(1).timestamp(3000)
                .payload(new byte[] {0x10, 0, 0, 0, 'w'}).build());
        browser.peer().sendRtp(rtp(0x2222, 96).sequenceNumber(1).timestamp(3000)
                .payload(new byte[] {0x10, 0, 0, 0, 'b'}).build());

        byte[] atBrowser = browser.peer().pollRtp(WAIT);
        byte[] atWhip = whip.peer().pollRtp(WAIT);
        assertNotNull(atBrowser, "nothing reached the browser");
        assertNotNull(atWhip, "nothing reached the WHIP client");
        assertEquals(toBrowser.ssrc(), RtpPacket.ssrc(atBrowser, 0));
        assertEquals(toWhip.ssrc(), RtpPacket.ssrc(atWhip, 0));
        assertEquals('w', atBrowser[atBrowser.length - 1]);
        assertEquals('b', atWhip[atWhip.length - 1]);
    }
}
