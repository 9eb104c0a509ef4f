package org.atrium.sfu.relay;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.atrium.sfu.room.Room;
import org.atrium.sfu.room.RoomException;
import org.atrium.sfu.stats.DataMetrics;
import org.atrium.sfu.stats.RelayMetrics;

/**
 * The relay links of one server, for every room: made here so that they share the server's
 * media port, certificate and timers, and checked here for ICE and consent timeouts.
 */
public final class RelayLinks implements AutoCloseable {

    private final RelayLink.TransportFactory transports;
    private final ScheduledExecutorService timers;
    private final RelayMetrics metrics;
    /** The links' own SCTP counters, kept apart from the participants' data-channel meters. */
    private final DataMetrics dataMetrics;
    private final Set<RelayLink> links = ConcurrentHashMap.newKeySet();

    public RelayLinks(RelayLink.TransportFactory transports, ScheduledExecutorService timers, RelayMetrics metrics,
            DataMetrics dataMetrics) {
        this.transports = transports;
        this.timers = timers;
        this.metrics = metrics;
        this.dataMetrics = dataMetrics;
    }

    /**
     * Makes a link of {@code room} to another node and attaches it, so that it starts telling
     * of this node's members; {@link RelayLink#start} connects it once the other node's
     * parameters are known.
     *
     * @param initiator whether this node asked for the link (ICE controlling, DTLS server)
     * @throws RoomException when the room is closed or has a link to that node already
     */
    public RelayLink open(Room room, String localNodeId, String remoteNodeId, boolean initiator,
            RelayLink.Listener listener) throws IOException {
        RelayLink link = new RelayLink(localNodeId, remoteNodeId, room, initiator, transports, timers, metrics,
                dataMetrics, (closed, reason) -> {
                    links.remove(closed);
                    listener.onClosed(closed, reason);
                });
        links.add(link);
        link.attach();
        return link;
    }

    public List<RelayLink> links() {
        return List.copyOf(links);
    }

    public RelayMetrics metrics() {
        return metrics;
    }

    /** ICE and consent timeouts, as for participants; called by the server's timer. */
    public void checkTimeouts(long nowMillis, long iceTimeoutMillis, long consentTimeoutMillis) {
        for (RelayLink link : links) {
            link.checkTimeouts(nowMillis, iceTimeoutMillis, consentTimeoutMillis);
        }
    }

    @Override
    public void close() {
        for (RelayLink link : links()) {
            link.close("shutdown");
        }
    }
}
