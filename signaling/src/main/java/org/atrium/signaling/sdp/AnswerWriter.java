package org.atrium.signaling.sdp;

import java.util.ArrayList;
import java.util.List;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.RtpCodec;
import org.atrium.sfu.transport.IceCandidate;

/**
 * Writes the SFU's answer to a client's offer (WHIP, WHEP): one m-section per offered
 * one, in its order and with its mid (RFC 3264 6); the offer's payload types and
 * extension ids; the accepted sections in one BUNDLE group with rtcp-mux.
 */
public final class AnswerWriter {

    private static final String CRLF = "\r\n";

    private AnswerWriter() {
    }

    /**
     * The SFU's DTLS role for an offer, as the value of its a=setup: passive (the SFU is
     * the DTLS server) unless the offerer insists on passive. RFC 9725 lets a WHIP client
     * implement the DTLS client role only, so the server answers actpass with passive.
     */
    public static String setupFor(Offer offer) {
        return offer.setup().equals("passive") ? "active" : "passive";
    }

    /**
     * @param sessionId the o= line's session id
     * @param local the SFU's ICE credentials, certificate fingerprint and candidates
     * @param setup "active" or "passive" (see {@link #setupFor})
     * @param sections one per offered m-section, in the offer's order
     */
    public static String write(long sessionId, OfferWriter.LocalTransport local, String setup,
            List<AnswerSection> sections) {
        if (!setup.equals("active") && !setup.equals("passive")) {
            throw new IllegalArgumentException("an answer's a=setup is active or passive, not " + setup);
        }
        StringBuilder sdp = new StringBuilder(1024 + 1024 * sections.size());
        line(sdp, "v=0");
        line(sdp, "o=- " + sessionId + " 1 IN IP4 0.0.0.0");
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        // The first accepted section is the answerer-tagged one (RFC 8843 7.3.1): in practice
        // the offerer's tagged section, the first of its group.
        List<String> bundle = new ArrayList<>();
        for (AnswerSection section : sections) {
            if (section.direction() != null) {
                bundle.add(section.offered().mid());
            }
        }
        if (!bundle.isEmpty()) {
            line(sdp, "a=group:BUNDLE " + String.join(" ", bundle));
        }
        line(sdp, "a=msid-semantic: WMS *");
        boolean tagged = true;
        for (AnswerSection section : sections) {
            if (section.direction() == null) {
                writeRejected(sdp, section.offered());
            } else {
                writeAccepted(sdp, section, local, setup, tagged);
                tagged = false;
            }
        }
        return sdp.toString();
    }

    /** RFC 3264 6 and RFC 8843 7.3: port 0, one of the offered formats, the mid, no transport attributes. */
    private static void writeRejected(StringBuilder sdp, Offer.Section offered) {
        StringBuilder mline = new StringBuilder("m=").append(offered.kind()).append(" 0 ").append(offered.protocol());
        if (!offered.formats().isEmpty()) {
            Offer.Format first = offered.formats().get(0);
            mline.append(' ').append(first.payloadType() >= 0 ? String.valueOf(first.payloadType()) : first.name());
        }
        line(sdp, mline.toString());
        line(sdp, "c=IN IP4 0.0.0.0");
        line(sdp, "a=mid:" + offered.mid());
    }

    private static void writeAccepted(StringBuilder sdp, AnswerSection section, OfferWriter.LocalTransport local,
            String setup, boolean tagged) {
        Offer.Section offered = section.offered();
        StringBuilder mline = new StringBuilder("m=").append(offered.kind()).append(" 9 ").append(offered.protocol());
        for (CodecMatch codec : section.codecs()) {
            mline.append(' ').append(codec.offered().payloadType());
            if (codec.offeredRtx() != null) {
                mline.append(' ').append(codec.offeredRtx().payloadType());
            }
        }
        line(sdp, mline.toString());
        line(sdp, "c=IN IP4 0.0.0.0");
        line(sdp, "a=rtcp:9 IN IP4 0.0.0.0");
        // Transport attributes in every accepted section, as browsers write them; with BUNDLE
        // only the tagged section's count, and they are the same.
        line(sdp, "a=ice-ufrag:" + local.iceUfrag());
        line(sdp, "a=ice-pwd:" + local.icePassword());
        line(sdp, "a=fingerprint:sha-256 " + local.fingerprintSha256());
        line(sdp, "a=setup:" + setup);
        line(sdp, "a=mid:" + offered.mid());
        for (ExtensionMatch extension : section.extensions()) {
            line(sdp, "a=extmap:" + extension.offeredId() + " " + extension.local().uri());
        }
        line(sdp, "a=" + section.direction().attribute());
        OfferSection.SentTrack track = sends(section.direction()) ? section.track() : null;
        if (track != null) {
            line(sdp, "a=msid:" + track.streamId() + " " + track.trackId());
        }
        if (!section.rids().isEmpty()) {
            // RFC 8853: the answerer receives the offered send streams, each declared by a=rid (RFC 8851).
            for (String rid : section.rids()) {
                line(sdp, "a=rid:" + rid + " recv");
            }
            line(sdp, "a=simulcast:recv " + String.join(";", section.rids()));
        }
        line(sdp, "a=rtcp-mux");
        if (offered.rtcpRsize()) {
            line(sdp, "a=rtcp-rsize");
        }
        boolean rtx = false;
        for (CodecMatch codec : section.codecs()) {
            writeCodec(sdp, codec, section.remb());
            rtx |= codec.offeredRtx() != null;
        }
        if (track != null) {
            long rtxSsrc = rtx ? track.rtxSsrc() : -1;
            if (rtxSsrc >= 0) {
                line(sdp, "a=ssrc-group:FID " + track.ssrc() + " " + rtxSsrc);
            }
            line(sdp, "a=ssrc:" + track.ssrc() + " cname:" + track.cname());
            line(sdp, "a=ssrc:" + track.ssrc() + " msid:" + track.streamId() + " " + track.trackId());
            if (rtxSsrc >= 0) {
                line(sdp, "a=ssrc:" + rtxSsrc + " cname:" + track.cname());
                line(sdp, "a=ssrc:" + rtxSsrc + " msid:" + track.streamId() + " " + track.trackId());
            }
        }
        if (tagged) {
            // BUNDLE: the whole session runs on the tagged section's transport, so its candidates are all.
            for (IceCandidate candidate : local.candidates()) {
                line(sdp, "a=" + CandidateParser.format(candidate));
            }
            line(sdp, "a=end-of-candidates");
        }
    }

    /**
     * The offered payload type and encoding; feedback both sides have (RFC 4585 4.2), plus
     * goog-remb when asked for and offered; the SFU's own fmtp (for H264 with the offered
     * profile, see {@link H264ProfileLevelId#answerFmtp}); RTX repairing the offered type.
     */
    private static void writeCodec(StringBuilder sdp, CodecMatch codec, boolean remb) {
        Offer.Format offered = codec.offered();
        RtpCodec local = codec.local();
        int payloadType = offered.payloadType();
        line(sdp, "a=rtpmap:" + payloadType + " " + offered.name() + "/" + offered.clockRate()
                + (offered.channels() > 1 ? "/" + offered.channels() : ""));
        if (remb && local.kind() == MediaKind.VIDEO && offered.feedback().contains(MediaCapabilities.REMB_FEEDBACK)) {
            line(sdp, "a=rtcp-fb:" + payloadType + " " + MediaCapabilities.REMB_FEEDBACK);
        }
        for (String feedback : local.feedback()) {
            if (offered.feedback().contains(feedback)) {
                line(sdp, "a=rtcp-fb:" + payloadType + " " + feedback);
            }
        }
        String fmtp = local.name().equalsIgnoreCase("H264")
                ? H264ProfileLevelId.answerFmtp(offered.fmtp(), local.fmtp())
                : local.fmtp();
        if (!fmtp.isEmpty()) {
            line(sdp, "a=fmtp:" + payloadType + " " + fmtp);
        }
        Offer.Format rtx = codec.offeredRtx();
        if (rtx != null) {
            line(sdp, "a=rtpmap:" + rtx.payloadType() + " " + rtx.name() + "/" + rtx.clockRate());
            line(sdp, "a=fmtp:" + rtx.payloadType() + " apt=" + payloadType);
        }
    }

    private static boolean sends(Direction direction) {
        return direction == Direction.SENDONLY || direction == Direction.SENDRECV;
    }

    private static void line(StringBuilder sdp, String text) {
        sdp.append(text).append(CRLF);
    }
}
