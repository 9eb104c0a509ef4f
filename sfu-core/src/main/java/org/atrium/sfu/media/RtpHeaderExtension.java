package org.atrium.sfu.media;

/**
 * An RTP header extension (RFC 8285) the SFU negotiates, with its id on every leg.
 *
 * @param uri the extension's URI
 * @param id its id, 1-14 so that the one-byte form can carry it
 * @param kinds whether it applies to audio, video or both
 * @param forwarded whether the SFU copies it from the sender's packet to receivers; an
 *        extension that describes one leg only (such as the MID, which names the sender's
 *        m-section) is removed instead
 */
public record RtpHeaderExtension(String uri, int id, boolean audio, boolean video, boolean forwarded) {

    public static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    /** The RID of a simulcast encoding (RFC 8852 3.1). */
    public static final String RID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    /** The RID of the encoding an RTX packet repairs (RFC 8852 3.2). */
    public static final String REPAIRED_RID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public static final String AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    /** Transport-wide sequence numbers (draft-holmer-rmcat-transport-wide-cc-extensions-01). */
    public static final String TRANSPORT_CC = org.atrium.rtp.TransportCcExtension.URI;

    public RtpHeaderExtension {
        if (id < 1 || id > 14) {
            throw new IllegalArgumentException("extension id must be 1-14: " + id);
        }
    }

    public boolean appliesTo(MediaKind kind) {
        return kind == MediaKind.AUDIO ? audio : video;
    }
}
