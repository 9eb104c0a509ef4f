package org.atrium.signaling.sdp;

import java.util.List;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.RtpCodec;
import org.atrium.sfu.media.RtpHeaderExtension;
import org.atrium.sfu.transport.IceCandidate;

/**
 * Writes the SFU's offers for Chrome's Unified Plan: one BUNDLE group of every
 * m-section, rtcp-mux, the same payload types and extension ids everywhere.
 */
public final class OfferWriter {

    private static final String CRLF = "\r\n";
    /** The SCTP port of the data channels, as every browser uses (RFC 8841 5). */
    public static final int SCTP_PORT = 5000;
    /** The largest data-channel message the SFU takes and sends (RFC 8841 6). */
    public static final int MAX_MESSAGE_SIZE = org.atrium.sfu.data.DataChannels.MAX_MESSAGE_SIZE;

    private OfferWriter() {
    }

    /**
     * The SFU's own transport parameters, the same in every offer of a session.
     *
     * @param fingerprintSha256 uppercase hex with colons
     */
    public record LocalTransport(String iceUfrag, String icePassword, String fingerprintSha256,
            List<IceCandidate> candidates) {
    }

    public static String write(long sessionId, int version, LocalTransport transport, List<OfferSection> sections,
            MediaCapabilities capabilities) {
        return write(sessionId, version, transport, sections, capabilities, false);
    }

    /**
     * @param remb also offer goog-remb for video, to a participant that dropped transport-cc
     */
    public static String write(long sessionId, int version, LocalTransport transport, List<OfferSection> sections,
            MediaCapabilities capabilities, boolean remb) {
        StringBuilder sdp = new StringBuilder(2048 + 1024 * sections.size());
        line(sdp, "v=0");
        line(sdp, "o=- " + sessionId + " " + version + " IN IP4 0.0.0.0");
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        for (OfferSection section : sections) {
            bundle.append(' ').append(section.mid());
        }
        line(sdp, bundle.toString());
        line(sdp, "a=msid-semantic: WMS *");
        for (OfferSection section : sections) {
            writeSection(sdp, section, transport, capabilities, remb);
        }
        return sdp.toString();
    }

    private static void writeSection(StringBuilder sdp, OfferSection section, LocalTransport transport,
            MediaCapabilities capabilities, boolean remb) {
        if (section.isApplication()) {
            writeApplicationSection(sdp, section, transport);
            return;
        }
        List<RtpCodec> codecs = capabilities.codecs(section.kind());
        StringBuilder mline = new StringBuilder("m=").append(section.kind().sdpName()).append(" 9 UDP/TLS/RTP/SAVPF");
        for (RtpCodec codec : codecs) {
            mline.append(' ').append(codec.payloadType());
            if (codec.hasRtx()) {
                mline.append(' ').append(codec.rtxPayloadType());
            }
        }
        line(sdp, mline.toString());
        line(sdp, "c=IN IP4 0.0.0.0");
        line(sdp, "a=rtcp:9 IN IP4 0.0.0.0");
        writeTransport(sdp, transport);
        line(sdp, "a=mid:" + section.mid());
        for (RtpHeaderExtension extension : capabilities.extensions(section.kind())) {
            line(sdp, "a=extmap:" + extension.id() + " " + extension.uri());
        }
        line(sdp, "a=" + section.direction().attribute());
        OfferSection.SentTrack track = section.track();
        if (track != null) {
            line(sdp, "a=msid:" + track.streamId() + " " + track.trackId());
        }
        if (!section.simulcastRids().isEmpty()) {
            // RFC 8851 4, RFC 8853 5.1: the answerer sends one encoding per RID, in this order.
            for (String rid : section.simulcastRids()) {
                line(sdp, "a=rid:" + rid + " recv");
            }
            line(sdp, "a=simulcast:recv " + String.join(";", section.simulcastRids()));
        }
        line(sdp, "a=rtcp-mux");
        line(sdp, "a=rtcp-rsize");
        for (RtpCodec codec : codecs) {
            String encoding = codec.name() + "/" + codec.clockRate() + (codec.channels() > 1 ? "/" + codec.channels() : "");
            line(sdp, "a=rtpmap:" + codec.payloadType() + " " + encoding);
            if (remb && codec.kind() == MediaKind.VIDEO) {
                line(sdp, "a=rtcp-fb:" + codec.payloadType() + " " + MediaCapabilities.REMB_FEEDBACK);
            }
            for (String feedback : codec.feedback()) {
                line(sdp, "a=rtcp-fb:" + codec.payloadType() + " " + feedback);
            }
            if (!codec.fmtp().isEmpty()) {
                line(sdp, "a=fmtp:" + codec.payloadType() + " " + codec.fmtp());
            }
            if (codec.hasRtx()) {
                line(sdp, "a=rtpmap:" + codec.rtxPayloadType() + " rtx/" + codec.clockRate());
                line(sdp, "a=fmtp:" + codec.rtxPayloadType() + " apt=" + codec.payloadType());
            }
        }
        if (track != null) {
            if (track.rtxSsrc() >= 0) {
                line(sdp, "a=ssrc-group:FID " + track.ssrc() + " " + track.rtxSsrc());
            }
            line(sdp, "a=ssrc:" + track.ssrc() + " cname:" + track.cname());
            line(sdp, "a=ssrc:" + track.ssrc() + " msid:" + track.streamId() + " " + track.trackId());
            if (track.rtxSsrc() >= 0) {
                line(sdp, "a=ssrc:" + track.rtxSsrc() + " cname:" + track.cname());
                line(sdp, "a=ssrc:" + track.rtxSsrc() + " msid:" + track.streamId() + " " + track.trackId());
            }
        }
        writeCandidates(sdp, transport);
    }

    /** The data channels: SCTP over the bundled DTLS transport (RFC 8841, RFC 8831). */
    private static void writeApplicationSection(StringBuilder sdp, OfferSection section, LocalTransport transport) {
        line(sdp, "m=application 9 UDP/DTLS/SCTP webrtc-datachannel");
        line(sdp, "c=IN IP4 0.0.0.0");
        writeTransport(sdp, transport);
        line(sdp, "a=mid:" + section.mid());
        line(sdp, "a=sctp-port:" + SCTP_PORT);
        line(sdp, "a=max-message-size:" + MAX_MESSAGE_SIZE);
        writeCandidates(sdp, transport);
    }

    private static void writeTransport(StringBuilder sdp, LocalTransport transport) {
        line(sdp, "a=ice-ufrag:" + transport.iceUfrag());
        line(sdp, "a=ice-pwd:" + transport.icePassword());
        line(sdp, "a=fingerprint:sha-256 " + transport.fingerprintSha256());
        // actpass in every offer (RFC 8842 5.2); the browser answers active, making the SFU the DTLS server.
        line(sdp, "a=setup:actpass");
    }

    private static void writeCandidates(StringBuilder sdp, LocalTransport transport) {
        for (IceCandidate candidate : transport.candidates()) {
            line(sdp, "a=" + CandidateParser.format(candidate));
        }
        line(sdp, "a=end-of-candidates");
    }

    private static void line(StringBuilder sdp, String text) {
        sdp.append(text).append(CRLF);
    }
}
