package org.atrium.signaling.sdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the simulcast a participant sends in answer to the SFU's {@code a=simulcast:recv}
 * (RFC 8853 5.1, with the RIDs of RFC 8851):
 *
 * <pre>
 * a=rid:q send
 * a=rid:h send
 * a=rid:f send
 * a=simulcast:send q;h;f
 * </pre>
 *
 * Each ';'-separated stream may list alternatives (','); the first is taken. A '~' marks
 * a stream paused at the start; it is still an encoding the sender may turn on.
 */
final class SimulcastAnswer {

    private SimulcastAnswer() {
    }

    /**
     * The RIDs the section sends, in the offer's order (lowest resolution first), or an
     * empty list when it sends one stream.
     *
     * @throws SdpException when it names RIDs that were not offered or not declared, or has an
     *         empty or malformed stream (the rule of {@link OfferReader#simulcastStreamRids})
     */
    static List<String> read(SessionDescription.MediaDescription section, OfferSection offer) throws SdpException {
        String mid = offer.mid();
        String simulcast = section.attribute("simulcast");
        if (simulcast == null) {
            return List.of();
        }
        if (offer.simulcastRids().isEmpty()) {
            throw new SdpException("m-section " + mid + " sends simulcast, which was not offered there");
        }
        String[] fields = simulcast.trim().split("\\s+");
        String sendList = null;
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i].equals("send")) {
                sendList = fields[i + 1];
            }
        }
        if (sendList == null) {
            throw new SdpException("m-section " + mid + " has a=simulcast without a send list: '"
                    + SessionDescription.abbreviate(simulcast) + "'");
        }
        Set<String> declared = declaredSendRids(section);
        Set<String> named = new HashSet<>();
        for (String rid : OfferReader.simulcastStreamRids(sendList, mid)) {
            if (!offer.simulcastRids().contains(rid)) {
                throw new SdpException("m-section " + mid + " sends simulcast RID '" + SessionDescription.abbreviate(rid)
                        + "', which was not offered");
            }
            if (!declared.contains(rid)) {
                throw new SdpException("m-section " + mid + " lists RID '" + rid + "' without a=rid:" + rid + " send");
            }
            if (!named.add(rid)) {
                throw new SdpException("m-section " + mid + " lists RID '" + rid + "' twice");
            }
        }
        List<String> ordered = new ArrayList<>();
        for (String rid : offer.simulcastRids()) {
            if (named.contains(rid)) {
                ordered.add(rid);
            }
        }
        return ordered;
    }

    /** The RIDs of {@code a=rid:<id> send [params]} lines (RFC 8851 10). */
    private static Set<String> declaredSendRids(SessionDescription.MediaDescription section) {
        Set<String> rids = new HashSet<>();
        for (String line : section.attributes("rid")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 2 && fields[1].equals("send")) {
                rids.add(fields[0]);
            }
        }
        return rids;
    }
}
