package org.atrium.sfu.transport;

import java.util.List;
import org.ice4j.TransportAddress;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;

/**
 * The candidate pair ICE selected, as the admin API shows it.
 *
 * @param localType host, srflx, prflx or relay
 * @param remoteType host, srflx, prflx or relay
 * @param protocol udp or tcp
 * @param localAddress address:port of the SFU's candidate
 * @param remoteAddress address:port the peer's packets come from
 */
public record SelectedPair(String localType, String remoteType, String protocol, String localAddress,
        String remoteAddress) {

    /**
     * Describes an ice4j pair. A remote candidate ice4j learned from a check is
     * peer-reflexive; when the peer signalled a candidate for that address (often later:
     * a relay candidate trickled after its check arrived), the signalled type is the truer
     * one. An active TCP candidate (RFC 6544) is signalled with port 9 and connects from an
     * ephemeral port, so for TCP the address alone matches it.
     */
    static SelectedPair of(CandidatePair pair, List<IceCandidate> signalled) {
        LocalCandidate local = pair.getLocalCandidate();
        RemoteCandidate remote = pair.getRemoteCandidate();
        TransportAddress remoteAddress = remote.getTransportAddress();
        String protocol = remoteAddress.getTransport().toString();
        String remoteType = typeName(remote.getType());
        if (remote.getType() == CandidateType.PEER_REFLEXIVE_CANDIDATE) {
            String host = remoteAddress.getHostAddress();
            for (IceCandidate candidate : signalled) {
                boolean samePort = candidate.port() == remoteAddress.getPort()
                        || IceCandidate.TCP_ACTIVE.equals(candidate.tcpType());
                if (candidate.protocol().equals(protocol) && samePort && sameAddress(candidate.address(), host)) {
                    remoteType = candidate.type();
                    break;
                }
            }
        }
        return new SelectedPair(typeName(local.getType()), remoteType, protocol,
                hostPort(local.getTransportAddress()), hostPort(remoteAddress));
    }

    private static boolean sameAddress(String signalled, String seen) {
        if (signalled.equals(seen)) {
            return true;
        }
        // IPv6 is written in more than one way.
        try {
            return java.net.InetAddress.getByName(signalled).getHostAddress().equals(seen);
        } catch (java.net.UnknownHostException | SecurityException e) {
            return false;
        }
    }

    private static String typeName(CandidateType type) {
        return switch (type) {
            case HOST_CANDIDATE -> "host";
            case SERVER_REFLEXIVE_CANDIDATE -> "srflx";
            case PEER_REFLEXIVE_CANDIDATE -> "prflx";
            case RELAYED_CANDIDATE -> "relay";
            default -> type.toString();
        };
    }

    private static String hostPort(TransportAddress address) {
        String host = address.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
