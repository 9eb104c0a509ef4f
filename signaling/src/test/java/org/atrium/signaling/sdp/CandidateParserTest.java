package org.atrium.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.atrium.sfu.transport.IceCandidate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CandidateParserTest {

    @Test
    void readsChromeHostCandidate() throws SdpException {
        IceCandidate candidate = CandidateParser.parse(
                "candidate:3013953624 1 udp 2122260223 127.0.0.1 60489 typ host generation 0 ufrag Xy9n network-id 1");
        assertEquals(new IceCandidate("3013953624", 1, "udp", 2122260223L, "127.0.0.1", 60489, "host", null, -1, null),
                candidate);
    }

    /** RFC 6544 4.5: Chromium gathers active TCP candidates, port 9. */
    @Test
    void readsChromeActiveTcpCandidate() throws SdpException {
        IceCandidate candidate = CandidateParser.parse(
                "candidate:1259343484 1 tcp 1518280447 192.168.1.20 9 typ host tcptype active generation 0");
        assertEquals(new IceCandidate("1259343484", 1, "tcp", 1518280447L, "192.168.1.20", 9, "host", null, -1,
                "active"), candidate);
    }

    @Test
    void passiveTcpCandidateRoundTripsWithTcptypeAfterRelatedAddress() throws SdpException {
        IceCandidate candidate = new IceCandidate("t2", 1, "tcp", 1358978815L, "203.0.113.7", 10000, "srflx",
                "10.0.0.5", 10000, "passive");
        String text = CandidateParser.format(candidate);
        assertEquals("candidate:t2 1 tcp 1358978815 203.0.113.7 10000 typ srflx raddr 10.0.0.5 rport 10000"
                + " tcptype passive generation 0", text);
        assertEquals(candidate, CandidateParser.parse(text));
    }

    @Test
    void tcpCandidateOfUnknownTcptypeIsUnusable() throws SdpException {
        assertNull(CandidateParser.parse("candidate:1 1 tcp 1518280447 192.168.1.20 9 typ host tcptype sideways"));
    }

    @Test
    void readsServerReflexiveWithRelatedAddressAndLeadingA() throws SdpException {
        IceCandidate candidate = CandidateParser.parse(
                "a=candidate:842163049 1 udp 1686052607 203.0.113.7 47000 typ srflx raddr 10.0.0.5 rport 47000 generation 0");
        assertEquals("srflx", candidate.type());
        assertEquals("10.0.0.5", candidate.relatedAddress());
        assertEquals(47000, candidate.relatedPort());
    }

    /** Found by SdpFuzzTest: a lone rport was kept, and format() then dropped it (a lone raddr came back as "rport -1"). */
    @ParameterizedTest
    @ValueSource(strings = {
        "candidate:842163049 1 udp 1677729535 203.0.113.7 61665 typ srflx rAddr 10.0.0.5 rport 61665 generation 0",
        "candidate:842163049 1 udp 1677729535 203.0.113.7 61665 typ srflx raddr 10.0.0.5 generation 0",
    })
    void relatedAddressWithoutItsPortIsDroppedSoFormatRoundTrips(String text) throws SdpException {
        IceCandidate candidate = CandidateParser.parse(text);
        assertNull(candidate.relatedAddress());
        assertEquals(-1, candidate.relatedPort());
        assertEquals(candidate, CandidateParser.parse(CandidateParser.format(candidate)));
    }

    @Test
    void readsIpv6() throws SdpException {
        IceCandidate candidate = CandidateParser.parse("candidate:1 1 UDP 2122262783 ::1 50000 typ host");
        assertEquals("::1", candidate.address());
        assertEquals("udp", candidate.protocol());
    }

    @Test
    void mdnsHostNameIsIgnoredNotResolved() throws SdpException {
        assertNull(CandidateParser.parse(
                "candidate:1 1 udp 2122260223 1f4712db-ea17-4bcf-a596-105139dfd8bf.local 54400 typ host generation 0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "candidate:",
            "candidate:1 1 udp 2122260223 127.0.0.1 60489",                 // no typ
            "candidate:1 1 udp 2122260223 127.0.0.1 60489 type host",       // typ misspelt
            "candidate:1 1 udp 2122260223 127.0.0.1 99999 typ host",        // port out of range
            "candidate:1 1 udp -5 127.0.0.1 60489 typ host",                // negative priority
            "candidate:1 1 udp 2122260223 example.com 60489 typ host",      // a DNS name: never resolved
            "candidate:1 1 udp 2122260223 300.1.1.1 60489 typ host",        // not an IPv4 address
            "candidate:1 1 udp 2122260223 127.0.0.1 60489 typ teleport",    // unknown type
            "candidate:1 x udp 2122260223 127.0.0.1 60489 typ host",        // component not a number
            "candidate:bad;foundation 1 udp 1 127.0.0.1 1 typ host",        // foundation outside ice-char
    })
    void refusesMalformed(String text) {
        assertThrows(SdpException.class, () -> CandidateParser.parse(text));
    }

    @Test
    void formatRoundTrips() throws SdpException {
        IceCandidate candidate = new IceCandidate("2", 1, "udp", 1694498815L, "203.0.113.7", 10000, "srflx",
                "10.0.0.5", 10000, null);
        String text = CandidateParser.format(candidate);
        assertEquals("candidate:2 1 udp 1694498815 203.0.113.7 10000 typ srflx raddr 10.0.0.5 rport 10000 generation 0",
                text);
        assertEquals(candidate, CandidateParser.parse(text));
    }
}
