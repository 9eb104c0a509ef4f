package org.atrium.sfu.media;

import org.atrium.sfu.stats.SfuMetrics;

/**
 * Connects producers to consumers within one room: the one place that decides which
 * receiver gets which stream, and how. Today every consumer gets its producer's single
 * stream; simulcast layer selection and bandwidth-driven choices belong here.
 */
public final class Router {

    private final MediaCapabilities capabilities;
    private final byte[] extensionIdMap;
    private final SfuMetrics metrics;

    public Router(MediaCapabilities capabilities, SfuMetrics metrics) {
        this.capabilities = capabilities;
        this.metrics = metrics;
        this.extensionIdMap = capabilities.forwardedExtensionIdMap();
    }

    public MediaCapabilities capabilities() {
        return capabilities;
    }

    /**
     * Creates a paused consumer of the producer for a receiver and attaches it.
     *
     * @param rtxSsrc the SSRC of its retransmissions, or -1
     */
    public Consumer connect(Producer producer, String receiverId, long ssrc, long rtxSsrc, PacketSink downstream) {
        return connect(producer, receiverId, ssrc, rtxSsrc, downstream, null);
    }

    /** As {@link #connect(Producer, String, long, long, PacketSink)}, sending on the receiver's lane (or inline: null). */
    public Consumer connect(Producer producer, String receiverId, long ssrc, long rtxSsrc, PacketSink downstream,
            ForwardingLane lane) {
        Consumer consumer = new Consumer(producer.id() + ">" + receiverId, producer, receiverId, ssrc, rtxSsrc,
                downstream, lane, extensionIdMap, capabilities, metrics);
        producer.addConsumer(consumer);
        return consumer;
    }

    /**
     * Creates a resumable consumer of {@code producer} that takes over the outgoing stream of
     * {@code previous} (the same receiver's, of the same kind): the same SSRCs, and numbering
     * that carries on from the last packet the receiver got, so that it sees one stream whose
     * source changed at a keyframe. {@code previous} is detached at once and closed once the
     * packets queued for it are sent; the receiver's NACKs of them are no longer answered.
     *
     * <p>Threads: {@code previous} is closed and its numbering read where that numbering is
     * written, on the receiver's lane, by a task queued after {@code previous} is detached and
     * before the new consumer is attached: it runs after the last packet {@code previous}
     * numbers and before the first the new one will. Without lanes it is done here: a packet
     * {@code previous} is numbering at this instant on another receive thread could then share
     * its sequence number with the new consumer's first (with UDP, both arrive on one thread).
     *
     * @param spatial the encoding to start with, or -1 for none (a paused video)
     */
    public Consumer connectContinuing(Producer producer, Consumer previous, PacketSink downstream, int spatial) {
        if (producer.kind() != previous.kind()) {
            throw new IllegalArgumentException(previous + " is not " + producer.kind().sdpName());
        }
        previous.producer().removeConsumer(previous);
        ForwardingLane lane = previous.lane();
        Consumer consumer = new Consumer(producer.id() + ">" + previous.receiverId(), producer, previous.receiverId(),
                previous.ssrc(), previous.rtxSsrc(), downstream, lane, extensionIdMap, capabilities, metrics);
        consumer.startAsContinuation(spatial);
        consumer.setRtxEnabled(previous.isRtxEnabled());
        Runnable handOver = () -> {
            previous.close();
            consumer.inherit(previous.continuation());
        };
        if (lane == null || !lane.runAfterQueued(handOver)) {
            // A full lane (far behind): what it still holds for previous is refused as closed,
            // and only a packet being numbered at this instant could race, as without lanes.
            handOver.run();
        }
        producer.addConsumer(consumer);
        return consumer;
    }

    /** Detaches and closes a consumer. */
    public void disconnect(Consumer consumer) {
        consumer.producer().removeConsumer(consumer);
        consumer.close();
    }

    /** Closes a producer and every consumer attached to it; returns those consumers. */
    public Consumer[] closeProducer(Producer producer) {
        Consumer[] consumers = producer.consumers();
        producer.close();
        for (Consumer consumer : consumers) {
            consumer.close();
        }
        return consumers;
    }
}
