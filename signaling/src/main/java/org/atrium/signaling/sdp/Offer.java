package org.atrium.signaling.sdp;

import java.util.List;
import java.util.Map;
import org.atrium.dtls.Fingerprint;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.transport.IceCandidate;

/**
 * A client's SDP offer, as WHIP (RFC 9725) and WHEP clients send it: the transport of
 * its BUNDLE group and what each m-section offers. Read by {@link OfferReader}.
 *
 * @param iceUfrag ICE username fragment of the bundled transport (the BUNDLE group's
 *        first m-section's, else the session-level one)
 * @param icePassword its ICE password
 * @param fingerprint the offerer's DTLS certificate fingerprint
 * @param setup the offerer's DTLS role (RFC 8842): "actpass", "active" or "passive";
 *        "active" when the offer has no a=setup (the RFC 4145 default), so that the SFU
 *        answers passive, which works whichever role the offerer meant
 * @param iceLite whether the offerer is an ICE lite agent (the SFU must then control)
 * @param candidates the candidates of the bundled transport, without mDNS host names
 * @param sections every m-section, in the offer's order
 */
public record Offer(String iceUfrag, String icePassword, Fingerprint fingerprint, String setup,
        boolean iceLite, List<IceCandidate> candidates, List<Offer.Section> sections) {

    public Offer {
        candidates = List.copyOf(candidates);
        sections = List.copyOf(sections);
    }

    /**
     * One offered m-section.
     *
     * @param mid its mid
     * @param kind the m-line's media type: "audio", "video", "application" or any other as written
     * @param port the m-line's port; 0 for a rejected section, or one bundled with a=bundle-only
     * @param protocol the m-line's transport protocol, e.g. "UDP/TLS/RTP/SAVPF"
     * @param direction the offerer's side (a=sendonly is what the offerer sends); INACTIVE
     *        when the section is {@link #rejected()}
     * @param formats the m-line's formats in its order: payload types with their rtpmap,
     *        fmtp and rtcp-fb for RTP; otherwise the tokens (such as webrtc-datachannel)
     * @param extensions its a=extmap lines
     * @param ssrc the SSRC it sends, from a=ssrc-group:FID or the first a=ssrc; -1 when none
     * @param rtxSsrc the RTX SSRC of the FID group; -1 when none
     * @param sendRids the RIDs of its a=simulcast:send, in the order listed; empty when none
     * @param bundleOnly whether it has a=bundle-only (RFC 8843 6): port 0 but accepted
     *        when its BUNDLE group is
     * @param rtcpRsize whether it offers reduced-size RTCP (a=rtcp-rsize, RFC 5506)
     */
    public record Section(String mid, String kind, int port, String protocol, Direction direction,
            List<Format> formats, List<Extmap> extensions, long ssrc, long rtxSsrc, List<String> sendRids,
            boolean bundleOnly, boolean rtcpRsize) {

        public Section {
            formats = List.copyOf(formats);
            extensions = List.copyOf(extensions);
            sendRids = List.copyOf(sendRids);
        }

        /** Port 0 without a=bundle-only: the offerer does not want this section (RFC 3264 8.2, RFC 8843 6). */
        public boolean rejected() {
            return port == 0 && !bundleOnly;
        }

        /** AUDIO or VIDEO, or null for any other kind. */
        public MediaKind mediaKind() {
            return MediaKind.fromSdpName(kind);
        }

        /** The format with this payload type, or null. */
        public Format format(int payloadType) {
            for (Format format : formats) {
                if (format.payloadType() == payloadType) {
                    return format;
                }
            }
            return null;
        }

        /** The offered retransmission format (RFC 4588) of this payload type, or null. */
        public Format rtxFor(int payloadType) {
            for (Format format : formats) {
                if (format.apt() == payloadType) {
                    return format;
                }
            }
            return null;
        }
    }

    /**
     * One offered format.
     *
     * @param payloadType 0-127; -1 for a format of a non-RTP section, whose {@code name} is then the m-line's token
     * @param name encoding name as the rtpmap writes it (e.g. "opus", "VP8", "rtx"); empty
     *        for a dynamic payload type without rtpmap
     * @param clockRate RTP clock rate, 0 when unknown
     * @param channels audio channels (1 when the rtpmap names none), 0 for video
     * @param fmtp its a=fmtp parameters, or empty
     * @param feedback its a=rtcp-fb values (e.g. "nack pli"), those for '*' included
     */
    public record Format(int payloadType, String name, int clockRate, int channels, String fmtp,
            List<String> feedback) {

        public Format {
            feedback = List.copyOf(feedback);
        }

        /** For an rtx format, the payload type it repairs (fmtp apt=NN); otherwise -1. */
        public int apt() {
            if (!name.equalsIgnoreCase("rtx")) {
                return -1;
            }
            String apt = parameters().get("apt");
            try {
                return apt == null ? -1 : Integer.parseInt(apt);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** The fmtp as {@code name=value} pairs, names lower-cased (a name alone maps to ""). */
        public Map<String, String> parameters() {
            return FmtpParameters.parse(fmtp);
        }
    }

    /**
     * One a=extmap (RFC 8285 5): {@code a=extmap:<id>[/<direction>] <uri> [<attributes>]}.
     * The direction suffix is read and dropped: the SFU uses an extension in whichever
     * direction its section carries media.
     */
    public record Extmap(int id, String uri) {
    }
}
