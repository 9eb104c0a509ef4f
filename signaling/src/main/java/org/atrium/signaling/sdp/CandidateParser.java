package org.atrium.signaling.sdp;

import java.util.regex.Pattern;
import org.atrium.sfu.transport.IceCandidate;

/**
 * Reads and writes the candidate attribute (RFC 8839 5.1):
 * {@code candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>
 * [raddr <address>] [rport <port>] *(<name> <value>)}.
 */
public final class CandidateParser {

    private static final Pattern FOUNDATION = Pattern.compile("[A-Za-z0-9+/]{1,32}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private CandidateParser() {
    }

    /**
     * Parses a candidate, with or without the leading {@code a=} and {@code candidate:}.
     *
     * @return the candidate, or null when it is well formed but unusable here (an mDNS
     *         host name, which this server does not resolve; the peer's checks still
     *         arrive and become peer-reflexive candidates; or a TCP candidate of an
     *         unknown tcptype)
     * @throws SdpException when it is malformed
     */
    public static IceCandidate parse(String text) throws SdpException {
        String value = text.strip();
        if (value.startsWith("a=")) {
            value = value.substring(2);
        }
        if (value.startsWith("candidate:")) {
            value = value.substring("candidate:".length());
        }
        String[] fields = value.split(" +");
        if (fields.length < 8 || !"typ".equals(fields[6])) {
            throw new SdpException("malformed candidate: " + SessionDescription.abbreviate(text));
        }
        if (!FOUNDATION.matcher(fields[0]).matches()) {
            throw new SdpException("bad candidate foundation: " + SessionDescription.abbreviate(fields[0]));
        }
        int component = parseInt(fields[1], 1, 256, "component");
        String protocol = fields[2].toLowerCase(java.util.Locale.ROOT);
        long priority = parseLong(fields[3], 1, 0xFFFFFFFFL, "priority");
        String address = fields[4];
        int port = parseInt(fields[5], 0, 65535, "port");
        String type = fields[7];
        if (!type.equals("host") && !type.equals("srflx") && !type.equals("prflx") && !type.equals("relay")) {
            throw new SdpException("unknown candidate type: " + SessionDescription.abbreviate(type));
        }
        String relatedAddress = null;
        int relatedPort = -1;
        String tcpType = null;
        for (int i = 8; i + 1 < fields.length; i += 2) {
            if (fields[i].equals("tcptype")) {
                tcpType = fields[i + 1].toLowerCase(java.util.Locale.ROOT);
            } else if (fields[i].equals("raddr")) {
                relatedAddress = fields[i + 1];
            } else if (fields[i].equals("rport")) {
                relatedPort = parseInt(fields[i + 1], 0, 65535, "rport");
            }
        }
        if (relatedAddress == null || relatedPort < 0) {
            // RFC 8839 5.1: raddr and rport come as a pair; one alone would not survive format().
            relatedAddress = null;
            relatedPort = -1;
        }
        if (!protocol.equals("tcp")) {
            tcpType = null;
        } else if (tcpType != null && !tcpType.equals(IceCandidate.TCP_ACTIVE) && !tcpType.equals(IceCandidate.TCP_PASSIVE)
                && !tcpType.equals(IceCandidate.TCP_SIMULTANEOUS_OPEN)) {
            // A TCP candidate of a kind RFC 6544 does not define: nothing to pair it with.
            return null;
        }
        if (!isIpLiteral(address)) {
            if (address.endsWith(".local")) {
                return null;
            }
            throw new SdpException("candidate address is not an IP address: " + SessionDescription.abbreviate(address));
        }
        return new IceCandidate(fields[0], component, protocol, priority, address, port, type, relatedAddress,
                relatedPort, tcpType);
    }

    /** The attribute value, without {@code a=}: {@code candidate:1 1 udp ... typ host}. */
    public static String format(IceCandidate candidate) {
        StringBuilder text = new StringBuilder("candidate:")
                .append(candidate.foundation()).append(' ')
                .append(candidate.component()).append(' ')
                .append(candidate.protocol()).append(' ')
                .append(candidate.priority()).append(' ')
                .append(candidate.address()).append(' ')
                .append(candidate.port()).append(" typ ").append(candidate.type());
        if (candidate.relatedAddress() != null) {
            text.append(" raddr ").append(candidate.relatedAddress()).append(" rport ").append(candidate.relatedPort());
        }
        if (candidate.tcpType() != null) {
            // RFC 6544 4.5: after raddr/rport, before the extensions.
            text.append(" tcptype ").append(candidate.tcpType());
        }
        text.append(" generation 0");
        return text.toString();
    }

    /** An IP address in text form; never resolves names (no DNS from signaling input). */
    static boolean isIpLiteral(String address) {
        var v4 = IPV4.matcher(address);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return false;
                }
            }
            return true;
        }
        return address.indexOf(':') >= 0 && IPV6.matcher(address).matches();
    }

    private static int parseInt(String text, int min, int max, String what) throws SdpException {
        return (int) parseLong(text, min, max, what);
    }

    private static long parseLong(String text, long min, long max, String what) throws SdpException {
        try {
            long value = Long.parseLong(text);
            if (value < min || value > max) {
                throw new SdpException("candidate " + what + " out of range: " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new SdpException("candidate " + what + " is not a number: " + SessionDescription.abbreviate(text));
        }
    }
}
