package org.atrium.signaling.sdp;

import org.atrium.sfu.media.RtpHeaderExtension;

/**
 * An offered RTP header extension the SFU knows. The answer keeps the offered id (RFC
 * 8285 6), which may differ from the local one.
 */
public record ExtensionMatch(int offeredId, RtpHeaderExtension local) {
}
