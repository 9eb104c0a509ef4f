package org.atrium.sfu.transport;

import org.atrium.sfu.SfuConfig;

/**
 * Two token buckets, bytes and packets, each holding one second's worth: what one
 * participant may send the SFU. Checked before decryption, so that a flood costs a
 * comparison per datagram rather than an AES pass. Receive thread only.
 */
final class InboundRateLimiter {

    private static final long SECOND = 1_000_000_000L;

    private final double bytesPerNano;
    private final double packetsPerNano;
    private final double maxBytes;
    private final double maxPackets;
    private double bytes;
    private double packets;
    private long lastNanos;

    InboundRateLimiter(SfuConfig.InboundLimit limit, long nowNanos) {
        maxBytes = limit.bitsPerSecond() / 8.0;
        maxPackets = limit.packetsPerSecond();
        bytesPerNano = maxBytes / SECOND;
        packetsPerNano = maxPackets / SECOND;
        bytes = maxBytes;
        packets = maxPackets;
        lastNanos = nowNanos;
    }

    /** Takes a datagram's worth from both buckets; false (taking nothing) when either is short. */
    boolean tryAcquire(int length, long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            bytes = Math.min(maxBytes, bytes + elapsed * bytesPerNano);
            packets = Math.min(maxPackets, packets + elapsed * packetsPerNano);
            lastNanos = nowNanos;
        }
        if (bytes < length || packets < 1) {
            return false;
        }
        bytes -= length;
        packets -= 1;
        return true;
    }
}
