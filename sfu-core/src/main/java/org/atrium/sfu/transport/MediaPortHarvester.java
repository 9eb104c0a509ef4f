package org.atrium.sfu.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;

/**
 * ice4j's single-port harvester, which gives a session a socket for a remote address only
 * once a STUN request for it came from there: a browser always checks first. Another server
 * does not, so a relay link opens the way itself ({@link #openTo}) before its checks start.
 */
final class MediaPortHarvester extends SinglePortUdpHarvester {

    MediaPortHarvester(TransportAddress localAddress) throws IOException {
        super(localAddress);
    }

    /**
     * Binds {@code remote} to the session whose local ufrag this is, as a first check from
     * there would: the session can then send its checks to it. False when no session has
     * that ufrag, or another session holds the address already.
     */
    boolean openTo(InetSocketAddress remote, String localUfrag) {
        return maybeAcceptNewSession(null, remote, localUfrag) != null;
    }
}
