package org.atrium.signaling.sdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.atrium.dtls.DtlsRole;
import org.atrium.dtls.Fingerprint;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.RtpCodec;
import org.atrium.sfu.transport.IceCandidate;

/**
 * Reads a participant's SDP answer and checks that it fits the SFU's offer (RFC 3264 6,
 * RFC 8843 for BUNDLE): the same m-sections in the same order with the same mids,
 * directions allowed by the offer, only offered payload types, ICE credentials, a DTLS
 * fingerprint and a definite DTLS role.
 */
public final class AnswerReader {

    private static final int MAX_CANDIDATES = 64;

    private AnswerReader() {
    }

    public static Answer read(String sdp, List<OfferSection> offered, MediaCapabilities capabilities)
            throws SdpException {
        SessionDescription description = SessionDescription.parse(sdp);
        List<SessionDescription.MediaDescription> media = description.media();
        if (media.size() != offered.size()) {
            throw new SdpException("the answer has " + media.size() + " m-sections, the offer " + offered.size());
        }
        String ufrag = null;
        String password = null;
        String fingerprint = null;
        String setup = null;
        List<IceCandidate> candidates = new ArrayList<>();
        List<Answer.Section> sections = new ArrayList<>();
        Set<String> extensions = new HashSet<>();
        int sctpPort = -1;
        long maxMessageSize = -1;
        for (int i = 0; i < media.size(); i++) {
            SessionDescription.MediaDescription section = media.get(i);
            OfferSection offer = offered.get(i);
            String mid = section.attribute("mid");
            if (!offer.mid().equals(mid)) {
                throw new SdpException("m-section " + i + " has mid " + quote(mid) + ", the offer " + quote(offer.mid()));
            }
            if (!offer.sdpKind().equals(section.kind())) {
                throw new SdpException("m-section " + mid + " is " + quote(section.kind()) + ", the offer "
                        + offer.sdpKind());
            }
            ufrag = firstOf(ufrag, section.attribute("ice-ufrag"));
            password = firstOf(password, section.attribute("ice-pwd"));
            fingerprint = firstOf(fingerprint, section.attribute("fingerprint"));
            setup = firstOf(setup, section.attribute("setup"));
            for (String candidate : section.attributes("candidate")) {
                if (candidates.size() >= MAX_CANDIDATES) {
                    throw new SdpException("more than " + MAX_CANDIDATES + " candidates");
                }
                IceCandidate parsed = CandidateParser.parse("candidate:" + candidate);
                if (parsed != null) {
                    candidates.add(parsed);
                }
            }
            if (offer.isApplication()) {
                Answer.Section data = readApplicationSection(section, offer);
                if (data.direction() != Direction.INACTIVE) {
                    sctpPort = readSctpPort(section, mid);
                    maxMessageSize = readMaxMessageSize(section, mid);
                }
                sections.add(data);
                continue;
            }
            sections.add(readSection(section, offer, capabilities));
            for (String extmap : section.attributes("extmap")) {
                // a=extmap:<id>[/<direction>] <uri> [<attributes>] (RFC 8285 5)
                String[] fields = extmap.split(" ");
                if (fields.length >= 2 && extensions.size() < 64) {
                    extensions.add(fields[1]);
                }
            }
        }
        ufrag = firstOf(ufrag, description.attribute("ice-ufrag"));
        password = firstOf(password, description.attribute("ice-pwd"));
        fingerprint = firstOf(fingerprint, description.attribute("fingerprint"));
        setup = firstOf(setup, description.attribute("setup"));
        TransportLines.checkIceUfrag(ufrag);
        TransportLines.checkIcePassword(password);
        Fingerprint parsedFingerprint = TransportLines.fingerprint(fingerprint);
        DtlsRole role;
        if ("active".equals(setup)) {
            role = DtlsRole.SERVER;
        } else if ("passive".equals(setup)) {
            role = DtlsRole.CLIENT;
        } else {
            throw new SdpException("a=setup in an answer must be active or passive, not " + quote(setup));
        }
        return new Answer(ufrag, password, parsedFingerprint, role, candidates, sections, extensions, sctpPort,
                maxMessageSize);
    }

    private static Answer.Section readSection(SessionDescription.MediaDescription section, OfferSection offer,
            MediaCapabilities capabilities) throws SdpException {
        String mid = offer.mid();
        Direction direction = Direction.INACTIVE;
        if (section.port() != 0) {
            direction = null;
            for (Direction candidate : Direction.values()) {
                if (section.hasAttribute(candidate.attribute())) {
                    if (direction != null) {
                        throw new SdpException("m-section " + mid + " has two directions");
                    }
                    direction = candidate;
                }
            }
            if (direction == null) {
                direction = Direction.SENDRECV;
            }
            if (!direction.isValidAnswerTo(offer.direction())) {
                throw new SdpException("m-section " + mid + " answers " + direction.attribute() + " to "
                        + offer.direction().attribute());
            }
        }
        List<Integer> payloadTypes = new ArrayList<>();
        for (String format : section.formats()) {
            int payloadType;
            try {
                payloadType = Integer.parseInt(format);
            } catch (NumberFormatException e) {
                throw new SdpException("m-section " + mid + " has a non-numeric payload type " + quote(format));
            }
            RtpCodec codec = capabilities.codecForPayloadType(payloadType);
            if (codec == null || codec.kind() != offer.kind()) {
                throw new SdpException("m-section " + mid + " has payload type " + payloadType
                        + " which was not offered");
            }
            payloadTypes.add(payloadType);
        }
        if (section.port() != 0 && payloadTypes.isEmpty()) {
            throw new SdpException("m-section " + mid + " accepts no payload type");
        }
        long ssrc = -1;
        long rtxSsrc = -1;
        List<String> rids = List.of();
        if (direction == Direction.SENDONLY || direction == Direction.SENDRECV) {
            rids = SimulcastAnswer.read(section, offer);
        }
        if ((direction == Direction.SENDONLY || direction == Direction.SENDRECV) && rids.isEmpty()) {
            long[] sent = SsrcLines.sent(section, mid);
            ssrc = sent[0];
            rtxSsrc = sent[1];
            if (ssrc < 0) {
                throw new SdpException("m-section " + mid + " sends but signals no a=ssrc");
            }
        }
        return new Answer.Section(mid, offer.kind(), direction, payloadTypes, ssrc, rtxSsrc, rids);
    }

    /** The data channels' section: accepted (port not 0) over DTLS/SCTP, or rejected. */
    private static Answer.Section readApplicationSection(SessionDescription.MediaDescription section,
            OfferSection offer) throws SdpException {
        String mid = offer.mid();
        if (section.port() == 0) {
            return new Answer.Section(mid, null, Direction.INACTIVE, List.of(), -1, -1);
        }
        if (!section.formats().contains("webrtc-datachannel")) {
            throw new SdpException("m-section " + mid + " is not webrtc-datachannel: " + quote(String.join(" ",
                    section.formats())));
        }
        return new Answer.Section(mid, null, Direction.SENDRECV, List.of(), -1, -1);
    }

    private static int readSctpPort(SessionDescription.MediaDescription section, String mid) throws SdpException {
        String port = section.attribute("sctp-port");
        if (port == null) {
            return OfferWriter.SCTP_PORT;
        }
        try {
            int value = Integer.parseInt(port.trim());
            if (value < 1 || value > 65535) {
                throw new SdpException("m-section " + mid + " has a=sctp-port out of range: " + quote(port));
            }
            return value;
        } catch (NumberFormatException e) {
            throw new SdpException("m-section " + mid + " has a malformed a=sctp-port " + quote(port));
        }
    }

    private static long readMaxMessageSize(SessionDescription.MediaDescription section, String mid)
            throws SdpException {
        String size = section.attribute("max-message-size");
        if (size == null) {
            return -1;
        }
        try {
            long value = Long.parseLong(size.trim());
            if (value < 0) {
                throw new SdpException("m-section " + mid + " has a negative a=max-message-size");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new SdpException("m-section " + mid + " has a malformed a=max-message-size " + quote(size));
        }
    }

    private static String firstOf(String current, String candidate) {
        return current != null ? current : candidate;
    }

    private static String quote(String text) {
        return SessionDescription.quote(text);
    }
}
