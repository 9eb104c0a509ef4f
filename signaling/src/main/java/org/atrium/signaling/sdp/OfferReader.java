package org.atrium.signaling.sdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.atrium.dtls.Fingerprint;
import org.atrium.sfu.transport.IceCandidate;

/**
 * Reads a client's SDP offer, as WHIP (RFC 9725) and WHEP clients POST it, and checks what
 * the SFU relies on: every m-section has a unique mid, all accepted ones form one BUNDLE
 * group with rtcp-mux (RFC 9725 requires both), the bundled transport has ICE credentials,
 * a DTLS fingerprint and a usable DTLS role. Formats, header extensions, SSRCs and
 * simulcast RIDs are read as offered; {@link OfferMatch} compares them with the SFU's.
 *
 * <p>Each failure is an {@link SdpException} whose message can go back to the client as is.
 */
public final class OfferReader {

    /** The most candidates read from one offer (as {@link AnswerReader}). */
    public static final int MAX_CANDIDATES = 64;

    /** RFC 8843: the MID travels in an RTP header extension, whose one-byte form carries 16 bytes. */
    private static final Pattern MID = Pattern.compile("[!-~]{1,16}");
    /** RFC 8851 10: rid-id = 1*(alpha-numeric / "-" / "_"). */
    private static final Pattern RID = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    private OfferReader() {
    }

    public static Offer read(String sdp) throws SdpException {
        SessionDescription description = SessionDescription.parse(sdp);
        List<SessionDescription.MediaDescription> media = description.media();
        if (media.isEmpty()) {
            throw new SdpException("the offer has no m-section");
        }
        List<Offer.Section> sections = new ArrayList<>();
        Set<String> mids = new HashSet<>();
        for (int i = 0; i < media.size(); i++) {
            String mid = media.get(i).attribute("mid");
            if (mid == null || mid.isEmpty()) {
                throw new SdpException("m-section " + (i + 1)
                        + " of the offer has no a=mid (BUNDLE needs one in each, RFC 8843)");
            }
            if (!MID.matcher(mid).matches()) {
                throw new SdpException("m-section " + (i + 1) + " of the offer has a=mid " + quote(mid)
                        + ": a mid is 1-16 visible ASCII characters here (it must fit the RTP MID extension)");
            }
            if (!mids.add(mid)) {
                throw new SdpException("two m-sections have a=mid:" + mid);
            }
            sections.add(readSection(media.get(i), mid));
        }
        SessionDescription.MediaDescription tagged = media.get(indexOf(sections, bundleTag(description, sections)));

        String ufrag = firstOf(tagged.attribute("ice-ufrag"), description.attribute("ice-ufrag"));
        String password = firstOf(tagged.attribute("ice-pwd"), description.attribute("ice-pwd"));
        TransportLines.checkIceUfrag(ufrag);
        TransportLines.checkIcePassword(password);
        Fingerprint fingerprint = TransportLines.fingerprint(
                firstOf(tagged.attribute("fingerprint"), description.attribute("fingerprint")));
        String setup = readSetup(firstOf(tagged.attribute("setup"), description.attribute("setup")));
        boolean iceLite = description.attribute("ice-lite") != null;

        // The bundled transport is the tagged m-section's (RFC 8843 7.2): candidates written in the
        // other sections belong to transports that the answer's BUNDLE group does away with.
        List<String> lines = new ArrayList<>(tagged.attributes("candidate"));
        for (SessionDescription.Attribute attribute : description.attributes()) {
            if (attribute.name().equals("candidate") && attribute.value() != null) {
                lines.add(attribute.value());
            }
        }
        if (lines.size() > MAX_CANDIDATES) {
            throw new SdpException("more than " + MAX_CANDIDATES + " candidates");
        }
        List<IceCandidate> candidates = new ArrayList<>();
        for (String line : lines) {
            IceCandidate candidate = CandidateParser.parse("candidate:" + line);
            if (candidate != null) {
                candidates.add(candidate);
            }
        }
        return new Offer(ufrag, password, fingerprint, setup, iceLite, candidates, sections);
    }

    /**
     * Checks that every accepted m-section is in one BUNDLE group with rtcp-mux, and returns
     * the mid of the offerer-tagged m-section: the group's first accepted one (RFC 8843 7.2).
     */
    private static String bundleTag(SessionDescription description, List<Offer.Section> sections)
            throws SdpException {
        List<Offer.Section> accepted = new ArrayList<>();
        for (Offer.Section section : sections) {
            if (!section.rejected()) {
                accepted.add(section);
            }
        }
        if (accepted.isEmpty()) {
            throw new SdpException("every m-section of the offer has port 0: nothing to negotiate");
        }
        List<String> group = null;
        for (String value : groups(description)) {
            String[] fields = value.trim().split("\\s+");
            if (!fields[0].equals("BUNDLE")) {
                continue;
            }
            List<String> members = List.of(fields).subList(1, fields.length);
            for (String member : members) {
                if (indexOf(sections, member) < 0) {
                    throw new SdpException("a=group:BUNDLE names mid " + quote(member) + ", which no m-section has");
                }
            }
            if (members.contains(accepted.get(0).mid())) {
                group = members;
            }
        }
        if (group == null) {
            throw new SdpException("m-section " + accepted.get(0).mid()
                    + " is in no a=group:BUNDLE: RFC 9725 requires BUNDLE and rtcp-mux");
        }
        for (Offer.Section section : accepted) {
            if (!group.contains(section.mid())) {
                throw new SdpException("m-section " + section.mid() + " is not in the BUNDLE group of m-section "
                        + accepted.get(0).mid() + ": RFC 9725 requires all media in one BUNDLE group, with rtcp-mux");
            }
        }
        for (String mid : group) {
            Offer.Section section = sections.get(indexOf(sections, mid));
            if (!section.rejected()) {
                return mid;
            }
        }
        throw new IllegalStateException("a group holding an accepted section has one");
    }

    private static List<String> groups(SessionDescription description) {
        List<String> groups = new ArrayList<>();
        for (SessionDescription.Attribute attribute : description.attributes()) {
            if (attribute.name().equals("group") && attribute.value() != null) {
                groups.add(attribute.value());
            }
        }
        return groups;
    }

    /** RFC 8842 5.2 has the offerer write actpass; a client that can only be the DTLS client says active. */
    private static String readSetup(String setup) throws SdpException {
        if (setup == null) {
            // RFC 4145 4.1: absent means active. Answering passive then works even for an offerer
            // that meant actpass and left the attribute out.
            return "active";
        }
        return switch (setup.trim()) {
            case "actpass", "active", "passive" -> setup.trim();
            case "holdconn" -> throw new SdpException(
                    "a=setup:holdconn: the offer must let DTLS start (actpass, active or passive)");
            default -> throw new SdpException("a=setup must be actpass, active or passive, not " + quote(setup));
        };
    }

    private static Offer.Section readSection(SessionDescription.MediaDescription section, String mid)
            throws SdpException {
        boolean bundleOnly = section.hasAttribute("bundle-only");
        boolean rejected = section.port() == 0 && !bundleOnly;
        Direction direction = null;
        for (Direction candidate : Direction.values()) {
            if (section.hasAttribute(candidate.attribute())) {
                if (direction != null) {
                    throw new SdpException("m-section " + mid + " has two directions");
                }
                direction = candidate;
            }
        }
        if (rejected) {
            direction = Direction.INACTIVE;
        } else if (direction == null) {
            direction = Direction.SENDRECV;
        }
        boolean rtp = section.protocol().contains("RTP/");
        if (!rejected && rtp && !section.hasAttribute("rtcp-mux")) {
            throw new SdpException("m-section " + mid + " has no a=rtcp-mux: RFC 9725 requires BUNDLE and rtcp-mux");
        }
        List<Offer.Format> formats = rtp ? OfferFormats.read(section, mid) : tokens(section);
        long[] sent = SsrcLines.sent(section, mid);
        return new Offer.Section(mid, section.kind(), section.port(), section.protocol(), direction, formats,
                readExtmaps(section, mid), sent[0], sent[1], readSendRids(section, mid), bundleOnly,
                section.hasAttribute("rtcp-rsize"));
    }

    /** The formats of a section that is not RTP, such as webrtc-datachannel. */
    private static List<Offer.Format> tokens(SessionDescription.MediaDescription section) {
        List<Offer.Format> formats = new ArrayList<>();
        for (String token : section.formats()) {
            formats.add(new Offer.Format(-1, token, 0, 0, "", List.of()));
        }
        return formats;
    }

    /** {@code a=extmap:<id>[/<direction>] <uri> [<attributes>]} (RFC 8285 5). */
    private static List<Offer.Extmap> readExtmaps(SessionDescription.MediaDescription section, String mid)
            throws SdpException {
        Map<Integer, Offer.Extmap> byId = new LinkedHashMap<>();
        for (String line : section.attributes("extmap")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 2) {
                throw new SdpException("m-section " + mid + " has a malformed a=extmap:"
                        + SessionDescription.abbreviate(line));
            }
            String id = fields[0];
            int slash = id.indexOf('/');
            if (slash >= 0) {
                if (Direction.fromAttribute(id.substring(slash + 1)) == null) {
                    throw new SdpException("m-section " + mid + " has a=extmap with an unknown direction: "
                            + SessionDescription.abbreviate(line));
                }
                id = id.substring(0, slash);
            }
            int value;
            try {
                value = Integer.parseInt(id);
            } catch (NumberFormatException e) {
                value = -1;
            }
            // 1-14 fit the one-byte header form, up to 255 the two-byte form (a=extmap-allow-mixed, RFC 8285 4.3).
            if (value < 1 || value > 255) {
                throw new SdpException("m-section " + mid + " has extension id " + quote(id) + ", not 1-255");
            }
            Offer.Extmap extmap = new Offer.Extmap(value, fields[1]);
            Offer.Extmap earlier = byId.putIfAbsent(value, extmap);
            if (earlier != null && !earlier.uri().equals(extmap.uri())) {
                throw new SdpException("m-section " + mid + " maps extension id " + value + " to two URIs");
            }
        }
        return new ArrayList<>(byId.values());
    }

    /**
     * The RIDs of {@code a=simulcast:send} (RFC 8853 5.1), each declared by {@code a=rid:<rid> send}
     * (RFC 8851). Of alternatives ({@code q,h}) the first is taken; a paused stream ({@code ~q})
     * still counts, since the sender may resume it. Draft syntax ({@code send rid=q;h}) is read too.
     */
    private static List<String> readSendRids(SessionDescription.MediaDescription section, String mid)
            throws SdpException {
        String simulcast = section.attribute("simulcast");
        if (simulcast == null) {
            return List.of();
        }
        String[] fields = simulcast.trim().split("\\s+");
        if (fields.length % 2 != 0) {
            throw new SdpException("m-section " + mid + " has a malformed a=simulcast:"
                        + SessionDescription.abbreviate(simulcast));
        }
        Set<String> declared = new HashSet<>();
        for (String line : section.attributes("rid")) {
            String[] rid = line.trim().split("\\s+");
            if (rid.length >= 2 && rid[1].equals("send")) {
                declared.add(rid[0]);
            }
        }
        List<String> rids = new ArrayList<>();
        for (int i = 0; i < fields.length; i += 2) {
            if (!fields[i].equals("send")) {
                continue;
            }
            String list = fields[i + 1].startsWith("rid=") ? fields[i + 1].substring(4) : fields[i + 1];
            for (String rid : simulcastStreamRids(list, mid)) {
                if (!declared.contains(rid)) {
                    throw new SdpException("m-section " + mid + " sends simulcast RID '" + rid + "' without a=rid:"
                            + rid + " send");
                }
                if (rids.contains(rid)) {
                    throw new SdpException("m-section " + mid + " lists simulcast RID '" + rid + "' twice");
                }
                rids.add(rid);
            }
        }
        return rids;
    }

    /**
     * The RID of each stream of an {@code a=simulcast} stream list (RFC 8853 5.1), in the
     * list's order: the first of its alternatives ({@code q,h}), without the '~' of a paused
     * stream. Shared with {@link SimulcastAnswer}, so that an offer and an answer follow one rule.
     *
     * @throws SdpException when a stream or its first alternative is empty ({@code q;;h},
     *         {@code ,}) or is not a RID (RFC 8851 10)
     */
    static List<String> simulcastStreamRids(String list, String mid) throws SdpException {
        List<String> rids = new ArrayList<>();
        // Limit -1 keeps empty streams and alternatives, so that ";" or "," is refused, not skipped.
        for (String stream : list.split(";", -1)) {
            String rid = stream.split(",", -1)[0];
            if (rid.startsWith("~")) {
                rid = rid.substring(1);
            }
            if (!RID.matcher(rid).matches()) {
                throw new SdpException("m-section " + mid + " has a malformed RID " + quote(rid) + " in a=simulcast");
            }
            rids.add(rid);
        }
        return rids;
    }

    private static int indexOf(List<Offer.Section> sections, String mid) {
        for (int i = 0; i < sections.size(); i++) {
            if (sections.get(i).mid().equals(mid)) {
                return i;
            }
        }
        return -1;
    }

    private static String firstOf(String preferred, String fallback) {
        return preferred != null ? preferred : fallback;
    }

    private static String quote(String text) {
        return SessionDescription.quote(text);
    }
}
