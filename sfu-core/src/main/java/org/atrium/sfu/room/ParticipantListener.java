package org.atrium.sfu.room;

import org.atrium.sfu.media.Consumer;

/**
 * What a participant's signaling needs to hear from the core. Methods may be called on
 * any thread, possibly while the room is locked: implementations hand the event to
 * their own thread and return at once.
 */
public interface ParticipantListener {

    /** A listed member joined the room, on this node or another. */
    void onParticipantJoined(Member other);

    /** A listed member left the room, or its node was lost. */
    void onParticipantLeft(Member other, LeaveReason reason);

    /**
     * A new stream for this participant to receive. It stays paused until
     * {@link Consumer#resume()}, which signaling calls once the receiver has accepted it.
     */
    void onConsumerAdded(Consumer consumer);

    /**
     * A stream this participant received has ended (its producer went away). One it asked for
     * with {@link Participant#forward} got no BYE: it may be continued with another producer
     * (pass this consumer as {@code continuing}), or ended with {@link Participant#stopForwarding}.
     */
    void onConsumerClosed(Consumer consumer);

    /**
     * Another member published a track: what this participant could ask for with
     * {@link Participant#forward} (its owner's {@link Participant#sourceOf} says what it carries).
     * Told after any consumers automatic subscription made of it.
     */
    default void onProducerAdded(org.atrium.sfu.media.Producer producer) {
    }

    /** Another member's track ended (unpublished, replaced, or its owner left). */
    default void onProducerClosed(org.atrium.sfu.media.Producer producer) {
    }

    /** The room's dominant speaker is now the participant with this id (possibly this one). */
    void onActiveSpeaker(String participantId);

    /**
     * A video this participant receives is paused by the bandwidth allocation: nothing of it
     * is sent until {@link #onVideoResumed}. Reasons: bandwidth, not-visible, unavailable.
     */
    default void onVideoPaused(Consumer consumer, String reason) {
    }

    /** A paused video of this participant's is sent again. */
    default void onVideoResumed(Consumer consumer) {
    }

    /**
     * Which simulcast encodings of a track this participant publishes some receiver needs,
     * by RID: the publisher may stop sending the others, and must send them again when asked.
     */
    default void onPublishLayers(org.atrium.sfu.media.Producer producer, java.util.Map<String, Boolean> active) {
    }

    /**
     * A data channel this participant received on was closed by the SFU because the
     * participant fell behind: a reliable message did not fit its buffer.
     */
    default void onDataOverflow(String label) {
    }

    /**
     * A message this participant sent on a data channel was not relayed to everyone it was
     * for; told once per reason and channel label, so that a client learns of the problem
     * without a message per drop. Reasons: see {@code DataDropReason}.
     */
    default void onDataRefused(String label, String reason) {
    }

    /** Another participant muted or unmuted one of its sources. */
    default void onTrackMuted(String participantId, TrackSource source, boolean muted) {
    }

    /** This participant was removed from its room, for the reason given. Called once. */
    void onClosed(LeaveReason reason);
}
