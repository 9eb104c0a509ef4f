package org.atrium.signaling.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import org.atrium.cluster.NodeInfo;
import org.atrium.sfu.relay.RelayLink;
import org.atrium.signaling.cluster.ClusterNode;

/**
 * {@code GET /api/cluster} (docs/api.md): this node, the live nodes as its last heartbeat saw
 * them, and its relay links with their state, rooms and tracks.
 */
final class ClusterJson {

    private final ObjectMapper mapper;

    ClusterJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    ObjectNode describe(ClusterNode cluster, List<RelayLink> links) {
        ObjectNode document = mapper.createObjectNode();
        document.put("node", cluster.nodeId());
        document.put("redisUp", cluster.isRedisUp());
        ArrayNode nodes = document.putArray("nodes");
        for (NodeInfo node : cluster.liveNodes()) {
            ObjectNode entry = nodes.addObject();
            entry.put("id", node.id());
            entry.put("url", node.signalingUrl().toString());
            entry.put("media", node.mediaAddress());
            entry.put("load", node.load());
            entry.put("capacity", node.capacity());
        }
        ArrayNode linkArray = document.putArray("links");
        for (RelayLink link : links.stream().sorted(Comparator.comparing(RelayLink::remoteNodeId)).toList()) {
            ObjectNode entry = linkArray.addObject();
            entry.put("node", link.remoteNodeId());
            entry.put("initiator", link.isInitiator());
            entry.put("established", link.isEstablished());
            entry.put("ice", link.transport().iceState());
            entry.put("dtls", link.transport().dtlsState());
            String pair = link.transport().selectedPair();
            if (pair == null) {
                entry.putNull("selectedPair");
            } else {
                entry.put("selectedPair", pair);
            }
            ArrayNode rooms = entry.putArray("rooms");
            link.rooms().stream().sorted().forEach(rooms::add);
            entry.put("outboundTracks", link.outboundTrackCount());
        }
        return document;
    }
}
