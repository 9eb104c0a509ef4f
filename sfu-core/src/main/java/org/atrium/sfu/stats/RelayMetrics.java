package org.atrium.sfu.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of relay links between nodes: links up, RTP and RTCP across them, event
 * messages, and what was dropped. Relayed packets count once per link they cross, so that
 * "each producer crosses each link once" can be read off them.
 */
public final class RelayMetrics {

    /** Why something that came over a link was dropped. */
    public enum Drop {
        /** An event message that did not parse. */
        MALFORMED_MESSAGE,
        /** An event message that parsed but could not apply (unknown member, id in use, before hello). */
        REFUSED_MESSAGE,
        /** An RTP packet of an SSRC no track on the link has. */
        UNKNOWN_SSRC,
        /** Events waiting for the link's data channel past the bound: the link is closed. */
        BACKLOG;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final AtomicInteger links = new AtomicInteger();
    private final Counter packetsSent;
    private final Counter packetsReceived;
    private final Counter bytesSent;
    private final Counter bytesReceived;
    private final Counter retransmissions;
    private final Counter messagesSent;
    private final Counter messagesReceived;
    private final Counter[] drops = new Counter[Drop.values().length];

    public RelayMetrics(MeterRegistry registry) {
        Gauge.builder("atrium.relay.links", links, AtomicInteger::get)
                .description("Relay links to other nodes with media ready, one per room and node").register(registry);
        packetsSent = Counter.builder("atrium.relay.packets").tag("direction", "sent")
                .description("RTP packets sent over relay links (each once per link) and received from them")
                .register(registry);
        packetsReceived = Counter.builder("atrium.relay.packets").tag("direction", "received")
                .description("RTP packets sent over relay links (each once per link) and received from them")
                .register(registry);
        bytesSent = Counter.builder("atrium.relay.bytes").tag("direction", "sent").baseUnit("bytes")
                .description("RTP bytes (before SRTP) sent over relay links and received from them").register(registry);
        bytesReceived = Counter.builder("atrium.relay.bytes").tag("direction", "received").baseUnit("bytes")
                .description("RTP bytes (before SRTP) sent over relay links and received from them").register(registry);
        retransmissions = Counter.builder("atrium.relay.retransmissions")
                .description("Packets resent over relay links, asked for by the other node's NACKs").register(registry);
        messagesSent = Counter.builder("atrium.relay.messages").tag("direction", "sent")
                .description("Event messages (members, tracks, mutes, data) sent over relay links and received")
                .register(registry);
        messagesReceived = Counter.builder("atrium.relay.messages").tag("direction", "received")
                .description("Event messages (members, tracks, mutes, data) sent over relay links and received")
                .register(registry);
        for (Drop drop : Drop.values()) {
            drops[drop.ordinal()] = Counter.builder("atrium.relay.dropped").tag("reason", drop.label())
                    .description("What came over relay links and was dropped, by reason").register(registry);
        }
    }

    public void linkUp() {
        links.incrementAndGet();
    }

    public void linkDown() {
        links.decrementAndGet();
    }

    public int links() {
        return links.get();
    }

    public void packetSent(int bytes) {
        packetsSent.increment();
        bytesSent.increment(bytes);
    }

    public void packetReceived(int bytes) {
        packetsReceived.increment();
        bytesReceived.increment(bytes);
    }

    public void retransmitted() {
        retransmissions.increment();
    }

    public void messageSent() {
        messagesSent.increment();
    }

    public void messageReceived() {
        messagesReceived.increment();
    }

    public void dropped(Drop drop) {
        drops[drop.ordinal()].increment();
    }

    public long packetsSent() {
        return (long) packetsSent.count();
    }

    public long packetsReceived() {
        return (long) packetsReceived.count();
    }

    public long retransmissions() {
        return (long) retransmissions.count();
    }

    public long drops(Drop drop) {
        return (long) drops[drop.ordinal()].count();
    }
}
