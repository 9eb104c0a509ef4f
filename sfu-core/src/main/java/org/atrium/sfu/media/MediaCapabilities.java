package org.atrium.sfu.media;

import java.util.ArrayList;
import java.util.List;

/**
 * What the SFU negotiates with every participant: codecs and header extensions, with
 * payload types and extension ids fixed for the whole server so that packets can be
 * forwarded without rewriting them.
 */
public record MediaCapabilities(List<RtpCodec> codecs, List<RtpHeaderExtension> extensions) {

    // transport-cc: the SFU sends transport-wide feedback for what it receives, which
    // drives the browser's send-side bandwidth estimate. goog-remb is not offered with
    // it: Chrome then stops ramping up on transport-wide feedback alone. Signaling offers
    // it to a participant whose answer dropped transport-cc (REMB_FEEDBACK).
    private static final List<String> AUDIO_FEEDBACK = List.of("transport-cc");
    private static final List<String> VIDEO_FEEDBACK = List.of("transport-cc", "nack", "nack pli", "ccm fir");

    /** The rtcp-fb value for REMB (draft-alvestrand-rmcat-remb). */
    public static final String REMB_FEEDBACK = "goog-remb";

    public MediaCapabilities {
        codecs = List.copyOf(codecs);
        extensions = List.copyOf(extensions);
    }

    /** Opus for audio; VP8, then H264 (constrained baseline, packetization-mode 1) for video. */
    public static MediaCapabilities defaults() {
        return new MediaCapabilities(
                List.of(
                        new RtpCodec(MediaKind.AUDIO, "opus", 111, 48000, 2,
                                "minptime=10;useinbandfec=1", AUDIO_FEEDBACK, -1),
                        new RtpCodec(MediaKind.VIDEO, "VP8", 96, 90000, 0, "", VIDEO_FEEDBACK, 97),
                        new RtpCodec(MediaKind.VIDEO, "H264", 102, 90000, 0,
                                "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                                VIDEO_FEEDBACK, 103)),
                List.of(
                        new RtpHeaderExtension(RtpHeaderExtension.AUDIO_LEVEL, 1, true, false, true),
                        new RtpHeaderExtension(RtpHeaderExtension.TRANSPORT_CC, 3, true, true, false),
                        new RtpHeaderExtension(RtpHeaderExtension.MID, 4, true, true, false),
                        new RtpHeaderExtension(RtpHeaderExtension.RID, 10, false, true, false),
                        new RtpHeaderExtension(RtpHeaderExtension.REPAIRED_RID, 11, false, true, false)));
    }

    public List<RtpCodec> codecs(MediaKind kind) {
        List<RtpCodec> result = new ArrayList<>();
        for (RtpCodec codec : codecs) {
            if (codec.kind() == kind) {
                result.add(codec);
            }
        }
        return result;
    }

    public List<RtpHeaderExtension> extensions(MediaKind kind) {
        List<RtpHeaderExtension> result = new ArrayList<>();
        for (RtpHeaderExtension extension : extensions) {
            if (extension.appliesTo(kind)) {
                result.add(extension);
            }
        }
        return result;
    }

    /** The codec with this payload type, or its retransmission format's, or null. */
    public RtpCodec codecForPayloadType(int payloadType) {
        for (RtpCodec codec : codecs) {
            if (codec.payloadType() == payloadType || codec.rtxPayloadType() == payloadType) {
                return codec;
            }
        }
        return null;
    }

    /** The extension id for a URI, or 0 when it is not negotiated. */
    public int extensionId(String uri) {
        for (RtpHeaderExtension extension : extensions) {
            if (extension.uri().equals(uri)) {
                return extension.id();
            }
        }
        return 0;
    }

    /**
     * The id map for copying a sender's extensions to a receiver's packet: index = id on
     * the sender's leg, value = id on the receiver's leg, 0 = removed.
     */
    public byte[] forwardedExtensionIdMap() {
        byte[] map = new byte[16];
        for (RtpHeaderExtension extension : extensions) {
            if (extension.forwarded()) {
                map[extension.id()] = (byte) extension.id();
            }
        }
        return map;
    }
}
