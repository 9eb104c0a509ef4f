package org.atrium.signaling.session;

import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;

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
    /** True for the slots in which the participant sends (mids 0 and 1). */
    final boolean publish;
    /** The stream sent to the participant in this slot, or null. */
    Consumer consumer;
    /** True when the participant has accepted this slot as inactive, so it may be reused. */
    boolean reusable;

    MediaSlot(String mid, MediaKind kind, boolean publish) {
        this.mid = mid;
        this.kind = kind;
        this.publish = publish;
    }

    /** The slot of the data channels' SCTP association (m=application), offered from the first offer on. */
    static MediaSlot data(String mid) {
        return new MediaSlot(mid, null, false);
    }

    boolean isData() {
        return kind == null;
    }
}
