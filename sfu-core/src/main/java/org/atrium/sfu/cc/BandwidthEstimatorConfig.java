package org.atrium.sfu.cc;

/**
 * Bounds of a receiver's bandwidth estimate, in bits per second.
 *
 * <p>Defaults: start at 300 kbps, libwebrtc's default start rate: audio plus a low video layer,
 * safe on a mobile uplink of the receiver's, where starting at 1 Mbps would fill queues for the
 * second it takes the first over-use to show; probes (initial ones at 3x and 6x the start, as
 * libwebrtc's ProbeController sends) find a faster link within a few round trips. Minimum 30 kbps:
 * an Opus stream with its headers still fits. Maximum 20 Mbps: the most one participant may send
 * the SFU ({@code --max-inbound-bitrate}), so nothing a receiver could be forwarded exceeds it.
 *
 * @param historyCapacity sent packets remembered for matching feedback, a power of two; at 20 Mbps
 *        in 1200-byte packets the default 8192 covers about four seconds
 */
public record BandwidthEstimatorConfig(long startBps, long minBps, long maxBps, int historyCapacity) {
    public static final long DEFAULT_START_BPS = 300_000;
    public static final long DEFAULT_MIN_BPS = 30_000;
    public static final long DEFAULT_MAX_BPS = 20_000_000;

    public BandwidthEstimatorConfig {
        if (minBps <= 0 || minBps > startBps || startBps > maxBps) {
            throw new IllegalArgumentException(
                "need 0 < min <= start <= max: " + minBps + ", " + startBps + ", " + maxBps);
        }
        if (historyCapacity < 16 || Integer.bitCount(historyCapacity) != 1 || historyCapacity > 1 << 15) {
            throw new IllegalArgumentException("historyCapacity must be a power of two in 16..32768: " + historyCapacity);
        }
    }

    public static BandwidthEstimatorConfig defaults() {
        return new BandwidthEstimatorConfig(DEFAULT_START_BPS, DEFAULT_MIN_BPS, DEFAULT_MAX_BPS,
            SentPacketHistory.DEFAULT_CAPACITY);
    }

    public BandwidthEstimatorConfig withStartBps(long bps) {
        return new BandwidthEstimatorConfig(bps, minBps, maxBps, historyCapacity);
    }

    public BandwidthEstimatorConfig withBounds(long min, long max) {
        return new BandwidthEstimatorConfig(startBps, min, max, historyCapacity);
    }
}
