package org.atrium.sfu.relay;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.room.Room;
import org.atrium.sfu.room.RoomException;
import org.atrium.sfu.stats.DataMetrics;
import org.atrium.sfu.stats.RelayMetrics;

/**
 * The relay links of one server, one per other node: made here so that they share the
 * server's media port, certificate and timers, and checked here for ICE and consent timeouts.
 */
public final class RelayLinks implements AutoCloseable {

    private final RelayLink.TransportFactory transports;
    private final Function<String, Room> rooms;
    private final MediaCapabilities capabilities;
    private final ScheduledExecutorService timers;
    private final RelayMetrics metrics;
    /** The links' own SCTP counters, kept apart from the participants' data-channel meters. */
    private final DataMetrics dataMetrics;
    /** By remote node id. */
    private final Map<String, RelayLink> links = new ConcurrentHashMap<>();

    /**
     * @param rooms this server's room of a name, or null when it has none (no participant there)
     */
    public RelayLinks(RelayLink.TransportFactory transports, Function<String, Room> rooms,
            MediaCapabilities capabilities, ScheduledExecutorService timers, RelayMetrics metrics,
            DataMetrics dataMetrics) {
        this.transports = transports;
        this.rooms = rooms;
        this.capabilities = capabilities;
        this.timers = timers;
        this.metrics = metrics;
        this.dataMetrics = dataMetrics;
    }

    /**
     * Makes the link to another node; {@link RelayLink#start} connects it once the other
     * node's parameters are known, and {@link RelayLink#openRoom} puts rooms on it.
     *
     * @param initiator whether this node asked for the link (ICE controlling, DTLS server)
     * @throws RoomException ({@code link-exists}) when there is a link to that node already
     */
    public RelayLink open(String localNodeId, String remoteNodeId, boolean initiator, RelayLink.Listener listener)
            throws IOException {
        RelayLink[] made = new RelayLink[1];
        IOException[] failed = new IOException[1];
        links.compute(remoteNodeId, (id, existing) -> {
            if (existing != null && !existing.isClosed()) {
                return existing;
            }
            try {
                made[0] = new RelayLink(localNodeId, remoteNodeId, initiator, rooms, capabilities, transports, timers,
                        metrics, dataMetrics, (closed, reason) -> {
                            links.remove(closed.remoteNodeId(), closed);
                            listener.onClosed(closed, reason);
                        });
                return made[0];
            } catch (IOException e) {
                failed[0] = e;
                return existing;
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        if (made[0] == null) {
            throw new RoomException("link-exists", "a link to node " + remoteNodeId + " exists already");
        }
        return made[0];
    }

    /** The link to that node, or null. */
    public RelayLink link(String remoteNodeId) {
        return links.get(remoteNodeId);
    }

    public List<RelayLink> links() {
        return List.copyOf(links.values());
    }

    /** ICE and consent timeouts, as for participants; called by the server's timer. */
    public void checkTimeouts(long nowMillis, long iceTimeoutMillis, long consentTimeoutMillis) {
        for (RelayLink link : links.values()) {
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
