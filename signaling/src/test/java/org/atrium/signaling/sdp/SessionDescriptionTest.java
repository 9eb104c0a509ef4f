package org.atrium.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionDescriptionTest {

    /** Found by SdpFuzzTest: "\r\n" made parse throw ArrayIndexOutOfBoundsException. */
    @ParameterizedTest
    @ValueSource(strings = {"\r\n", "\n", "\n\n", "\r\n\r\n"})
    void refusesLineBreaksWithoutLines(String sdp) {
        SdpException e = assertThrows(SdpException.class, () -> SessionDescription.parse(sdp));
        assertEquals("SDP must start with v=0", e.getMessage());
    }
}
