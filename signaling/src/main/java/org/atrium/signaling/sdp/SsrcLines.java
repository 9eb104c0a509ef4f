package org.atrium.signaling.sdp;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The SSRCs an m-section signals (RFC 5576): {@code a=ssrc:<ssrc> <attribute>} lines and
 * the {@code a=ssrc-group:FID <media> <rtx>} pairing of a stream with its RFC 4588
 * retransmissions. Shared by the readers of answers and of offers.
 */
final class SsrcLines {

    private SsrcLines() {
    }

    /** The first FID group as {media, rtx}, or null when there is none. */
    static long[] fidGroup(SessionDescription.MediaDescription section, String mid) throws SdpException {
        for (String group : section.attributes("ssrc-group")) {
            String[] fields = group.split(" ");
            if (fields[0].equals("FID")) {
                if (fields.length != 3) {
                    throw new SdpException("m-section " + mid + " has a malformed ssrc-group:FID");
                }
                return new long[] {parse(fields[1], mid), parse(fields[2], mid)};
            }
        }
        return null;
    }

    /**
     * The stream a section sends, as {ssrc, rtx}: the first FID group, else the first a=ssrc
     * line with no RTX; -1 for what it does not signal.
     */
    static long[] sent(SessionDescription.MediaDescription section, String mid) throws SdpException {
        long[] fid = fidGroup(section, mid);
        if (fid != null) {
            return fid;
        }
        Set<Long> ssrcs = ssrcs(section, mid);
        return new long[] {ssrcs.isEmpty() ? -1 : ssrcs.iterator().next(), -1};
    }

    /** Every SSRC of the a=ssrc lines, in order of first appearance. */
    static Set<Long> ssrcs(SessionDescription.MediaDescription section, String mid) throws SdpException {
        Set<Long> ssrcs = new LinkedHashSet<>();
        for (String line : section.attributes("ssrc")) {
            int space = line.indexOf(' ');
            ssrcs.add(parse(space < 0 ? line : line.substring(0, space), mid));
        }
        return ssrcs;
    }

    static long parse(String text, String mid) throws SdpException {
        try {
            long ssrc = Long.parseLong(text);
            if (ssrc < 0 || ssrc > 0xFFFFFFFFL) {
                throw new SdpException("m-section " + mid + " has an SSRC out of range: " + text);
            }
            return ssrc;
        } catch (NumberFormatException e) {
            throw new SdpException("m-section " + mid + " has a malformed SSRC " + SessionDescription.quote(text));
        }
    }
}
