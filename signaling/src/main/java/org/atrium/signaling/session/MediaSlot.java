package org.atrium.signaling.session;

import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.room.TrackSource;

/**
 * One m-section of a participant's session. Slots are never removed (browsers refuse
 * an offer that drops an established m-section); a slot whose stream ended becomes
 * inactive and, once the participant has accepted that, carries the next stream of
 * its kind.
 */
final class MediaSlot {

    final String mid;
    /** Audio or video; null for the data-channel slot. */
    final MediaKind kind;
    /** True for the slots in which the participant sends (mids 0 and 1, and those of add-track). */
    final boolean publish;
    /** What a publish slot carries; null for the others. */
    final TrackSource source;
    /**
     * A publish slot whose source the participant removed (remove-track): offered inactive
     * until the same source is added again.
     */
    boolean withdrawn;
    /** The stream sent to the participant in this slot, or null. */
    Consumer consumer;
    /** True when the participant has accepted this slot as inactive, so it may be reused. */
    boolean reusable;

    MediaSlot(String mid, MediaKind kind, boolean publish) {
        this(mid, kind, publish, null);
    }

    private MediaSlot(String mid, MediaKind kind, boolean publish, TrackSource source) {
        this.mid = mid;
        this.kind = kind;
        this.publish = publish;
        this.source = source;
    }

    /** A slot in which the participant sends that source. */
    static MediaSlot publish(String mid, TrackSource source) {
        return new MediaSlot(mid, source.kind(), true, source);
    }

    /** A publish slot that is offered for sending now. */
    boolean sends() {
        return publish && !withdrawn;
    }

    /** The slot of the data channels' SCTP association (m=application), offered from the first offer on. */
    static MediaSlot data(String mid) {
        return new MediaSlot(mid, null, false);
    }

    boolean isData() {
        return kind == null;
    }
}
