package org.atrium.sfu.stats;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Server-wide packet counters. Lock-free and allocation-free, so that the media path
 * can count every packet; the metrics layer reads them.
 */
public final class SfuCounters {

    private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);
    private final LongAdder rtpReceived = new LongAdder();
    private final LongAdder rtpBytesReceived = new LongAdder();
    private final LongAdder rtcpReceived = new LongAdder();
    private final LongAdder rtpSent = new LongAdder();
    private final LongAdder rtpBytesSent = new LongAdder();
    private final LongAdder rtcpSent = new LongAdder();
    private final LongAdder keyframeRequestsSent = new LongAdder();

    public void drop(DropReason reason) {
        drops.incrementAndGet(reason.ordinal());
    }

    public long drops(DropReason reason) {
        return drops.get(reason.ordinal());
    }

    public void rtpReceived(int bytes) {
        rtpReceived.increment();
        rtpBytesReceived.add(bytes);
    }

    public void rtcpReceived() {
        rtcpReceived.increment();
    }

    public void rtpSent(int bytes) {
        rtpSent.increment();
        rtpBytesSent.add(bytes);
    }

    public void rtcpSent() {
        rtcpSent.increment();
    }

    public void keyframeRequestSent() {
        keyframeRequestsSent.increment();
    }

    public long rtpPacketsReceived() {
        return rtpReceived.sum();
    }

    public long rtpBytesReceived() {
        return rtpBytesReceived.sum();
    }

    public long rtcpPacketsReceived() {
        return rtcpReceived.sum();
    }

    public long rtpPacketsSent() {
        return rtpSent.sum();
    }

    public long rtpBytesSent() {
        return rtpBytesSent.sum();
    }

    public long rtcpPacketsSent() {
        return rtcpSent.sum();
    }

    public long keyframeRequestsSent() {
        return keyframeRequestsSent.sum();
    }
}
