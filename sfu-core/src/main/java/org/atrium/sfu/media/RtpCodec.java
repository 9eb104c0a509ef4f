package org.atrium.sfu.media;

import java.util.List;

/**
 * One codec the SFU forwards, with the payload type it has on every leg.
 *
 * <p>Payload types are the same on all legs and in every m-section of a bundle
 * (browsers refuse "codec collisions"), so forwarding never rewrites them.
 *
 * @param kind audio or video
 * @param name encoding name as in rtpmap, e.g. "opus", "VP8", "H264"
 * @param payloadType payload type on every leg
 * @param clockRate RTP clock rate in Hz
 * @param channels audio channels, 0 for video
 * @param fmtp format parameters (the part after the payload type), or empty
 * @param feedback rtcp-fb values, e.g. "nack pli", "ccm fir"
 * @param rtxPayloadType payload type of its RFC 4588 retransmission format, or -1
 */
public record RtpCodec(
        MediaKind kind,
        String name,
        int payloadType,
        int clockRate,
        int channels,
        String fmtp,
        List<String> feedback,
        int rtxPayloadType) {

    public RtpCodec {
        feedback = List.copyOf(feedback);
        if (payloadType < 0 || payloadType > 127 || (payloadType >= 64 && payloadType <= 95)) {
            // 64-95 would collide with RTCP packet types under rtcp-mux (RFC 5761 4).
            throw new IllegalArgumentException("payload type not usable with rtcp-mux: " + payloadType);
        }
    }

    public boolean hasRtx() {
        return rtxPayloadType >= 0;
    }
}
