package org.atrium.sfu.allocation;

import java.util.Objects;

/**
 * An audio track: always forwarded, its rate taken off the estimate before any video.
 *
 * @param measuredBps its measured bits/s, 0 when not known yet (then
 *     {@link AllocatorConfig#defaultAudioBps()} is assumed)
 */
public record AudioSubscription(String sourceId, long measuredBps) implements Subscription {

    public AudioSubscription {
        Objects.requireNonNull(sourceId, "sourceId");
        if (measuredBps < 0) {
            throw new IllegalArgumentException("negative audio rate " + measuredBps);
        }
    }

    @Override
    public boolean sameShape(Subscription other) {
        return other instanceof AudioSubscription audio && audio.sourceId.equals(sourceId);
    }
}
