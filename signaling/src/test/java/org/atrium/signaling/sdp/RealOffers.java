package org.atrium.signaling.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The client offers under src/test/resources/sdp/, and where each comes from:
 *
 * <ul>
 * <li>{@code aiortc14-sendonly-offer.sdp}, {@code aiortc14-recvonly-offer.sdp}: aiortc 1.4
 *     (Debian python3-aiortc), addTransceiver audio and video sendonly (recvonly), createOffer,
 *     setLocalDescription, in a network namespace with loopback only, which aioice does not
 *     gather: no candidates. Each section has its own ICE credentials (aiortc bundles only
 *     once the answer says BUNDLE).
 * <li>{@code gst122-vp8-opus-offer.sdp}, {@code gst122-h264-opus-offer.sdp}: GStreamer 1.22
 *     webrtcbin, bundle-policy max-bundle, audiotestsrc/opusenc and videotestsrc/vp8enc (or
 *     openh264enc, which gives profile-level-id 42c00c), local description after gathering
 *     on 127.0.0.1. Its second section is {@code m=video 0 ... a=bundle-only}.
 * <li>{@code chrome-whip-simulcast-offer.sdp}: the shape of Chromium's offer for a WHIP
 *     client (sendonly microphone, camera with sendEncodings q, h, f), written from
 *     Chromium's offers: codec list, extension ids, a=rid and a=simulcast, an mDNS host
 *     candidate and a server-reflexive one; identifiers and addresses made up.
 * <li>{@code obs30-whip-offer.sdp}: the offer of OBS Studio's WHIP output, as its
 *     libdatachannel writes it (plugins/obs-webrtc/whip-output.cpp: opus 111 in mid 0, H264
 *     96 in mid 1, a=ssrc lines, no RTX, no extensions; libdatachannel's description.cpp:
 *     session-level fingerprint, a=setup:actpass and ICE credentials after each section,
 *     candidates in the first); addresses from the documentation ranges.
 * </ul>
 */
final class RealOffers {

    static final String AIORTC_SENDONLY = "aiortc14-sendonly-offer.sdp";
    static final String AIORTC_RECVONLY = "aiortc14-recvonly-offer.sdp";
    static final String GST_VP8 = "gst122-vp8-opus-offer.sdp";
    static final String GST_H264 = "gst122-h264-opus-offer.sdp";
    static final String CHROME_SIMULCAST = "chrome-whip-simulcast-offer.sdp";
    static final String OBS = "obs30-whip-offer.sdp";

    private RealOffers() {
    }

    static String text(String name) {
        try (InputStream in = RealOffers.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource sdp/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The offer with the first occurrence of {@code from} replaced; fails when it has none. */
    static String edited(String name, String from, String to) {
        String sdp = text(name);
        int at = sdp.indexOf(from);
        if (at < 0) {
            throw new IllegalArgumentException(name + " has no " + from);
        }
        return sdp.substring(0, at) + to + sdp.substring(at + from.length());
    }
}
