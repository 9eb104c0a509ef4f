package org.atrium.signaling.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Answers the SFU's offers the way Chrome does, without media: publishes audio and video
 * (sendonly with a=ssrc, video with an RTX FID group), receives what is offered, and
 * keeps inactive sections inactive. It declines simulcast (drops a=rid and a=simulcast),
 * as a client that sends one video encoding does. Enough to drive negotiation in tests; ICE never
 * connects, so the transport never sends.
 */
public final class ScriptedAnswerer {

    private final long audioSsrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
    private final long videoSsrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
    private final long rtxSsrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
    /** SSRCs of publish sections beyond mids 0 and 1 (a screen share), by mid. */
    private final java.util.Map<String, long[]> otherSsrcs = new java.util.HashMap<>();
    private boolean publishVideo = true;
    private boolean transportCc = true;

    /** Leaves out the transport-cc extension, as a client without it does. */
    public ScriptedAnswerer withoutTransportCc() {
        transportCc = false;
        return this;
    }

    /** Answers the video publish slot inactive, as a client without a camera does. */
    public ScriptedAnswerer withoutVideo() {
        publishVideo = false;
        return this;
    }

    /** The answer message for an offer message. */
    public long audioSsrc() {
        return audioSsrc;
    }

    public long videoSsrc() {
        return videoSsrc;
    }

    /** The answer message for an offer message. */
    public ObjectNode answer(JsonNode offer) {
        String[] lines = offer.path("sdp").asText().split("\r\n");
        StringBuilder sdp = new StringBuilder();
        String kind = null;
        String direction = null;
        String mid = null;
        for (String line : lines) {
            if (line.startsWith("m=")) {
                endSection(sdp, kind, direction, mid);
                kind = line.substring(2, line.indexOf(' '));
                direction = null;
            }
            if (line.startsWith("a=mid:")) {
                mid = line.substring("a=mid:".length());
            }
            if (line.startsWith("a=candidate") || line.equals("a=end-of-candidates") || line.startsWith("a=ssrc")
                    || line.startsWith("a=msid:") || line.startsWith("a=rid:") || line.startsWith("a=simulcast:")) {
                continue;
            }
            if (!transportCc && (line.contains("transport-wide-cc") || line.endsWith(" transport-cc"))) {
                continue;
            }
            if (line.startsWith("a=ice-ufrag:")) {
                line = "a=ice-ufrag:scRi";
            } else if (line.startsWith("a=ice-pwd:")) {
                line = "a=ice-pwd:scriptedanswererpassword0";
            } else if (line.startsWith("a=fingerprint:")) {
                line = "a=fingerprint:sha-256 " + "0A:".repeat(31) + "0A";
            } else if (line.equals("a=setup:actpass")) {
                line = "a=setup:active";
            } else if (line.equals("a=recvonly")) {
                boolean publish = publishVideo || !"video".equals(kind);
                direction = publish ? "publish" : null;
                line = publish ? "a=sendonly" : "a=inactive";
            } else if (line.equals("a=sendonly")) {
                direction = "receive";
                line = "a=recvonly";
            }
            sdp.append(line).append("\r\n");
        }
        endSection(sdp, kind, direction, mid);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("type", "answer");
        answer.put("version", offer.path("version").asInt());
        answer.put("sdp", sdp.toString());
        return answer;
    }

    private void endSection(StringBuilder sdp, String kind, String direction, String mid) {
        if (!"publish".equals(direction)) {
            return;
        }
        long[] ssrcs = "0".equals(mid) || "1".equals(mid) ? new long[] {"audio".equals(kind) ? audioSsrc : videoSsrc,
                rtxSsrc} : otherSsrcs.computeIfAbsent(mid, m -> new long[] {
                        ThreadLocalRandom.current().nextLong(1, 1L << 32),
                        ThreadLocalRandom.current().nextLong(1, 1L << 32)});
        if ("audio".equals(kind)) {
            sdp.append("a=ssrc:").append(ssrcs[0]).append(" cname:scripted\r\n");
        } else {
            sdp.append("a=ssrc-group:FID ").append(ssrcs[0]).append(' ').append(ssrcs[1]).append("\r\n");
            sdp.append("a=ssrc:").append(ssrcs[0]).append(" cname:scripted\r\n");
            sdp.append("a=ssrc:").append(ssrcs[1]).append(" cname:scripted\r\n");
        }
    }
}
