package org.atrium.signaling.sdp;

import java.util.List;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.RtpHeaderExtension;

/**
 * How the SFU answers one offered m-section, for {@link AnswerWriter}.
 *
 * @param offered the offered section
 * @param direction from the SFU's side: RECVONLY where a WHIP client publishes, SENDONLY
 *        where a WHEP client plays; null to reject the section
 * @param codecs the codecs taken (from {@link OfferMatch#codecs}); not empty unless rejected
 * @param extensions the header extensions taken (from {@link OfferMatch#extensions})
 * @param track for a section the SFU sends in: its msid and SSRCs; may be null
 * @param remb also answer goog-remb for video (see {@link OfferMatch#needsRemb})
 * @param rids the simulcast RIDs the SFU receives (RFC 8853), a subset of the offered
 *        {@code sendRids} in their order; empty for one stream
 */
public record AnswerSection(Offer.Section offered, Direction direction, List<CodecMatch> codecs,
        List<ExtensionMatch> extensions, OfferSection.SentTrack track, boolean remb, List<String> rids) {

    /** The protocols of DTLS-SRTP media with feedback that WebRTC offers (RFC 8829 5.1.2). */
    private static final List<String> PROTOCOLS = List.of("UDP/TLS/RTP/SAVPF", "TCP/DTLS/RTP/SAVPF");

    public AnswerSection {
        codecs = codecs == null ? List.of() : List.copyOf(codecs);
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
        rids = rids == null ? List.of() : List.copyOf(rids);
        if (direction != null) {
            if (offered.rejected()) {
                throw new IllegalArgumentException("m-section " + offered.mid() + " was offered with port 0");
            }
            if (!direction.isValidAnswerTo(offered.direction())) {
                throw new IllegalArgumentException("m-section " + offered.mid() + ": " + direction.attribute()
                        + " cannot answer " + offered.direction().attribute());
            }
            if (codecs.isEmpty()) {
                throw new IllegalArgumentException("m-section " + offered.mid() + " has no codec: reject it");
            }
            if (!offered.sendRids().containsAll(rids)) {
                throw new IllegalArgumentException("m-section " + offered.mid() + " offers RIDs " + offered.sendRids()
                        + ", not " + rids);
            }
            if (!rids.isEmpty() && direction != Direction.RECVONLY && direction != Direction.SENDRECV) {
                throw new IllegalArgumentException("m-section " + offered.mid() + " receives no simulcast when "
                        + direction.attribute());
            }
        }
    }

    /** The section rejected: port 0 in the answer, outside the BUNDLE group. */
    public static AnswerSection rejected(Offer.Section offered) {
        return new AnswerSection(offered, null, List.of(), List.of(), null, false, List.of());
    }

    /**
     * A WHIP section: the SFU receives what the client sends, with every simulcast RID it
     * offers. Rejected when the section does not send audio or video over DTLS-SRTP, or
     * has no codec in common. Simulcast needs the RID and MID extensions, from which the
     * SFU learns each encoding's SSRC; without them the RIDs are declined and the client
     * sends one stream.
     */
    public static AnswerSection receiving(Offer.Section offered, MediaCapabilities capabilities) {
        if (!usable(offered) || !Direction.RECVONLY.isValidAnswerTo(offered.direction())) {
            return rejected(offered);
        }
        List<CodecMatch> codecs = OfferMatch.codecs(offered, capabilities);
        if (codecs.isEmpty()) {
            return rejected(offered);
        }
        List<ExtensionMatch> extensions = OfferMatch.extensions(offered, capabilities);
        boolean demultiplexable = has(extensions, RtpHeaderExtension.RID) && has(extensions, RtpHeaderExtension.MID);
        return new AnswerSection(offered, Direction.RECVONLY, codecs, extensions, null,
                OfferMatch.needsRemb(offered, codecs, extensions), demultiplexable ? offered.sendRids() : List.of());
    }

    /**
     * A WHEP section: the SFU sends {@code track} to a client that receives. Rejected as
     * {@link #receiving} is.
     */
    public static AnswerSection sending(Offer.Section offered, MediaCapabilities capabilities,
            OfferSection.SentTrack track) {
        if (!usable(offered) || !Direction.SENDONLY.isValidAnswerTo(offered.direction())) {
            return rejected(offered);
        }
        List<CodecMatch> codecs = OfferMatch.codecs(offered, capabilities);
        if (codecs.isEmpty()) {
            return rejected(offered);
        }
        List<ExtensionMatch> extensions = OfferMatch.extensions(offered, capabilities);
        return new AnswerSection(offered, Direction.SENDONLY, codecs, extensions, track,
                OfferMatch.needsRemb(offered, codecs, extensions), List.of());
    }

    private static boolean usable(Offer.Section offered) {
        return !offered.rejected() && offered.mediaKind() != null && PROTOCOLS.contains(offered.protocol());
    }

    private static boolean has(List<ExtensionMatch> extensions, String uri) {
        return extensions.stream().anyMatch(extension -> extension.local().uri().equals(uri));
    }
}
