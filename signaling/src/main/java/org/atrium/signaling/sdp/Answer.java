package org.atrium.signaling.sdp;

import java.util.List;
import java.util.Set;
import org.atrium.dtls.DtlsRole;
import org.atrium.dtls.Fingerprint;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.transport.IceCandidate;

/**
 * What the SFU needs from a participant's answer, checked against the offer.
 *
 * @param localDtlsRole the SFU's DTLS role: SERVER when the answer says setup:active
 * @param headerExtensions the URIs of the header extensions the answer kept (a=extmap)
 * @param sctpPort the SCTP port of the accepted data-channel section (a=sctp-port), or -1
 *        when the answer has none or rejected it
 * @param maxMessageSize its a=max-message-size (0: no limit), or -1 when not given
 */
public record Answer(String iceUfrag, String icePassword, Fingerprint fingerprint, DtlsRole localDtlsRole,
        List<IceCandidate> candidates, List<Section> sections, Set<String> headerExtensions, int sctpPort,
        long maxMessageSize) {

    public Answer {
        candidates = List.copyOf(candidates);
        sections = List.copyOf(sections);
        headerExtensions = Set.copyOf(headerExtensions);
    }

    /**
     * One answered m-section.
     *
     * @param kind audio or video; null for the data-channel section
     * @param direction from the answerer's side (SENDRECV for an accepted data-channel section)
     * @param payloadTypes the payload types it accepted
     * @param ssrc the SSRC it sends in this section, or -1
     * @param rtxSsrc its RTX SSRC (ssrc-group FID), or -1
     * @param simulcastRids the RIDs of the simulcast encodings it sends (RFC 8853), in the
     *        offer's order (lowest resolution first), or empty; their SSRCs come from packets
     */
    public record Section(String mid, MediaKind kind, Direction direction, List<Integer> payloadTypes, long ssrc,
            long rtxSsrc, List<String> simulcastRids) {

        public Section {
            payloadTypes = List.copyOf(payloadTypes);
            simulcastRids = List.copyOf(simulcastRids);
        }

        public Section(String mid, MediaKind kind, Direction direction, List<Integer> payloadTypes, long ssrc,
                long rtxSsrc) {
            this(mid, kind, direction, payloadTypes, ssrc, rtxSsrc, List.of());
        }
    }
}
