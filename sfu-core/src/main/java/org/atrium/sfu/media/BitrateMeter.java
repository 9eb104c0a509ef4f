package org.atrium.sfu.media;

/**
 * The bitrate of a stream between two samples of its byte count. Sampled by one thread
 * (the server's timer), read by any.
 */
final class BitrateMeter {

    private long lastNanos;
    private long lastBytes;
    private volatile long bitsPerSecond;

    void sample(long nowNanos, long totalBytes) {
        if (lastNanos != 0 && nowNanos > lastNanos) {
            bitsPerSecond = (totalBytes - lastBytes) * 8 * 1_000_000_000L / (nowNanos - lastNanos);
        }
        lastNanos = nowNanos;
        lastBytes = totalBytes;
    }

    long bitsPerSecond() {
        return bitsPerSecond;
    }
}
