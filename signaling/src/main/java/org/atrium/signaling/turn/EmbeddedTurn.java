package org.atrium.signaling.turn;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.atrium.sfu.Sfu;
import org.atrium.sfu.turn.PeerPolicy;
import org.atrium.sfu.turn.TurnConfig;
import org.atrium.sfu.turn.TurnMetrics;
import org.atrium.sfu.turn.TurnServer;

/**
 * The server's TURN: the embedded TURN server when it is on, and the {@link IceServers} every
 * participant is handed, for it and for any external servers.
 */
public final class EmbeddedTurn implements AutoCloseable {

    private final TurnServer server;
    private final IceServers iceServers;

    private EmbeddedTurn(TurnServer server, IceServers iceServers) {
        this.server = server;
        this.iceServers = iceServers;
    }

    /**
     * Starts the embedded server when {@code settings} has one.
     *
     * @param tls the HTTPS certificate's context, for TURN over TLS; null leaves TLS off
     */
    public static EmbeddedTurn start(TurnSettings settings, Sfu sfu, SSLContext tls, MeterRegistry registry)
            throws IOException {
        if (settings.embedded() == null) {
            return new EmbeddedTurn(null, IceServers.of(settings, null, null, null, null, Clock.systemUTC()));
        }
        TurnConfig config = TurnConfig.defaults(settings.secretBytes(),
                settings.openRelay() ? PeerPolicy.open() : PeerPolicy.only(mediaAddresses(sfu)));
        config = new TurnConfig(config.realm(), config.secret(), config.defaultLifetime(), config.maxLifetime(),
                settings.allocationsPerParticipant(), settings.maxAllocations(), config.peers());
        TurnServer server = new TurnServer(settings.embedded(), config, tls, new TurnMetrics(registry));
        String host = settings.host() != null ? settings.host() : defaultHost(settings, sfu);
        return new EmbeddedTurn(server, IceServers.of(settings, host, server.udpAddress(), server.tcpAddress(),
                server.tlsAddress(), Clock.systemUTC()));
    }

    /**
     * Where the relay may send: the media port, at its bound address and at each public address
     * announced for it (a relay on the same host reaches the bound one; the others are what a
     * client may name as a peer from its candidates).
     */
    private static List<InetSocketAddress> mediaAddresses(Sfu sfu) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        InetSocketAddress media = sfu.mediaAddress();
        addresses.add(media);
        for (InetAddress announced : sfu.config().announcedAddresses()) {
            addresses.add(new InetSocketAddress(announced, media.getPort()));
        }
        return addresses;
    }

    /** A public address of the media port if there is one, else the TURN listeners' own address. */
    private static String defaultHost(TurnSettings settings, Sfu sfu) {
        List<InetAddress> announced = sfu.config().announcedAddresses();
        return IceServers.hostOf(announced.isEmpty() ? settings.embedded().bindAddress() : announced.get(0));
    }

    public IceServers iceServers() {
        return iceServers;
    }

    /** The embedded server, or null when it is off. */
    public TurnServer server() {
        return server;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
