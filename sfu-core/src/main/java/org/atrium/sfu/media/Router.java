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
