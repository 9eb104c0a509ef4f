package org.atrium.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Profiles as libwebrtc's h264_profile_level_id.cc tells them apart, and the fmtp the SFU answers. */
class H264ProfileLevelIdTest {

    private static final String LOCAL = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "42e01f, CONSTRAINED_BASELINE, 310",
            "42c00c, CONSTRAINED_BASELINE, 120",
            "4d801f, CONSTRAINED_BASELINE, 310",
            "58c01f, CONSTRAINED_BASELINE, 310",
            "42f00b, CONSTRAINED_BASELINE, 105",
            "42e00b, CONSTRAINED_BASELINE, 110",
            "42001f, BASELINE, 310",
            "42101f, BASELINE, 310",
            "58801f, BASELINE, 310",
            "4d001f, OTHER, 310",
            "64001f, OTHER, 310",
            "42e11f, OTHER, 310",
    })
    void readsProfileAndLevel(String id, H264ProfileLevelId.Profile profile, int level) {
        H264ProfileLevelId parsed = H264ProfileLevelId.of(Map.of("profile-level-id", id));
        assertEquals(profile, parsed.profile());
        assertEquals(level, parsed.levelOrder());
        assertEquals(id, parsed.toString());
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f | 42e01f | Chrome: the same",
            "profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1 | 42e01f | OBS: the same, local order",
            "packetization-mode=1;sprop-parameter-sets=Z0LADIyNQKD5APCIRqA=,aM48gA==;profile-level-id=42c00c;level-asymmetry-allowed=1 | 42c01f | GStreamer: its profile, the SFU's level with asymmetry",
            "packetization-mode=1;profile-level-id=42c00c                           | 42c00c | no asymmetry: the lower level, the offer's",
            "packetization-mode=1;profile-level-id=42e034                           | 42e01f | no asymmetry: the lower level, the SFU's",
            "packetization-mode=1;profile-level-id=42f00b                           | 42f00b | level 1b kept with its constraint_set3",
            "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42f00b | 42e01f | constraint_set3 cleared with another level",
            "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f | 42001f | baseline answered as baseline",
    })
    void answersTheOfferedProfileAtALevelBothTake(String offered, String answered, String why) {
        assertEquals("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=" + answered,
                H264ProfileLevelId.answerFmtp(offered, LOCAL), why);
    }
}
