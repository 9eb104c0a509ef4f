package org.atrium.signaling.whip;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.atrium.dtls.DtlsRole;
import org.atrium.signaling.sdp.AnswerSection;
import org.atrium.signaling.sdp.AnswerWriter;
import org.atrium.signaling.sdp.CodecMatch;
import org.atrium.signaling.sdp.Direction;
import org.atrium.signaling.sdp.ExtensionMatch;
import org.atrium.signaling.sdp.Offer;
import org.atrium.signaling.sdp.OfferMatch;
import org.atrium.signaling.sdp.OfferSection;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.RtpCodec;
import org.atrium.sfu.media.RtpHeaderExtension;
import org.atrium.sfu.transport.PayloadMapping;

/**
 * A WHIP or WHEP offer checked against what the SFU forwards, before anything is made for
 * it: at most one audio and one video section (RFC 9725: one MediaStream), each sent the
 * right way, each with a codec the SFU forwards. RFC 9725 asks for no partially successful
 * answers, so a section that cannot be taken refuses the whole offer (406).
 *
 * @param accepted the sections taken, in the offer's order
 * @param mapping the offer's payload types and extension ids to the SFU's own, and back
 * @param remb the video section keeps REMB and not transport-cc: the SFU sends REMB
 */
record CheckedOffer(Offer offer, List<Accepted> accepted, PayloadMapping mapping, boolean remb) {

    /**
     * One section taken: its codecs and header extensions with the offer's numbers, and the
     * simulcast RIDs the SFU receives (empty for one stream).
     */
    record Accepted(Offer.Section section, MediaKind kind, List<CodecMatch> codecs, List<ExtensionMatch> extensions,
            List<String> rids) {
    }

    /**
     * @param publish a WHIP offer, whose sections send (sendonly, or sendrecv); else a WHEP
     *     offer, whose sections receive (recvonly, or sendrecv)
     */
    static CheckedOffer check(Offer offer, MediaCapabilities capabilities, boolean publish) throws HttpError {
        List<Accepted> accepted = new ArrayList<>();
        Set<MediaKind> kinds = EnumSet.noneOf(MediaKind.class);
        boolean remb = false;
        for (Offer.Section section : offer.sections()) {
            if (section.rejected()) {
                continue;
            }
            MediaKind kind = section.mediaKind();
            if (kind == null) {
                throw HttpError.notAcceptable("m-section " + section.mid() + " is m=" + section.kind()
                        + "; WHIP and WHEP carry audio and video only");
            }
            Direction direction = section.direction();
            boolean fits = publish ? direction == Direction.SENDONLY || direction == Direction.SENDRECV
                    : direction == Direction.RECVONLY || direction == Direction.SENDRECV;
            if (!fits) {
                throw HttpError.notAcceptable("m-section " + section.mid() + " is " + direction.attribute() + "; a "
                        + (publish ? "WHIP offer sends (sendonly)" : "WHEP offer receives (recvonly)"));
            }
            if (!kinds.add(kind)) {
                throw HttpError.notAcceptable("The offer has two " + kind.sdpName()
                        + " sections; one audio and one video track at most (one MediaStream, RFC 9725)");
            }
            List<CodecMatch> codecs = OfferMatch.codecs(section, capabilities);
            if (codecs.isEmpty()) {
                throw HttpError.notAcceptable("m-section " + section.mid() + " offers no codec the SFU forwards ("
                        + offered(section) + "); it takes " + supported(capabilities, kind));
            }
            List<ExtensionMatch> extensions = OfferMatch.extensions(section, capabilities);
            // Simulcast encodings are told apart by their RID and MID extensions.
            List<String> rids = publish && has(extensions, RtpHeaderExtension.RID)
                    && has(extensions, RtpHeaderExtension.MID) ? section.sendRids() : List.of();
            if (publish && section.ssrc() < 0 && rids.isEmpty()) {
                throw HttpError.notAcceptable("m-section " + section.mid() + " names no a=ssrc"
                        + (section.sendRids().isEmpty() ? ""
                                : ", and its simulcast RIDs need the rtp-stream-id and mid header extensions"));
            }
            remb |= OfferMatch.needsRemb(section, codecs, extensions);
            accepted.add(new Accepted(section, kind, codecs, extensions, rids));
        }
        if (accepted.isEmpty()) {
            throw HttpError.notAcceptable("The offer has no audio or video section to " + (publish ? "send" : "receive"));
        }
        return new CheckedOffer(offer, List.copyOf(accepted), mapping(accepted), remb);
    }

    /** The offer's numbers to the SFU's; one number for two codecs (or extensions) in one BUNDLE group is refused. */
    private static PayloadMapping mapping(List<Accepted> accepted) throws HttpError {
        PayloadMapping.Builder mapping = PayloadMapping.builder();
        try {
            for (Accepted section : accepted) {
                for (CodecMatch codec : section.codecs()) {
                    mapping.payloadType(codec.offered().payloadType(), codec.local().payloadType());
                    if (codec.offeredRtx() != null && codec.local().hasRtx()) {
                        mapping.payloadType(codec.offeredRtx().payloadType(), codec.local().rtxPayloadType());
                    }
                }
                for (ExtensionMatch extension : section.extensions()) {
                    mapping.extension(extension.offeredId(), extension.local().id());
                }
            }
            return mapping.build();
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("The offer gives one number two meanings in its BUNDLE group (RFC 8843 9.1): "
                    + e.getMessage());
        }
    }

    private static boolean has(List<ExtensionMatch> extensions, String uri) {
        return extensions.stream().anyMatch(extension -> extension.local().uri().equals(uri));
    }

    private static String offered(Offer.Section section) {
        List<String> names = new ArrayList<>();
        for (Offer.Format format : section.formats()) {
            if (format.apt() < 0 && names.size() < 8) {
                names.add(format.name() + "/" + format.clockRate());
            }
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static String supported(MediaCapabilities capabilities, MediaKind kind) {
        List<String> names = new ArrayList<>();
        for (RtpCodec codec : capabilities.codecs(kind)) {
            names.add(codec.name() + "/" + codec.clockRate()
                    + (codec.name().equalsIgnoreCase("H264") ? " (packetization-mode=1, constrained baseline)" : ""));
        }
        return String.join(", ", names);
    }

    /** The answer's a=setup (RFC 8842): passive, the SFU the DTLS server, unless the client insists on that role. */
    String answerSetup() {
        return AnswerWriter.setupFor(offer);
    }

    DtlsRole localDtlsRole() {
        return answerSetup().equals("active") ? DtlsRole.CLIENT : DtlsRole.SERVER;
    }

    /** The offerer controls ICE (RFC 8445 6.1.1) unless it is ICE-lite. */
    boolean localIceControlling() {
        return offer.iceLite();
    }

    /** Answer sections for every offered one: those taken with {@code direction} and their track, the rest rejected. */
    List<AnswerSection> answerSections(Direction direction, Function<Accepted, OfferSection.SentTrack> tracks) {
        List<AnswerSection> sections = new ArrayList<>();
        for (Offer.Section section : offer.sections()) {
            Accepted taken = null;
            for (Accepted candidate : accepted) {
                if (candidate.section() == section) {
                    taken = candidate;
                }
            }
            if (taken == null) {
                sections.add(AnswerSection.rejected(section));
            } else {
                sections.add(new AnswerSection(section, direction, taken.codecs(), taken.extensions(),
                        tracks.apply(taken), remb && taken.kind() == MediaKind.VIDEO, taken.rids()));
            }
        }
        return sections;
    }
}
