package org.atrium.sfu;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.atrium.sfu.media.MediaCapabilities;

/**
 * Settings of the media side of the server. Immutable; {@link #defaults()} gives the
 * built-in values, which suit a developer's machine (everything on 127.0.0.1).
 *
 * @param mediaBindAddress the address the media port binds, a concrete one
 * @param mediaPort the one UDP port for all participants; 0 picks a free one (tests)
 * @param announcedAddresses public addresses mapping to the media port (static NAT),
 *        announced as server-reflexive candidates
 * @param iceTimeout how long a participant may take from joining to a connected ICE pair
 * @param consentTimeout how long without consent (RFC 7675) before a participant is removed
 * @param keyframeMinInterval at most one keyframe request to a stream per this interval
 * @param maxParticipantsPerRoom limit per room
 * @param maxRooms limit per server
 * @param capabilities codecs and header extensions negotiated
 */
public record SfuConfig(
        InetAddress mediaBindAddress,
        int mediaPort,
        List<InetAddress> announcedAddresses,
        Duration iceTimeout,
        Duration consentTimeout,
        Duration keyframeMinInterval,
        int maxParticipantsPerRoom,
        int maxRooms,
        MediaCapabilities capabilities) {

    public SfuConfig {
        Objects.requireNonNull(mediaBindAddress, "mediaBindAddress");
        announcedAddresses = List.copyOf(announcedAddresses);
        if (mediaPort < 0 || mediaPort > 65535) {
            throw new IllegalArgumentException("media port out of range: " + mediaPort);
        }
        if (maxParticipantsPerRoom < 1 || maxRooms < 1) {
            throw new IllegalArgumentException("limits must be at least 1");
        }
    }

    public static SfuConfig defaults() {
        return new SfuConfig(
                InetAddress.getLoopbackAddress(),
                10000,
                List.of(),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                Duration.ofMillis(300),
                50,
                1000,
                MediaCapabilities.defaults());
    }

    public SfuConfig withMedia(InetAddress bindAddress, int port, List<InetAddress> announced) {
        return new SfuConfig(bindAddress, port, announced, iceTimeout, consentTimeout, keyframeMinInterval,
                maxParticipantsPerRoom, maxRooms, capabilities);
    }

    public SfuConfig withTimeouts(Duration ice, Duration consent) {
        return new SfuConfig(mediaBindAddress, mediaPort, announcedAddresses, ice, consent, keyframeMinInterval,
                maxParticipantsPerRoom, maxRooms, capabilities);
    }

    public SfuConfig withLimits(int participantsPerRoom, int rooms) {
        return new SfuConfig(mediaBindAddress, mediaPort, announcedAddresses, iceTimeout, consentTimeout,
                keyframeMinInterval, participantsPerRoom, rooms, capabilities);
    }
}
