package org.atrium.signaling.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed SDP (RFC 8866): session-level lines and media sections, each kept as the
 * ordered list of its attributes. Generic: what the lines mean is read by
 * {@link AnswerReader}.
 */
public final class SessionDescription {

    /** Longest SDP accepted; a signaling frame is at most 64 KiB anyway. */
    public static final int MAX_LENGTH = 65536;
    /** Most m-sections accepted in one description. */
    public static final int MAX_MEDIA = 512;

    private final List<Attribute> attributes;
    private final List<MediaDescription> media;

    private SessionDescription(List<Attribute> attributes, List<MediaDescription> media) {
        this.attributes = List.copyOf(attributes);
        this.media = List.copyOf(media);
    }

    /** One {@code a=name:value} line; value is null for a flag such as {@code a=rtcp-mux}. */
    public record Attribute(String name, String value) {
    }

    /** One m-section: the m-line's fields and its attributes. */
    public record MediaDescription(String kind, int port, String protocol, List<String> formats,
            List<Attribute> attributes) {

        public MediaDescription {
            formats = List.copyOf(formats);
            attributes = List.copyOf(attributes);
        }

        /** The first value of an attribute, or null. */
        public String attribute(String name) {
            for (Attribute attribute : attributes) {
                if (attribute.name().equals(name)) {
                    return attribute.value() == null ? "" : attribute.value();
                }
            }
            return null;
        }

        public boolean hasAttribute(String name) {
            return attribute(name) != null;
        }

        /** Every value of an attribute, in order. */
        public List<String> attributes(String name) {
            List<String> values = new ArrayList<>();
            for (Attribute attribute : attributes) {
                if (attribute.name().equals(name)) {
                    values.add(attribute.value() == null ? "" : attribute.value());
                }
            }
            return values;
        }
    }

    public List<Attribute> attributes() {
        return attributes;
    }

    public List<MediaDescription> media() {
        return media;
    }

    /** The first value of a session-level attribute, or null. */
    public String attribute(String name) {
        for (Attribute attribute : attributes) {
            if (attribute.name().equals(name)) {
                return attribute.value() == null ? "" : attribute.value();
            }
        }
        return null;
    }

    /**
     * Parses an SDP. Lines may end in CRLF or LF. Lines of types this server does not
     * use (b=, i=, k=, ...) are skipped; a line that is not {@code x=...} is an error.
     */
    public static SessionDescription parse(String sdp) throws SdpException {
        if (sdp == null || sdp.isEmpty()) {
            throw new SdpException("empty SDP");
        }
        if (sdp.length() > MAX_LENGTH) {
            throw new SdpException("SDP longer than " + MAX_LENGTH + " characters");
        }
        List<Attribute> session = new ArrayList<>();
        List<MediaDescription> media = new ArrayList<>();
        String[] lines = sdp.split("\r?\n");
        // split drops trailing empty strings, so a text of line breaks alone gives no lines at all.
        if (lines.length == 0 || !lines[0].equals("v=0")) {
            throw new SdpException("SDP must start with v=0");
        }
        String kind = null;
        int port = 0;
        String protocol = null;
        List<String> formats = null;
        List<Attribute> current = session;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new SdpException("line " + (i + 1) + " is not of the form x=...: " + abbreviate(line));
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (type == 'm') {
                if (kind != null) {
                    media.add(new MediaDescription(kind, port, protocol, formats, current));
                }
                if (media.size() >= MAX_MEDIA) {
                    throw new SdpException("more than " + MAX_MEDIA + " m-sections");
                }
                String[] fields = value.split(" ");
                if (fields.length < 3) {
                    throw new SdpException("line " + (i + 1) + ": malformed m-line: " + abbreviate(line));
                }
                kind = fields[0];
                try {
                    port = Integer.parseInt(fields[1].contains("/") ? fields[1].substring(0, fields[1].indexOf('/'))
                            : fields[1]);
                } catch (NumberFormatException e) {
                    throw new SdpException("line " + (i + 1) + ": bad port in m-line: " + abbreviate(line));
                }
                if (port < 0 || port > 65535) {
                    throw new SdpException("line " + (i + 1) + ": port out of range");
                }
                protocol = fields[2];
                formats = new ArrayList<>();
                for (int f = 3; f < fields.length; f++) {
                    if (!fields[f].isEmpty()) {
                        formats.add(fields[f]);
                    }
                }
                current = new ArrayList<>();
            } else if (type == 'a') {
                int colon = value.indexOf(':');
                current.add(colon < 0 ? new Attribute(value, null)
                        : new Attribute(value.substring(0, colon), value.substring(colon + 1)));
            }
        }
        if (kind != null) {
            media.add(new MediaDescription(kind, port, protocol, formats, current));
        }
        return new SessionDescription(session, media);
    }

    /** A value for an error message: quoted and shortened, or "none" when absent. */
    static String quote(String text) {
        return text == null ? "none" : "'" + abbreviate(text) + "'";
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
