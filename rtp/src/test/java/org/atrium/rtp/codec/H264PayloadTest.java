package org.atrium.rtp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.atrium.rtp.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class H264PayloadTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        # name; payload; keyframe
        single IDR slice (type 5);                   65 88 84 00;                            true
        single non-IDR slice (type 1);               41 9a 02;                               false
        SPS (type 7);                                67 42 c0 1f;                            true
        PPS alone (type 8);                          68 ce 3c 80;                            false
        SEI (type 6);                                06 05 ff;                               false
        STAP-A with SPS and PPS;                     78 | 00 04 67 42 c0 1f | 00 02 68 ce;    true
        STAP-A with PPS then IDR;                    78 | 00 02 68 ce | 00 02 65 88;          true
        STAP-A with non-IDR only;                    78 | 00 02 41 9a | 00 01 06;             false
        STAP-A size overruns payload;                78 | 00 09 67 42;                       false
        STAP-A zero-size unit;                       78 | 00 00 | 00 02 67 42;                false
        STAP-A header only;                          78;                                     false
        FU-A first fragment of IDR;                  7c 85 88 84;                            true
        FU-A middle fragment of IDR;                 7c 05 88 84;                            false
        FU-A last fragment of IDR;                   7c 45 88 84;                            false
        FU-A first fragment of non-IDR;              5c 81 9a;                               false
        FU-A without FU header;                      7c;                                     false
        """)
    void detectsKeyframes(String name, String hex, boolean keyframe) {
        byte[] payload = Hex.bytes(hex);
        byte[] b = Hex.at(3, payload);
        assertEquals(keyframe, H264Payload.isKeyframe(b, 3, payload.length));
    }

    @Test
    void emptyPayloadIsNotAKeyframe() {
        assertFalse(H264Payload.isKeyframe(new byte[4], 2, 0));
    }
}
