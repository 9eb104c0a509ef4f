package org.atrium.signaling.sdp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.RtpCodec;
import org.atrium.sfu.media.RtpHeaderExtension;

/** Which offered codecs and header extensions the SFU has, section by section. */
public final class OfferMatch {

    private static final int NO_MATCH = -1;
    private static final int SAME_PROFILE = 0;
    private static final int BASELINE_FOR_CONSTRAINED = 1;

    private OfferMatch() {
    }

    /**
     * Every offered format that is one of the SFU's codecs, in the offer's order (its
     * preference, RFC 3264 6.1), each local codec at most once: name (any case), clock rate
     * and channels equal; for H264 packetization-mode 1 and the same profile (see
     * {@link #rank}).
     */
    public static List<CodecMatch> codecs(Offer.Section section, MediaCapabilities capabilities) {
        MediaKind kind = section.mediaKind();
        if (kind == null) {
            return List.of();
        }
        List<CodecMatch> matches = new ArrayList<>();
        for (RtpCodec local : capabilities.codecs(kind)) {
            Offer.Format best = null;
            int bestRank = NO_MATCH;
            for (Offer.Format format : section.formats()) {
                int rank = rank(format, local);
                if (rank != NO_MATCH && (best == null || rank < bestRank)) {
                    best = format;
                    bestRank = rank;
                }
            }
            if (best != null) {
                Offer.Format rtx = local.hasRtx() ? section.rtxFor(best.payloadType()) : null;
                matches.add(new CodecMatch(best, rtx, local));
            }
        }
        matches.sort(Comparator.comparingInt(match -> section.formats().indexOf(match.offered())));
        return matches;
    }

    /**
     * How well an offered format fits a local codec: {@link #SAME_PROFILE}, or for H264
     * {@link #BASELINE_FOR_CONSTRAINED}, or {@link #NO_MATCH}.
     *
     * <p>Baseline (e.g. 42001f) is not the constrained baseline the SFU negotiates (42e01f):
     * libwebrtc matches them as different profiles. It is taken when the offer has no
     * constrained baseline, because in practice the two are one stream: WebRTC encoders
     * (libwebrtc's OpenH264, x264, hardware) never use the tools that baseline adds (FMO,
     * ASO, redundant slices), and every decoder of 42e01f decodes baseline streams. In the
     * other direction a constrained-baseline stream is a baseline stream by definition, so
     * a WHEP viewer that offers only 42001f receives what it can decode.
     */
    static int rank(Offer.Format format, RtpCodec local) {
        if (format.payloadType() < 0 || !format.name().equalsIgnoreCase(local.name())
                || format.clockRate() != local.clockRate() || format.channels() != local.channels()) {
            return NO_MATCH;
        }
        if (!local.name().equalsIgnoreCase("H264")) {
            return SAME_PROFILE;
        }
        Map<String, String> offered = format.parameters();
        Map<String, String> wanted = FmtpParameters.parse(local.fmtp());
        // packetization-mode 0 (one NAL unit per packet) cannot carry the SFU's streams; absent means 0.
        if (!offered.getOrDefault("packetization-mode", "0").equals(wanted.getOrDefault("packetization-mode", "0"))) {
            return NO_MATCH;
        }
        H264ProfileLevelId offeredId = H264ProfileLevelId.of(offered);
        H264ProfileLevelId localId = H264ProfileLevelId.of(wanted);
        if (offeredId == null || localId == null || offeredId.profile() == H264ProfileLevelId.Profile.OTHER) {
            return NO_MATCH;
        }
        if (offeredId.profile() == localId.profile()) {
            return SAME_PROFILE;
        }
        return localId.profile() == H264ProfileLevelId.Profile.CONSTRAINED_BASELINE
                && offeredId.profile() == H264ProfileLevelId.Profile.BASELINE ? BASELINE_FOR_CONSTRAINED : NO_MATCH;
    }

    /**
     * The offered header extensions the SFU knows for the section's kind, in the offer's
     * order, each local extension once. Ids above 14 are left out: they need the two-byte
     * header form, which the SFU does not write.
     */
    public static List<ExtensionMatch> extensions(Offer.Section section, MediaCapabilities capabilities) {
        MediaKind kind = section.mediaKind();
        if (kind == null) {
            return List.of();
        }
        List<ExtensionMatch> matches = new ArrayList<>();
        for (Offer.Extmap extmap : section.extensions()) {
            if (extmap.id() > 14) {
                continue;
            }
            for (RtpHeaderExtension local : capabilities.extensions(kind)) {
                if (local.uri().equals(extmap.uri()) && matches.stream().noneMatch(m -> m.local().equals(local))) {
                    matches.add(new ExtensionMatch(extmap.id(), local));
                }
            }
        }
        return matches;
    }

    /**
     * Whether the SFU should send REMB for a video section: the offer takes goog-remb for a
     * matched codec and transport-wide congestion control is not negotiated (the SFU's
     * estimate then reaches the sender only as REMB).
     */
    public static boolean needsRemb(Offer.Section section, List<CodecMatch> codecs, List<ExtensionMatch> extensions) {
        if (section.mediaKind() != MediaKind.VIDEO) {
            return false;
        }
        for (ExtensionMatch extension : extensions) {
            if (extension.local().uri().equals(RtpHeaderExtension.TRANSPORT_CC)) {
                return false;
            }
        }
        for (CodecMatch codec : codecs) {
            if (codec.offered().feedback().contains(MediaCapabilities.REMB_FEEDBACK)) {
                return true;
            }
        }
        return false;
    }
}
