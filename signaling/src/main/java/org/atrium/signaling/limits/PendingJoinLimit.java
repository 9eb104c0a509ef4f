package org.atrium.signaling.limits;

import java.io.IOException;
import org.atrium.signaling.protocol.ProtocolException;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.Rooms;

/**
 * Bounds the joins in progress server-wide: participants whose media connection (ICE
 * and DTLS) is not up yet. Each holds an ICE agent and is what a flood of joins that
 * never connect would pile up; one that never connects is removed after the ICE timeout
 * (30 s), which frees its place.
 *
 * <p>The count is read from the rooms themselves, so it cannot drift from them; joins
 * are admitted one at a time so that two cannot both take the last place.
 */
public final class PendingJoinLimit {

    /** The join itself, run once it is admitted. */
    public interface Join {
        Participant run() throws IOException, ProtocolException;
    }

    private final Rooms rooms;
    private final int max;

    public PendingJoinLimit(Rooms rooms, int max) {
        this.rooms = rooms;
        this.max = max;
    }

    /** Runs the join if fewer than the limit are pending, else refuses it with {@code server-busy}. */
    public synchronized Participant admit(Join join) throws IOException, ProtocolException {
        if (pending() >= max) {
            throw new ProtocolException("server-busy", "The server has " + max
                    + " joins whose media connection is not up yet; try again in a few seconds");
        }
        return join.run();
    }

    /** Participants, in all rooms, whose media connection is not up yet. */
    public int pending() {
        int count = 0;
        for (Participant participant : rooms.participants()) {
            if (!participant.isClosed() && !participant.transport().isMediaReady()) {
                count++;
            }
        }
        return count;
    }
}
