package org.atrium.signaling.turn;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.atrium.sfu.turn.TurnCredential;
import org.atrium.sfu.turn.TurnCredentials;

/**
 * The {@code iceServers} each participant gets in {@code joined}: the embedded TURN server's URLs
 * for each transport it serves, then the configured external servers, each with TURN REST
 * credentials minted for that participant (so that quotas and logs can tell participants apart).
 */
public final class IceServers {

    private final List<String> embeddedUrls;
    private final TurnCredentials embeddedCredentials;
    private final List<String> externalUrls;
    private final TurnCredentials externalCredentials;
    private final Duration lifetime;
    private final Clock clock;

    private IceServers(List<String> embeddedUrls, TurnCredentials embeddedCredentials, List<String> externalUrls,
            TurnCredentials externalCredentials, Duration lifetime, Clock clock) {
        this.embeddedUrls = List.copyOf(embeddedUrls);
        this.embeddedCredentials = embeddedCredentials;
        this.externalUrls = List.copyOf(externalUrls);
        this.externalCredentials = externalCredentials;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** No TURN: clients get an empty list. */
    public static IceServers none() {
        return new IceServers(List.of(), null, List.of(), null, Duration.ofHours(1), Clock.systemUTC());
    }

    /**
     * @param host what clients are told to reach the embedded server at
     * @param udp the embedded server's UDP listener, or null when off (also for tcp and tls)
     */
    public static IceServers of(TurnSettings settings, String host, InetSocketAddress udp, InetSocketAddress tcp,
            InetSocketAddress tls, Clock clock) {
        List<String> urls = new ArrayList<>();
        if (udp != null) {
            urls.add("turn:" + hostPart(host) + ":" + udp.getPort() + "?transport=udp");
        }
        if (tcp != null) {
            urls.add("turn:" + hostPart(host) + ":" + tcp.getPort() + "?transport=tcp");
        }
        if (tls != null) {
            urls.add("turns:" + hostPart(host) + ":" + tls.getPort() + "?transport=tcp");
        }
        return new IceServers(urls, new TurnCredentials(settings.secretBytes()), settings.externalUrls(),
                new TurnCredentials(settings.externalSecretBytes()), settings.credentialLifetime(), clock);
    }

    /** An IPv6 address goes in brackets in a URL (RFC 7065 3.1). */
    static String hostPart(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** A host as text for URLs: an address without a reverse lookup. */
    public static String hostOf(InetAddress address) {
        String text = address.getHostAddress();
        if (address instanceof Inet6Address) {
            int zone = text.indexOf('%');
            return zone >= 0 ? text.substring(0, zone) : text;
        }
        return text;
    }

    /** The list for one participant, credentials valid for the configured lifetime from now. */
    public List<IceServer> forParticipant(String identity) {
        List<IceServer> servers = new ArrayList<>(2);
        if (!embeddedUrls.isEmpty()) {
            TurnCredential credential = embeddedCredentials.mint(identity, clock.instant(), lifetime);
            servers.add(new IceServer(embeddedUrls, credential.username(), credential.password()));
        }
        if (!externalUrls.isEmpty()) {
            TurnCredential credential = externalCredentials.mint(identity, clock.instant(), lifetime);
            servers.add(new IceServer(externalUrls, credential.username(), credential.password()));
        }
        return servers;
    }

    /** True when clients get at least one server. */
    public boolean isEmpty() {
        return embeddedUrls.isEmpty() && externalUrls.isEmpty();
    }

    /** The embedded server's URLs (for logs and the operator's view). */
    public List<String> embeddedUrls() {
        return embeddedUrls;
    }
}
