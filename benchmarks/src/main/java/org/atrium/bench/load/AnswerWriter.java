package org.atrium.bench.load;

import java.util.ArrayList;
import java.util.List;
import org.atrium.sfu.transport.IceCandidate;
import org.atrium.signaling.sdp.CandidateParser;

/**
 * Writes the SDP answer a browser would give to the SFU's offer (docs/signaling.md): the
 * offer's m-sections in order with their codecs and extensions kept, our ICE credentials,
 * fingerprint, candidates and {@code a=setup:active}; the publish slots (mids 0 and 1)
 * {@code sendonly} with {@code a=ssrc} lines when we send that kind, else
 * {@code inactive}; the SFU's {@code sendonly} sections {@code recvonly}. Video asked for as
 * simulcast ({@code a=rid:q recv} ... {@code a=simulcast:recv q;h;f}) is answered as a
 * browser sending simulcast does: {@code a=rid:q send} ... {@code a=simulcast:send q;h;f}
 * and no {@code a=ssrc} lines (RFC 8853; the SFU learns the SSRCs from the RID extension),
 * unless we send one stream.
 */
final class AnswerWriter {

    /**
     * What this participant sends: SSRCs, or -1 for a kind it does not publish; with
     * {@code simulcast}, video as the simulcast encodings the offer asks for, if it does.
     */
    record Publishing(long audioSsrc, long videoSsrc, long rtxSsrc, String cname, boolean simulcast) {
    }

    private AnswerWriter() {
    }

    static String answer(String offer, String ufrag, String password, String fingerprintSha256,
            List<IceCandidate> candidates, Publishing publishing) {
        StringBuilder sdp = new StringBuilder(offer.length());
        String kind = null;
        boolean sending = false;
        int section = -1;
        List<String> rids = new ArrayList<>();
        for (String line : offer.split("\r\n")) {
            if (line.startsWith("m=")) {
                endSection(sdp, kind, sending, publishing, rids);
                section++;
                kind = line.substring(2, line.indexOf(' '));
                sending = false;
                rids.clear();
            }
            String rid = recvRid(line);
            if (rid != null) {
                rids.add(rid);
            }
            if (line.startsWith("a=candidate") || line.equals("a=end-of-candidates") || line.startsWith("a=ssrc")
                    || line.startsWith("a=msid:") || line.startsWith("a=rid:") || line.startsWith("a=simulcast:")) {
                continue;
            }
            if (line.startsWith("o=")) {
                line = "o=- 4611731400430051336 2 IN IP4 127.0.0.1";
            } else if (line.startsWith("a=ice-ufrag:")) {
                line = "a=ice-ufrag:" + ufrag;
            } else if (line.startsWith("a=ice-pwd:")) {
                line = "a=ice-pwd:" + password;
            } else if (line.startsWith("a=fingerprint:")) {
                line = "a=fingerprint:sha-256 " + fingerprintSha256;
            } else if (line.equals("a=setup:actpass")) {
                line = "a=setup:active";
            } else if (line.equals("a=recvonly")) {
                sending = "audio".equals(kind) ? publishing.audioSsrc() >= 0 : publishing.videoSsrc() >= 0;
                line = sending ? "a=sendonly" : "a=inactive";
            } else if (line.equals("a=sendonly")) {
                line = "a=recvonly";
            } else if (line.startsWith("a=mid:") && section == 0) {
                sdp.append(line).append("\r\n");
                // Our candidates once, in the first m-section (everything is bundled).
                for (IceCandidate candidate : candidates) {
                    sdp.append("a=").append(CandidateParser.format(candidate)).append("\r\n");
                }
                sdp.append("a=end-of-candidates\r\n");
                continue;
            }
            sdp.append(line).append("\r\n");
        }
        endSection(sdp, kind, sending, publishing, rids);
        return sdp.toString();
    }

    /**
     * The RIDs the offer asks a publisher's video for ({@code a=rid:<id> recv}, in the
     * offer's order, lowest resolution first); empty when it asks for one stream.
     */
    static List<String> offeredRids(String offer) {
        List<String> rids = new ArrayList<>();
        for (String line : offer.split("\r\n")) {
            if (line.startsWith("m=") && !rids.isEmpty()) {
                break;
            }
            String rid = recvRid(line);
            if (rid != null) {
                rids.add(rid);
            }
        }
        return rids;
    }

    /** The id of an {@code a=rid:<id> recv} line, else null. */
    private static String recvRid(String line) {
        if (!line.startsWith("a=rid:")) {
            return null;
        }
        String[] fields = line.substring("a=rid:".length()).split(" ");
        return fields.length >= 2 && fields[1].equals("recv") ? fields[0] : null;
    }

    private static void endSection(StringBuilder sdp, String kind, boolean sending, Publishing publishing,
            List<String> rids) {
        if (!sending) {
            return;
        }
        if ("video".equals(kind) && publishing.simulcast() && !rids.isEmpty()) {
            for (String rid : rids) {
                sdp.append("a=rid:").append(rid).append(" send\r\n");
            }
            sdp.append("a=simulcast:send ").append(String.join(";", rids)).append("\r\n");
            return;
        }
        if ("audio".equals(kind)) {
            sdp.append("a=ssrc:").append(publishing.audioSsrc()).append(" cname:").append(publishing.cname())
                    .append("\r\n");
        } else {
            sdp.append("a=ssrc-group:FID ").append(publishing.videoSsrc()).append(' ').append(publishing.rtxSsrc())
                    .append("\r\n");
            sdp.append("a=ssrc:").append(publishing.videoSsrc()).append(" cname:").append(publishing.cname())
                    .append("\r\n");
            sdp.append("a=ssrc:").append(publishing.rtxSsrc()).append(" cname:").append(publishing.cname())
                    .append("\r\n");
        }
    }
}
