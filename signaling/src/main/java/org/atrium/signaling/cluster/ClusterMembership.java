package org.atrium.signaling.cluster;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.atrium.sfu.Sfu;
import org.atrium.sfu.cluster.LocalRoomDirectory;
import org.atrium.sfu.cluster.RoomDirectory;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.ParticipantListener;
import org.atrium.sfu.room.Rooms;
import org.atrium.signaling.limits.PendingJoinLimit;
import org.atrium.signaling.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every listed participant of this node (WebSocket clients and WHIP publishers;
 * not WHEP players) in the room directory: added when it joins, removed when the core
 * closes it. The one place signaling joins the core through.
 *
 * <p>A write that fails while Redis is away is logged at debug and counted (by the
 * directory), never fails the join: the node registry rewrites its members every beat.
 */
public final class ClusterMembership {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);

    /** Null in cluster mode until the node has registered ({@link #attach}). */
    private volatile RoomDirectory directory;
    /** Who each session's participant is, to remove it when its listener hears it closed. */
    private final Map<ParticipantListener, Participant> members = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    /** Told of each listed participant's room as it joins (the relay links); may be null. */
    private volatile java.util.function.Consumer<String> joined;

    private ClusterMembership(RoomDirectory directory) {
        this.directory = directory;
    }

    /** A node alone: the directory is this node's memory. */
    public static ClusterMembership local() {
        return new ClusterMembership(new LocalRoomDirectory());
    }

    /** A node of a cluster, whose directory is attached once it registered. */
    static ClusterMembership pending() {
        return new ClusterMembership(null);
    }

    /** The directory members are recorded in; null in cluster mode before the node registered. */
    public RoomDirectory directory() {
        return directory;
    }

    /** Directory writes that failed (Redis away); the registry writes them again. */
    public long failures() {
        return failures.get();
    }

    /**
     * Joins the room through the server-wide limit of pending joins, and records the participant
     * when it is listed.
     */
    public Participant join(Sfu sfu, PendingJoinLimit pendingJoins, String room,
            org.atrium.sfu.room.Admission admission, ParticipantListener listener)
            throws IOException, ProtocolException {
        Participant joined = pendingJoins.admit(() -> sfu.join(room, admission, listener));
        if (admission.listed()) {
            members.put(listener, joined);
            record(joined);
        }
        return joined;
    }

    /**
     * The participant of {@code listener} was closed by the core; called from its
     * {@link ParticipantListener#onClosed}, on any thread (it does not block). Idempotent.
     */
    public void left(ParticipantListener listener) {
        Participant participant = members.remove(listener);
        RoomDirectory current = directory;
        if (participant == null || current == null) {
            return;
        }
        String room = participant.room().name();
        try {
            current.remove(room, participant.id()).whenComplete((v, error) -> {
                if (error != null) {
                    failed("remove", room, participant.id(), error);
                }
            });
        } catch (RuntimeException e) {
            failed("remove", room, participant.id(), e);
        }
    }

    /** Who hears of each listed participant's room once it is recorded. */
    void onJoined(java.util.function.Consumer<String> listener) {
        joined = listener;
    }

    /** Takes the directory of the registered node and records the members that joined before. */
    void attach(RoomDirectory registered, Rooms rooms) {
        directory = registered;
        for (Participant participant : rooms.participants()) {
            if (participant.admission().listed() && !participant.isClosed()) {
                record(participant);
            }
        }
    }

    private void record(Participant participant) {
        RoomDirectory current = directory;
        if (current == null) {
            return; // recorded by attach()
        }
        String room = participant.room().name();
        try {
            current.add(room, participant.id(), participant.displayName(), participant.admission().identity())
                    .whenComplete((v, error) -> {
                        if (error != null) {
                            failed("add", room, participant.id(), error);
                            return;
                        }
                        java.util.function.Consumer<String> listener = joined;
                        if (listener != null) {
                            listener.accept(room);
                        }
                    });
        } catch (RuntimeException e) {
            failed("add", room, participant.id(), e);
        }
    }

    private void failed(String what, String room, String participantId, Throwable error) {
        failures.incrementAndGet();
        LOG.debug("Room directory {} of {} in room {} failed (written again at the next beat): {}", what,
                participantId, room, error.toString());
    }
}
