package org.atrium.signaling.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.media.ReceiveStream;
import org.atrium.sfu.rtcp.ReceiveStreamStatistics;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.Room;
import org.atrium.sfu.room.Rooms;
import org.atrium.sfu.transport.SelectedPair;
import org.atrium.sfu.transport.WebRtcTransport;
import org.atrium.srtp.SrtpProfile;

/**
 * The stats API's documents ({@code GET /api/rooms}, {@code GET /api/rooms/NAME}),
 * read from the rooms as they are at the moment of the request. The shape is
 * documented in docs/api.md; fields are added, never renamed or removed.
 */
public final class RoomStatsJson {

    private final ObjectMapper mapper;

    public RoomStatsJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Every room, in summary. */
    public ObjectNode rooms(Rooms rooms) {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode list = root.putArray("rooms");
        List<Room> sorted = rooms.rooms();
        sorted.sort(Comparator.comparing(Room::name));
        int participants = 0;
        for (Room room : sorted) {
            List<Participant> members = room.participants();
            participants += members.size();
            ObjectNode node = list.addObject();
            node.put("name", room.name());
            node.put("participants", members.size());
            int tracks = 0;
            long bitrateIn = 0;
            long bitrateOut = 0;
            for (Participant participant : members) {
                for (Producer producer : participant.producers()) {
                    tracks++;
                    bitrateIn += producer.bitrate();
                }
                for (Consumer consumer : participant.consumers()) {
                    bitrateOut += consumer.bitrate();
                }
            }
            node.put("publishedTracks", tracks);
            node.put("bitrateIn", bitrateIn);
            node.put("bitrateOut", bitrateOut);
            node.put("activeSpeaker", room.activeSpeaker());
        }
        root.put("roomCount", sorted.size());
        root.put("participantCount", participants);
        return root;
    }

    /** One room in full: each participant, its transport, and each track both ways. */
    public ObjectNode room(Room room) {
        ObjectNode root = mapper.createObjectNode();
        root.put("name", room.name());
        root.put("activeSpeaker", room.activeSpeaker());
        ArrayNode list = root.putArray("participants");
        for (Participant participant : room.participants()) {
            list.add(participant(participant));
        }
        return root;
    }

    private ObjectNode participant(Participant participant) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", participant.id());
        node.put("name", participant.displayName());
        node.put("identity", participant.admission().identity());
        node.put("listed", participant.admission().listed());
        node.putObject("grants").put("publish", participant.admission().mayPublish())
                .put("subscribe", participant.admission().maySubscribe())
                .put("data", participant.admission().maySendData());
        node.put("joinedAt", Instant.ofEpochMilli(participant.joinedMillis()).toString());
        WebRtcTransport transport = participant.transport();
        ObjectNode transportNode = node.putObject("transport");
        transportNode.put("iceState", transport.iceState());
        transportNode.put("dtlsState", transport.dtlsState());
        String pair = transport.selectedPair();
        SelectedPair selected = transport.selectedCandidatePair();
        if (pair != null && pair.contains(" -> ")) {
            ObjectNode pairNode = transportNode.putObject("selectedCandidatePair");
            pairNode.put("local", pair.substring(0, pair.indexOf(" -> ")));
            pairNode.put("remote", pair.substring(pair.indexOf(" -> ") + 4));
            if (selected != null) {
                pairNode.put("protocol", selected.protocol());
                pairNode.put("localType", selected.localType());
                pairNode.put("remoteType", selected.remoteType());
            }
        } else {
            transportNode.putNull("selectedCandidatePair");
        }
        SrtpProfile profile = transport.srtpProfile();
        transportNode.put("srtpProfile", profile == null ? null : profile.name());
        transportNode.put("congestionFeedback", participant.congestionFeedback().name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', '-'));
        long estimate = participant.downlinkEstimateBps();
        if (estimate < 0) {
            transportNode.putNull("downlinkEstimate");
        } else {
            transportNode.put("downlinkEstimate", estimate);
        }
        transportNode.put("probesSent", participant.probesSent());
        long rttNanos = 0;
        ArrayNode received = mapper.createArrayNode();
        for (Consumer consumer : participant.consumers()) {
            received.add(consumer(participant, consumer));
            rttNanos = Math.max(rttNanos, consumer.senderReports().roundTripTimeNanos());
        }
        putMillis(transportNode, "rttMs", rttNanos);
        ArrayNode published = node.putArray("published");
        for (Producer producer : participant.producers()) {
            ObjectNode track = producer(producer);
            org.atrium.sfu.room.TrackSource source = participant.sourceOf(producer.mid());
            if (source != null) {
                track.put("source", source.wireName());
                track.put("muted", participant.isMuted(source));
            }
            published.add(track);
        }
        node.set("received", received);
        return node;
    }

    private ObjectNode producer(Producer producer) {
        ObjectNode node = mapper.createObjectNode();
        ReceiveStreamStatistics statistics = producer.statistics();
        node.put("id", producer.id());
        node.put("mid", producer.mid());
        node.put("kind", producer.kind().sdpName());
        putSsrc(node, "ssrc", producer.isBound() ? producer.ssrc() : -1);
        putSsrc(node, "rtxSsrc", producer.rtxSsrc());
        node.put("packets", producer.packetCount());
        node.put("bytes", producer.byteCount());
        node.put("bitrate", producer.bitrate());
        node.put("packetsLost", statistics.cumulativeLost());
        node.put("fractionLost", statistics.fractionLost() / 256.0);
        node.put("jitterMs", round(statistics.jitterMillis()));
        node.put("nacksSent", producer.nacksSent());
        node.put("retransmissionsReceived", producer.retransmissionsReceived());
        node.put("keyframeRequestsSent", producer.keyframeRequestCount());
        node.put("receivers", producer.consumers().length);
        if (producer.isSimulcast()) {
            ArrayNode encodings = node.putArray("encodings");
            for (ReceiveStream stream : producer.streams()) {
                ObjectNode encoding = encodings.addObject();
                encoding.put("rid", stream.rid());
                putSsrc(encoding, "ssrc", stream.ssrc());
                putSsrc(encoding, "rtxSsrc", stream.rtxSsrc());
                encoding.put("width", stream.width());
                encoding.put("height", stream.height());
                encoding.put("bitrate", stream.bitrate());
                encoding.put("packets", stream.packetCount());
            }
        }
        return node;
    }

    private ObjectNode consumer(Participant receiver, Consumer consumer) {
        ObjectNode node = mapper.createObjectNode();
        Producer producer = consumer.producer();
        node.put("trackId", producer.id());
        node.put("publisher", producer.ownerId());
        node.put("kind", consumer.kind().sdpName());
        putSsrc(node, "ssrc", consumer.ssrc());
        putSsrc(node, "rtxSsrc", consumer.rtxSsrc());
        node.put("state", consumer.isResumed() ? "forwarding" : "paused");
        node.put("packets", consumer.packetCount());
        node.put("bytes", consumer.byteCount());
        node.put("bitrate", consumer.bitrate());
        node.put("dropped", consumer.droppedCount());
        putMillis(node, "rttMs", consumer.senderReports().roundTripTimeNanos());
        node.put("packetsLost", consumer.reportedCumulativeLost());
        node.put("fractionLost", consumer.reportedFractionLost() / 256.0);
        node.put("jitterMs", round(consumer.reportedJitterMillis()));
        node.put("nacksReceived", consumer.nackedCount());
        node.put("retransmissions", consumer.retransmissionCount());
        node.put("pliReceived", consumer.pliCount());
        node.put("firReceived", consumer.firCount());
        if (consumer.kind() == org.atrium.sfu.media.MediaKind.VIDEO) {
            node.set("layer", layer(consumer.currentSpatialLayer(), consumer.currentTemporalLayer()));
            node.set("targetLayer", layer(consumer.targetSpatialLayer(), consumer.targetTemporalLayer()));
            node.put("pausedReason", receiver.pauseReason(consumer));
            node.put("layerSwitches", consumer.layerSwitchCount());
        }
        return node;
    }

    /** A layer as {spatial, temporal}, or null when none (paused, or not started). */
    private com.fasterxml.jackson.databind.JsonNode layer(int spatial, int temporal) {
        if (spatial < 0) {
            return mapper.nullNode();
        }
        return mapper.createObjectNode().put("spatial", spatial).put("temporal", temporal);
    }

    private static void putSsrc(ObjectNode node, String field, long ssrc) {
        if (ssrc < 0) {
            node.putNull(field);
        } else {
            node.put(field, ssrc);
        }
    }

    /** Null until measured. */
    private static void putMillis(ObjectNode node, String field, long nanos) {
        if (nanos <= 0) {
            node.putNull(field);
        } else {
            node.put(field, round(nanos / 1e6));
        }
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
