package org.atrium.sfu.room;

import org.atrium.sfu.media.Consumer;

/**
 * What a participant's signaling needs to hear from the core. Methods may be called on
 * any thread, possibly while the room is locked: implementations hand the event to
 * their own thread and return at once.
 */
public interface ParticipantListener {

    void onParticipantJoined(Participant other);

    void onParticipantLeft(Participant other, LeaveReason reason);

    /**
     * A new stream for this participant to receive. It stays paused until
     * {@link Consumer#resume()}, which signaling calls once the receiver has accepted it.
     */
    void onConsumerAdded(Consumer consumer);

    /** A stream this participant received has ended (its producer went away). */
    void onConsumerClosed(Consumer consumer);

    /** The room's dominant speaker is now the participant with this id (possibly this one). */
    void onActiveSpeaker(String participantId);

    /** This participant was removed from its room, for the reason given. Called once. */
    void onClosed(LeaveReason reason);
}
