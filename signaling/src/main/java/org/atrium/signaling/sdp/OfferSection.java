package org.atrium.signaling.sdp;

import java.util.List;
import org.atrium.sfu.media.MediaKind;

/**
 * One m-section of an offer the SFU makes.
 *
 * @param mid its mid, stable for the life of the session
 * @param kind audio or video; null for the data channels' section (m=application, {@link #application})
 * @param direction from the SFU's side: RECVONLY where the participant publishes,
 *        SENDONLY where it receives another participant's track, INACTIVE for a free slot
 * @param track what the SFU sends in it (for SENDONLY), else null
 * @param simulcastRids for a video section the participant publishes in, the RIDs of the
 *        simulcast encodings the SFU asks for (RFC 8853), lowest resolution first; else empty
 */
public record OfferSection(String mid, MediaKind kind, Direction direction, SentTrack track,
        List<String> simulcastRids) {

    public OfferSection {
        simulcastRids = List.copyOf(simulcastRids);
    }

    /** The data channels' section: SCTP over the bundled DTLS transport (RFC 8841). */
    public static OfferSection application(String mid) {
        return new OfferSection(mid, null, Direction.SENDRECV, null, List.of());
    }

    public boolean isApplication() {
        return kind == null;
    }

    /** What the m-line names: audio, video or application. */
    public String sdpKind() {
        return kind == null ? "application" : kind.sdpName();
    }

    /** A section without simulcast. */
    public OfferSection(String mid, MediaKind kind, Direction direction, SentTrack track) {
        this(mid, kind, direction, track, List.of());
    }

    /**
     * A stream the SFU sends, as signalled with a=msid and a=ssrc (RFC 8830, RFC 5576).
     *
     * @param streamId the MediaStream id: the sending participant's id
     * @param trackId the track id
     * @param ssrc the SSRC the SFU uses for it on this transport
     * @param cname the RTCP CNAME, the same for one sender's audio and video so that
     *        the receiver can synchronise them
     * @param rtxSsrc the SSRC of its retransmissions (RFC 4588), or -1
     */
    public record SentTrack(String streamId, String trackId, long ssrc, String cname, long rtxSsrc) {
    }
}
