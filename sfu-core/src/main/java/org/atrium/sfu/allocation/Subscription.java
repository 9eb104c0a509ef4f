package org.atrium.sfu.allocation;

/**
 * One track a receiver subscribes to, as the allocator sees it. A receiver's source ids are
 * unique: audio and video of one participant are two sources.
 */
public sealed interface Subscription permits AudioSubscription, VideoSubscription {

    String sourceId();

    /** Equal but for measured rates: a change of shape always makes the allocator reallocate. */
    boolean sameShape(Subscription other);
}
