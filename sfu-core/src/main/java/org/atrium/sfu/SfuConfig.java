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
 * @param iceTcpPort the one TCP port for ICE-TCP (RFC 6544 passive candidates), for
 *        clients whose network drops UDP; -1 off, 0 a free one (tests). By default the
 *        number of the UDP port, so that operators open "10000, UDP and TCP"
 * @param announcedAddresses public addresses mapping to the media port (static NAT),
 *        announced as server-reflexive candidates
 * @param iceTimeout how long a participant may take from joining to a connected ICE pair
 * @param consentTimeout how long without a word from a participant (neither an answered consent check, RFC 7675,
 *        nor authenticated RTCP) before it is removed; without answered checks it goes after 30 s at most
 * @param keyframeMinInterval at most one keyframe request to a stream per this interval
 * @param maxParticipantsPerRoom limit per room
 * @param maxRooms limit per server
 * @param capabilities codecs and header extensions negotiated
 * @param packetCache how many packets of each published video stream are kept for
 *        retransmission, and for how long (memory: packets x 1500 B per video stream)
 * @param inboundLimit the most one participant may send; more is dropped before decryption
 * @param forwardingThreads threads that rewrite, encrypt and send to receivers, each
 *        receiver on one of them; 0 sends on the thread that received the packet
 */
public record SfuConfig(
        InetAddress mediaBindAddress,
        int mediaPort,
        int iceTcpPort,
        List<InetAddress> announcedAddresses,
        Duration iceTimeout,
        Duration consentTimeout,
        Duration keyframeMinInterval,
        int maxParticipantsPerRoom,
        int maxRooms,
        MediaCapabilities capabilities,
        PacketCacheSize packetCache,
        InboundLimit inboundLimit,
        int forwardingThreads) {

    /**
     * What one participant may send the SFU, averaged over a second (a token bucket with
     * a second's worth of burst): far above what a browser sends (a few Mbit/s, a few
     * hundred packets/s), far below what would let one client starve the others.
     */
    public record InboundLimit(long bitsPerSecond, int packetsPerSecond) {
        public static final InboundLimit DEFAULT = new InboundLimit(20_000_000, 4000);

        public InboundLimit {
            if (bitsPerSecond < 100_000 || packetsPerSecond < 50) {
                throw new IllegalArgumentException("inbound limit too low to carry audio and video: "
                        + bitsPerSecond + " bit/s, " + packetsPerSecond + " packets/s");
            }
        }
    }

    /** Bounds of the per-stream retransmission cache. */
    public record PacketCacheSize(int packets, Duration maxAge) {
        public PacketCacheSize {
            if (packets < 16 || packets > 32768 || Integer.bitCount(packets) != 1) {
                throw new IllegalArgumentException("packet cache size must be a power of two, 16-32768: " + packets);
            }
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("packet cache age must be positive");
            }
        }
    }

    public SfuConfig {
        Objects.requireNonNull(mediaBindAddress, "mediaBindAddress");
        announcedAddresses = List.copyOf(announcedAddresses);
        if (mediaPort < 0 || mediaPort > 65535) {
            throw new IllegalArgumentException("media port out of range: " + mediaPort);
        }
        if (iceTcpPort < -1 || iceTcpPort > 65535) {
            throw new IllegalArgumentException("ICE-TCP port out of range (-1 is off): " + iceTcpPort);
        }
        if (maxParticipantsPerRoom < 1 || maxRooms < 1) {
            throw new IllegalArgumentException("limits must be at least 1");
        }
        if (forwardingThreads < 0 || forwardingThreads > 64) {
            throw new IllegalArgumentException("forwarding threads must be 0-64: " + forwardingThreads);
        }
    }

    public static SfuConfig defaults() {
        return new SfuConfig(
                InetAddress.getLoopbackAddress(),
                10000,
                10000,
                List.of(),
                Duration.ofSeconds(30),
                // A vanished client is gone within 10 s: consent is checked every 3 s.
                Duration.ofSeconds(7),
                Duration.ofMillis(300),
                50,
                1000,
                MediaCapabilities.defaults(),
                new PacketCacheSize(512, Duration.ofSeconds(1)),
                InboundLimit.DEFAULT,
                defaultForwardingThreads());
    }

    /**
     * The media address and UDP port. An ICE-TCP port that had the UDP port's number
     * follows it (so a free UDP port for a test brings a free TCP port); one set apart,
     * or off, stays.
     */
    public SfuConfig withMedia(InetAddress bindAddress, int port, List<InetAddress> announced) {
        int tcpPort = iceTcpPort == mediaPort ? port : iceTcpPort;
        return new SfuConfig(bindAddress, port, tcpPort, announced, iceTimeout, consentTimeout, keyframeMinInterval,
                maxParticipantsPerRoom, maxRooms, capabilities, packetCache, inboundLimit, forwardingThreads);
    }

    /** @param port the ICE-TCP port: -1 off, 0 a free one */
    public SfuConfig withIceTcpPort(int port) {
        return new SfuConfig(mediaBindAddress, mediaPort, port, announcedAddresses, iceTimeout, consentTimeout,
                keyframeMinInterval, maxParticipantsPerRoom, maxRooms, capabilities, packetCache, inboundLimit,
                forwardingThreads);
    }

    /** True when the SFU also listens for ICE over TCP. */
    public boolean iceTcpEnabled() {
        return iceTcpPort >= 0;
    }

    public SfuConfig withTimeouts(Duration ice, Duration consent) {
        return new SfuConfig(mediaBindAddress, mediaPort, iceTcpPort, announcedAddresses, ice, consent, keyframeMinInterval,
                maxParticipantsPerRoom, maxRooms, capabilities, packetCache, inboundLimit, forwardingThreads);
    }

    public SfuConfig withKeyframeMinInterval(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("keyframe interval must not be negative");
        }
        return new SfuConfig(mediaBindAddress, mediaPort, iceTcpPort, announcedAddresses, iceTimeout, consentTimeout, interval,
                maxParticipantsPerRoom, maxRooms, capabilities, packetCache, inboundLimit, forwardingThreads);
    }

    public SfuConfig withPacketCache(PacketCacheSize size) {
        return new SfuConfig(mediaBindAddress, mediaPort, iceTcpPort, announcedAddresses, iceTimeout, consentTimeout,
                keyframeMinInterval, maxParticipantsPerRoom, maxRooms, capabilities, size, inboundLimit, forwardingThreads);
    }

    public SfuConfig withLimits(int participantsPerRoom, int rooms) {
        return new SfuConfig(mediaBindAddress, mediaPort, iceTcpPort, announcedAddresses, iceTimeout, consentTimeout,
                keyframeMinInterval, participantsPerRoom, rooms, capabilities, packetCache, inboundLimit, forwardingThreads);
    }

    /**
     * With four cores or more, one forwarding thread per core beside the receive thread,
     * up to four: the receive thread then only decrypts and routes. Below four cores the
     * fan-out stays on the receive thread: on two vCPUs the hand-over cost more than the
     * second core gave (benchmarks/README.md).
     */
    public static int defaultForwardingThreads() {
        int cores = Runtime.getRuntime().availableProcessors();
        return cores < 4 ? 0 : Math.min(cores - 1, 4);
    }

    public SfuConfig withForwardingThreads(int threads) {
        return new SfuConfig(mediaBindAddress, mediaPort, iceTcpPort, announcedAddresses, iceTimeout, consentTimeout,
                keyframeMinInterval, maxParticipantsPerRoom, maxRooms, capabilities, packetCache, inboundLimit,
                threads);
    }

    public SfuConfig withInboundLimit(InboundLimit limit) {
        return new SfuConfig(mediaBindAddress, mediaPort, iceTcpPort, announcedAddresses, iceTimeout, consentTimeout,
                keyframeMinInterval, maxParticipantsPerRoom, maxRooms, capabilities, packetCache, limit, forwardingThreads);
    }
}
