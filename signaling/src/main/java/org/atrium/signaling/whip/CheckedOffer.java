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
import org.atrium.signaling.sdp.OfferSection;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.RtpCodec;
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
     * One section taken, and how the SFU answers it (its codecs and header extensions with the
     * offer's numbers, and the simulcast RIDs the SFU receives); a WHEP answer gets its track
     * once the SSRCs are reserved.
     */
    record Accepted(Offer.Section section, MediaKind kind, AnswerSection answer) {

        List<CodecMatch> codecs() {
            return answer.codecs();
        }

        List<ExtensionMatch> extensions() {
            return answer.extensions();
        }

        List<String> rids() {
            return answer.rids();
        }
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
            if (!(publish ? Direction.RECVONLY : Direction.SENDONLY).isValidAnswerTo(direction)) {
                throw HttpError.notAcceptable("m-section " + section.mid() + " is " + direction.attribute() + "; a "
                        + (publish ? "WHIP offer sends (sendonly)" : "WHEP offer receives (recvonly)"));
            }
            if (!kinds.add(kind)) {
                throw HttpError.notAcceptable("The offer has two " + kind.sdpName()
                        + " sections; one audio and one video track at most (one MediaStream, RFC 9725)");
            }
            // The section's codecs and extensions, and for WHIP the simulcast RIDs the SFU can
            // tell apart (by the RID and MID extensions); rejected when no codec is in common.
            AnswerSection answer = publish ? AnswerSection.receiving(section, capabilities)
                    : AnswerSection.sending(section, capabilities, null);
            if (answer.direction() == null) {
                throw HttpError.notAcceptable("m-section " + section.mid() + " offers no codec the SFU forwards over "
                        + section.protocol() + " (" + offered(section) + "); it takes " + supported(capabilities, kind)
                        + " over UDP/TLS/RTP/SAVPF");
            }
            if (publish && section.ssrc() < 0 && answer.rids().isEmpty()) {
                throw HttpError.notAcceptable("m-section " + section.mid() + " names no a=ssrc"
                        + (section.sendRids().isEmpty() ? ""
                                : ", and its simulcast RIDs need the rtp-stream-id and mid header extensions"));
            }
            remb |= answer.remb();
            accepted.add(new Accepted(section, kind, answer));
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

    /** Answer sections for every offered one: those taken with their track (null for WHIP), the rest rejected. */
    List<AnswerSection> answerSections(Function<Accepted, OfferSection.SentTrack> tracks) {
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
                AnswerSection answer = taken.answer();
                sections.add(new AnswerSection(section, answer.direction(), answer.codecs(), answer.extensions(),
                        tracks.apply(taken), answer.remb(), answer.rids()));
            }
        }
        return sections;
    }
}
