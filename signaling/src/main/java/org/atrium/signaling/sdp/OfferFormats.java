package org.atrium.signaling.sdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an RTP m-section's formats: the payload types of its m-line with their
 * {@code a=rtpmap}, {@code a=fmtp} and {@code a=rtcp-fb} lines (RFC 8866 6.6, 6.15; RFC 4585 4.2).
 * Lines for payload types the m-line does not list are ignored, as RFC 8866 asks.
 */
final class OfferFormats {

    /** RFC 3551 6: static payload types an offer may use without an rtpmap. */
    private static final Map<Integer, Offer.Format> STATIC = Map.of(
            0, new Offer.Format(0, "PCMU", 8000, 1, "", List.of()),
            8, new Offer.Format(8, "PCMA", 8000, 1, "", List.of()),
            9, new Offer.Format(9, "G722", 8000, 1, "", List.of()),
            13, new Offer.Format(13, "CN", 8000, 1, "", List.of()));

    private OfferFormats() {
    }

    static List<Offer.Format> read(SessionDescription.MediaDescription section, String mid) throws SdpException {
        boolean audio = section.kind().equals("audio");
        Map<Integer, Offer.Format> formats = new LinkedHashMap<>();
        for (String token : section.formats()) {
            int payloadType = payloadType(token, mid);
            Offer.Format known = STATIC.get(payloadType);
            Offer.Format format = known != null ? known
                    : new Offer.Format(payloadType, "", 0, audio ? 1 : 0, "", List.of());
            if (formats.put(payloadType, format) != null) {
                throw new SdpException("m-section " + mid + " lists payload type " + payloadType + " twice");
            }
        }
        for (String line : section.attributes("rtpmap")) {
            // a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
            String[] fields = line.trim().split("\\s+", 2);
            int payloadType = payloadType(fields[0], mid);
            Offer.Format format = formats.get(payloadType);
            if (format == null) {
                continue;
            }
            String[] encoding = fields.length == 2 ? fields[1].trim().split("/") : new String[0];
            if (encoding.length < 2 || encoding.length > 3 || encoding[0].isEmpty()) {
                throw new SdpException("m-section " + mid + " has a malformed a=rtpmap:"
                        + SessionDescription.abbreviate(line));
            }
            int clockRate = number(encoding[1], "clock rate", line, mid);
            int channels = !audio ? 0 : encoding.length == 3 ? number(encoding[2], "channel count", line, mid) : 1;
            formats.put(payloadType, new Offer.Format(payloadType, encoding[0], clockRate, channels, format.fmtp(),
                    format.feedback()));
        }
        Map<Integer, String> fmtps = new LinkedHashMap<>();
        for (String line : section.attributes("fmtp")) {
            String[] fields = line.trim().split("\\s+", 2);
            int payloadType = payloadType(fields[0], mid);
            if (formats.containsKey(payloadType)) {
                fmtps.putIfAbsent(payloadType, fields.length == 2 ? fields[1].trim() : "");
            }
        }
        Map<Integer, List<String>> feedback = new LinkedHashMap<>();
        for (int payloadType : formats.keySet()) {
            feedback.put(payloadType, new ArrayList<>());
        }
        for (String line : section.attributes("rtcp-fb")) {
            // a=rtcp-fb:<payload type or *> <type> [<parameters>]
            String[] fields = line.trim().split("\\s+", 2);
            if (fields.length < 2) {
                throw new SdpException("m-section " + mid + " has a malformed a=rtcp-fb:"
                        + SessionDescription.abbreviate(line));
            }
            String value = String.join(" ", fields[1].trim().split("\\s+"));
            if (fields[0].equals("*")) {
                for (List<String> values : feedback.values()) {
                    addOnce(values, value);
                }
            } else {
                List<String> values = feedback.get(payloadType(fields[0], mid));
                if (values != null) {
                    addOnce(values, value);
                }
            }
        }
        List<Offer.Format> result = new ArrayList<>();
        for (Offer.Format format : formats.values()) {
            int payloadType = format.payloadType();
            result.add(new Offer.Format(payloadType, format.name(), format.clockRate(), format.channels(),
                    fmtps.getOrDefault(payloadType, ""), feedback.get(payloadType)));
        }
        return result;
    }

    private static void addOnce(List<String> values, String value) {
        if (!values.contains(value)) {
            values.add(value);
        }
    }

    private static int payloadType(String text, String mid) throws SdpException {
        try {
            int payloadType = Integer.parseInt(text);
            if (payloadType >= 0 && payloadType <= 127) {
                return payloadType;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SdpException("m-section " + mid + " has payload type " + SessionDescription.quote(text)
                + ", not a number 0-127");
    }

    private static int number(String text, String what, String line, String mid) throws SdpException {
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SdpException("m-section " + mid + " has a bad " + what + " in a=rtpmap:"
                + SessionDescription.abbreviate(line));
    }
}
