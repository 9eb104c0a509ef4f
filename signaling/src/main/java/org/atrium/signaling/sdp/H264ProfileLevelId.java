package org.atrium.signaling.sdp;

import java.util.Locale;
import java.util.Map;

/**
 * H.264's {@code profile-level-id} (RFC 6184 8.1): profile_idc, profile-iop (the
 * constraint_set flags) and level_idc, three bytes in hex such as {@code 42e01f}.
 *
 * <p>Profiles are told apart as libwebrtc does ({@code h264_profile_level_id.cc}, from RFC
 * 6184 8.1): constrained baseline is profile_idc 0x42 with constraint_set1 (0x40), or 0x4d
 * with constraint_set0 (0x80), or 0x58 with both, and constraint_set4 and 5 clear;
 * baseline is 0x42 or 0x58 without those. Levels are compared, never required to be equal.
 */
record H264ProfileLevelId(int profileIdc, int profileIop, int levelIdc) {

    enum Profile { CONSTRAINED_BASELINE, BASELINE, OTHER }

    /** What libwebrtc assumes when the fmtp has no profile-level-id (RFC 6184 says baseline 1). */
    static final H264ProfileLevelId DEFAULT = new H264ProfileLevelId(0x42, 0xe0, 0x1f);

    private static final int CONSTRAINT_SET3 = 0x10;

    /** The profile-level-id of an fmtp, {@link #DEFAULT} when it has none, null when it is malformed. */
    static H264ProfileLevelId of(Map<String, String> fmtp) {
        String value = fmtp.get("profile-level-id");
        if (value == null) {
            return DEFAULT;
        }
        if (!value.matches("[0-9A-Fa-f]{6}")) {
            return null;
        }
        int bits = Integer.parseInt(value, 16);
        return new H264ProfileLevelId(bits >> 16, (bits >> 8) & 0xff, bits & 0xff);
    }

    Profile profile() {
        if ((profileIop & 0x0f) != 0) {
            return Profile.OTHER;
        }
        boolean set0 = (profileIop & 0x80) != 0;
        boolean set1 = (profileIop & 0x40) != 0;
        return switch (profileIdc) {
            case 0x42 -> set1 ? Profile.CONSTRAINED_BASELINE : Profile.BASELINE;
            case 0x4d -> set0 ? Profile.CONSTRAINED_BASELINE : Profile.OTHER;
            case 0x58 -> !set0 ? Profile.OTHER : set1 ? Profile.CONSTRAINED_BASELINE : Profile.BASELINE;
            default -> Profile.OTHER;
        };
    }

    /** The level in tenths for comparing, level 1b (level_idc 11 with constraint_set3) between 1 and 1.1. */
    int levelOrder() {
        return is1b() ? 105 : levelIdc * 10;
    }

    private boolean is1b() {
        return levelIdc == 11 && (profileIop & CONSTRAINT_SET3) != 0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%02x%02x%02x", profileIdc, profileIop, levelIdc);
    }

    /**
     * The fmtp to answer an offered H.264 format with, built as libwebrtc builds its own
     * answer: the local parameters, with the offered profile and a level that is the local
     * one when both sides allow level asymmetry, else the lower of the two. The offer's
     * sprop-parameter-sets and the like describe the offerer's stream and are not echoed.
     */
    static String answerFmtp(String offeredFmtp, String localFmtp) {
        Map<String, String> offered = parameters(offeredFmtp);
        Map<String, String> local = parameters(localFmtp);
        H264ProfileLevelId offeredId = of(offered);
        H264ProfileLevelId localId = of(local);
        if (offeredId == null || localId == null) {
            throw new IllegalArgumentException("not a matched H264 format: " + offeredFmtp);
        }
        boolean asymmetry = "1".equals(offered.get("level-asymmetry-allowed"))
                && "1".equals(local.get("level-asymmetry-allowed"));
        H264ProfileLevelId answer;
        if (!asymmetry && offeredId.levelOrder() <= localId.levelOrder()) {
            answer = offeredId;
        } else {
            // The local level with the offered profile: constraint_set3 only meant level 1b.
            int iop = localId.is1b() ? offeredId.profileIop | CONSTRAINT_SET3 : offeredId.profileIop & ~CONSTRAINT_SET3;
            answer = new H264ProfileLevelId(offeredId.profileIdc, iop, localId.levelIdc);
        }
        local.put("profile-level-id", answer.toString());
        StringBuilder fmtp = new StringBuilder();
        for (Map.Entry<String, String> parameter : local.entrySet()) {
            if (fmtp.length() > 0) {
                fmtp.append(';');
            }
            fmtp.append(parameter.getKey()).append('=').append(parameter.getValue());
        }
        return fmtp.toString();
    }

    static Map<String, String> parameters(String fmtp) {
        return FmtpParameters.parse(fmtp);
    }
}
