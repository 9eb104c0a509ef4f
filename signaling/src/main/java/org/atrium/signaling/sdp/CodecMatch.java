package org.atrium.signaling.sdp;

import org.atrium.sfu.media.RtpCodec;

/**
 * An offered format the SFU takes, with the local codec it is. The answer uses the
 * offered payload types (RFC 3264 6.1), which may differ from the local codec's.
 *
 * @param offered the offered format
 * @param offeredRtx its offered retransmission format (RFC 4588), or null when the offer
 *        has none for it or the local codec has no RTX
 * @param local the SFU's codec
 */
public record CodecMatch(Offer.Format offered, Offer.Format offeredRtx, RtpCodec local) {
}
