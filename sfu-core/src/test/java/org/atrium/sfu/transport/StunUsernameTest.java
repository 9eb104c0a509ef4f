package org.atrium.sfu.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ufrag of a Binding Request's USERNAME, read from real bytes; null for everything else. */
class StunUsernameTest {

    /** RFC 5769 2.1, the sample request: USERNAME "evtj:h6vY", SOFTWARE, PRIORITY, ICE-CONTROLLED, MESSAGE-INTEGRITY, FINGERPRINT. */
    private static final String RFC5769_REQUEST = "000100582112a442b7e7a701bc34d686fa87dfae"
            + "802200105354554e207465737420636c69656e74"
            + "002400046e0001ff"
            + "80290008932ff9b151263b36"
            + "000600096576746a3a68367659202020"
            + "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
            + "80280004e57a3bcf";

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", value = {
        "RFC 5769 sample request,                " + RFC5769_REQUEST + ", evtj",
        "USERNAME first and alone,               000100102112a442000000000000000000000001 0006000b6162636465663a7a7a7a7a00, abcdef",
        "no colon: the whole name,               000100082112a442000000000000000000000001 0006000461626364, abcd",
        "empty local part,                       000100082112a442000000000000000000000001 000600023a7a0000, null",
        "no USERNAME,                            000100082112a442000000000000000000000001 002400046e0001ff, null",
        "a Binding success response,             010100082112a442000000000000000000000001 0006000461626364, null",
        "wrong magic cookie,                     000100082112a443000000000000000000000001 0006000461626364, null",
        "length past the datagram,               000100202112a442000000000000000000000001 0006000461626364, null",
        "attribute past the message,             000100082112a442000000000000000000000001 0006000861626364, null",
        "length not a multiple of 4,             000100072112a442000000000000000000000001 00060003616263, null",
        "shorter than a header,                  0001000021 12a442, null",
        "an RTP packet,                          80600001000000010000000100000000deadbeef, null",
    })
    void localUfrag(String description, String hex, String expected) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertEquals(expected, StunUsername.localUfrag(b, 0, b.length), description);
        // The same at an offset inside a larger buffer.
        byte[] shifted = new byte[b.length + 9];
        System.arraycopy(b, 0, shifted, 5, b.length);
        assertEquals(expected, StunUsername.localUfrag(shifted, 5, b.length), description + " at an offset");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "RFC 5769 request, " + RFC5769_REQUEST + ", true",
        "DTLS record,      16fefd000000000000000000010000000000000000, false",
        "RTP,              80600001000000010000000100000000deadbeef, false",
        "no cookie,        0001000000000000000000000000000000000000, false",
    })
    void isStun(String description, String hex, boolean expected) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        if (expected) {
            assertTrue(StunUsername.isStun(b, 0, b.length), description);
        } else {
            assertFalse(StunUsername.isStun(b, 0, b.length), description);
        }
    }
}
