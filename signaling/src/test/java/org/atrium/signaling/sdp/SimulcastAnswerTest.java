package org.atrium.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.atrium.sfu.media.MediaKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The simulcast part of a publisher's answer (RFC 8853 5.1, RFC 8851), against an offer of
 * {@code a=rid:q/h/f recv} and {@code a=simulcast:recv q;h;f}. Attribute lines are given
 * separated by ' / '.
 */
class SimulcastAnswerTest {

    private static final OfferSection SIMULCAST_OFFER =
            new OfferSection("1", MediaKind.VIDEO, Direction.RECVONLY, null, List.of("q", "h", "f"));
    private static final OfferSection PLAIN_OFFER = new OfferSection("1", MediaKind.VIDEO, Direction.RECVONLY, null);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '^', quoteCharacter = '"', textBlock = """
        # name ^ attribute lines ^ RIDs read, lowest first
        Chromium and Firefox answer ^ rid:q send / rid:h send / rid:f send / simulcast:send q;h;f ^ q h f
        order of the offer, not the answer ^ rid:f send / rid:q send / rid:h send / simulcast:send f;h;q ^ q h f
        a subset ^ rid:q send / rid:f send / simulcast:send q;f ^ q f
        paused at the start still counts ^ rid:q send / rid:h send / rid:f send / simulcast:send q;~h;f ^ q h f
        alternatives take the first ^ rid:q send / rid:h send / simulcast:send q,h ^ q
        rid restrictions are allowed ^ rid:q send max-width=320 / simulcast:send q ^ q
        no a=simulcast: one stream ^ rid:q send ^ -
        """)
    void readsTheRidsSent(String name, String lines, String expected) throws SdpException {
        List<String> rids = SimulcastAnswer.read(section(lines), SIMULCAST_OFFER);
        assertEquals(expected.equals("-") ? List.of() : Arrays.asList(expected.split(" ")), rids);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '^', quoteCharacter = '"', textBlock = """
        # name ^ attribute lines ^ the error names
        a RID that was not offered ^ rid:q send / rid:x send / simulcast:send q;x ^ 'x', which was not offered
        a RID without its a=rid line ^ rid:q send / simulcast:send q;h ^ without a=rid:h send
        a RID declared recv only ^ rid:q recv / simulcast:send q ^ without a=rid:q send
        the same RID twice ^ rid:q send / simulcast:send q;q ^ twice
        no send list ^ rid:q send / simulcast:recv q ^ without a send list
        an empty stream ^ rid:q send / rid:h send / simulcast:send q;;h ^ malformed RID ''
        an empty last stream ^ rid:q send / simulcast:send q; ^ malformed RID ''
        only a stream separator ^ rid:q send / simulcast:send ; ^ malformed RID ''
        an empty first alternative ^ rid:q send / simulcast:send , ^ malformed RID ''
        a paused stream without a RID ^ rid:q send / simulcast:send q;~ ^ malformed RID ''
        a RID with a character RFC 8851 does not allow ^ rid:q send / simulcast:send q$ ^ malformed RID 'q$'
        """)
    void refusesWhatDoesNotFitTheOffer(String name, String lines, String message) {
        SdpException e = assertThrows(SdpException.class, () -> SimulcastAnswer.read(section(lines), SIMULCAST_OFFER));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '^', quoteCharacter = '"', textBlock = """
        simulcast where none was offered ^ rid:q send / simulcast:send q
        """)
    void refusesSimulcastNotOffered(String name, String lines) {
        SdpException e = assertThrows(SdpException.class, () -> SimulcastAnswer.read(section(lines), PLAIN_OFFER));
        assertTrue(e.getMessage().contains("not offered"), e.getMessage());
    }

    private static SessionDescription.MediaDescription section(String lines) throws SdpException {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=sendonly\r\n");
        for (String line : lines.split(" / ")) {
            sdp.append("a=").append(line).append("\r\n");
        }
        return SessionDescription.parse(sdp.toString()).media().get(0);
    }
}
