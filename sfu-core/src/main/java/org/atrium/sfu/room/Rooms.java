package org.atrium.sfu.room;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.atrium.sfu.SfuConfig;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.ForwardingLane;
import org.atrium.sfu.media.ForwardingLanes;
import org.atrium.sfu.media.Router;
import org.atrium.sfu.stats.SfuMetrics;

/** The rooms of one server: created on first join, removed when they empty. */
public final class Rooms {

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Host host;
    private final MediaCapabilities capabilities;
    private final int maxRooms;
    private volatile boolean acceptingJoins = true;

    /**
     * @param transportFactory makes each participant's transport
     * @param keyframeIntervalNanos minimum interval between keyframe requests to one stream
     * @param timers runs deferred work
     * @param maxParticipants per room
     * @param maxRooms on this server
     * @param packetCache bounds of each video stream's retransmission cache
     * @param lanes where receivers' packets are sent from
     */
    public Rooms(Participant.TransportFactory transportFactory, SfuMetrics metrics, MediaCapabilities capabilities,
            long keyframeIntervalNanos, ScheduledExecutorService timers, int maxParticipants, int maxRooms,
            SfuConfig.PacketCacheSize packetCache, ForwardingLanes lanes) {
        this.host = new Host(transportFactory, metrics, keyframeIntervalNanos, timers, maxParticipants, packetCache,
                lanes);
        this.capabilities = capabilities;
        this.maxRooms = maxRooms;
    }

    /**
     * Joins a room, creating it if needed.
     *
     * @throws RoomException when a limit refuses it
     * @throws IOException when the participant's transport cannot be made
     */
    public Participant join(String roomName, String displayName, ParticipantListener listener) throws IOException {
        return join(roomName, Admission.open(displayName), listener);
    }

    /**
     * Joins a room with an identity and grants, creating the room if needed.
     *
     * @throws RoomException when a limit refuses it, or the server is shutting down
     * @throws IOException when the participant's transport cannot be made
     */
    public Participant join(String roomName, Admission admission, ParticipantListener listener) throws IOException {
        if (!acceptingJoins) {
            throw new RoomException("shutdown", "the server is shutting down");
        }
        while (true) {
            Room room = rooms.get(roomName);
            if (room == null) {
                if (rooms.size() >= maxRooms) {
                    throw new RoomException("too-many-rooms", "the server has reached its limit of " + maxRooms + " rooms");
                }
                Room fresh = new Room(roomName, host, new Router(capabilities, host.metrics));
                room = rooms.putIfAbsent(roomName, fresh);
                if (room == null) {
                    room = fresh;
                }
            }
            try {
                return room.join(admission, listener);
            } catch (RoomException e) {
                if (!"room-closed".equals(e.code())) {
                    throw e;
                }
                // The room emptied and closed between lookup and join: make a new one.
                rooms.remove(roomName, room);
            }
        }
    }

    public Room room(String name) {
        return rooms.get(name);
    }

    public List<Room> rooms() {
        return new ArrayList<>(rooms.values());
    }

    public int participantCount() {
        int count = 0;
        for (Room room : rooms.values()) {
            count += room.size();
        }
        return count;
    }

    /** Every participant of every room, a snapshot. */
    public List<Participant> participants() {
        List<Participant> all = new ArrayList<>();
        for (Room room : rooms.values()) {
            all.addAll(room.participants());
        }
        return all;
    }

    public int roomCount() {
        return rooms.size();
    }

    /** Published tracks of a kind, in all rooms. */
    public int producerCount(org.atrium.sfu.media.MediaKind kind) {
        int count = 0;
        for (Room room : rooms.values()) {
            for (Participant participant : room.participants()) {
                for (org.atrium.sfu.media.Producer producer : participant.producers()) {
                    if (producer.kind() == kind) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /** Streams being sent to receivers, in all rooms. */
    public int consumerCount() {
        int count = 0;
        for (Room room : rooms.values()) {
            for (Participant participant : room.participants()) {
                count += participant.consumers().size();
            }
        }
        return count;
    }

    /** Takes a bitrate sample of every stream; called by the server's timer about once a second. */
    public void sampleBitrates(long nowNanos) {
        for (Room room : rooms.values()) {
            for (Participant participant : room.participants()) {
                participant.sampleBitrates(nowNanos);
            }
            room.sampleRemoteBitrates(nowNanos);
        }
    }

    /** Sends the periodic RTCP that is due, in every room. */
    public void sendPeriodicRtcp(long nowMicros) {
        for (Room room : rooms.values()) {
            room.sendPeriodicRtcp(nowMicros);
        }
    }

    /** Runs every room's bandwidth allocation; called by the server's timer. */
    public void allocateBandwidth(long nowNanos) {
        for (Room room : rooms.values()) {
            room.allocateBandwidth(nowNanos);
        }
    }

    /** Updates every room's dominant speaker. */
    public void detectActiveSpeakers(long nowNanos) {
        for (Room room : rooms.values()) {
            room.detectActiveSpeaker(nowNanos);
        }
    }

    /** Refuses every join from now on (code {@code shutdown}): the first step of stopping. */
    public void stopAcceptingJoins() {
        acceptingJoins = false;
    }

    public boolean isAcceptingJoins() {
        return acceptingJoins;
    }

    /** Removes everyone, as on shutdown. */
    public void closeAll(LeaveReason reason) {
        for (Room room : rooms()) {
            room.closeAll(reason);
        }
    }

    private final class Host implements Room.RoomHost {
        private final Participant.TransportFactory transportFactory;
        final SfuMetrics metrics;
        private final long keyframeIntervalNanos;
        private final ScheduledExecutorService timers;
        private final int maxParticipants;
        private final SfuConfig.PacketCacheSize packetCache;
        private final ForwardingLanes lanes;

        Host(Participant.TransportFactory transportFactory, SfuMetrics metrics, long keyframeIntervalNanos,
                ScheduledExecutorService timers, int maxParticipants, SfuConfig.PacketCacheSize packetCache,
                ForwardingLanes lanes) {
            this.lanes = lanes;
            this.packetCache = packetCache;
            this.transportFactory = transportFactory;
            this.metrics = metrics;
            this.keyframeIntervalNanos = keyframeIntervalNanos;
            this.timers = timers;
            this.maxParticipants = maxParticipants;
        }

        @Override
        public ForwardingLane assignLane() {
            return lanes.assign();
        }

        @Override
        public SfuConfig.PacketCacheSize packetCache() {
            return packetCache;
        }

        @Override
        public ScheduledExecutorService timers() {
            return timers;
        }

        @Override
        public Participant.TransportFactory transportFactory() {
            return transportFactory;
        }

        @Override
        public SfuMetrics metrics() {
            return metrics;
        }

        @Override
        public long keyframeIntervalNanos() {
            return keyframeIntervalNanos;
        }

        @Override
        public int maxParticipants() {
            return maxParticipants;
        }

        @Override
        public void roomClosed(Room room) {
            rooms.remove(room.name(), room);
        }
    }
}
