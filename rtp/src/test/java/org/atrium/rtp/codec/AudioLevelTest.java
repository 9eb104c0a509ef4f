package org.atrium.rtp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AudioLevelTest {
    @ParameterizedTest(name = "0x{0}")
    @CsvSource(textBlock = """
        # byte, voice activity, level (-dBov)
        a5, true, 37
        25, false, 37
        ff, true, 127
        7f, false, 127
        80, true, 0
        00, false, 0
        """)
    void decodesAndEncodesTheDataByte(String hex, boolean voice, int level) {
        byte data = (byte) Integer.parseInt(hex, 16);
        assertEquals(voice, AudioLevel.voiceActivity(data));
        assertEquals(level, AudioLevel.level(data));
        assertEquals(data, AudioLevel.encode(voice, level));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"-5, 0", "200, 127"})
    void encodeClampsTheLevel(int level, int encoded) {
        assertEquals(encoded, AudioLevel.level(AudioLevel.encode(false, level)));
    }
}
