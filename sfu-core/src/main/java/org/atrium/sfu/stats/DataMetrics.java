package org.atrium.sfu.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.atrium.sctp.SctpDropReason;
import org.atrium.sfu.data.DataDropReason;

/** The meters of data channels: associations, messages and bytes relayed, drops, SCTP retransmissions. */
public final class DataMetrics {

    private final AtomicInteger associations = new AtomicInteger();
    private final Counter messagesReceived;
    private final Counter bytesReceived;
    private final Counter messagesSent;
    private final Counter bytesSent;
    private final Counter[] drops;
    private final Counter[] sctpDrops;
    private final Counter retransmissions;

    public DataMetrics(MeterRegistry registry) {
        Gauge.builder("atrium.data.associations", associations, AtomicInteger::get)
                .description("SCTP associations for data channels, established and not yet closed").register(registry);
        messagesReceived = Counter.builder("atrium.data.messages").tag("direction", "received")
                .description("Data-channel messages received from participants, and sent to them").register(registry);
        messagesSent = Counter.builder("atrium.data.messages").tag("direction", "sent")
                .description("Data-channel messages received from participants, and sent to them").register(registry);
        bytesReceived = Counter.builder("atrium.data.received").baseUnit("bytes")
                .description("Data-channel message bytes received from participants").register(registry);
        bytesSent = Counter.builder("atrium.data.sent").baseUnit("bytes")
                .description("Data-channel message bytes sent to participants").register(registry);
        drops = new Counter[DataDropReason.values().length];
        for (DataDropReason reason : DataDropReason.values()) {
            drops[reason.ordinal()] = Counter.builder("atrium.data.dropped.messages").tag("reason", reason.label())
                    .description("Data-channel messages not relayed, by reason").register(registry);
        }
        sctpDrops = new Counter[SctpDropReason.values().length];
        for (SctpDropReason reason : SctpDropReason.values()) {
            sctpDrops[reason.ordinal()] = Counter.builder("atrium.sctp.dropped.packets")
                    .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
                    .description("SCTP packets or chunks dropped as bad or unexpected input, by reason")
                    .register(registry);
        }
        retransmissions = Counter.builder("atrium.sctp.retransmissions")
                .description("SCTP DATA chunks retransmitted (timeouts and fast retransmits)").register(registry);
    }

    public void associationOpened() {
        associations.incrementAndGet();
    }

    public void associationClosed() {
        associations.decrementAndGet();
    }

    public void received(int bytes) {
        messagesReceived.increment();
        bytesReceived.increment(bytes);
    }

    public void sent(int bytes) {
        messagesSent.increment();
        bytesSent.increment(bytes);
    }

    public void dropped(DataDropReason reason) {
        drops[reason.ordinal()].increment();
    }

    public void sctpDropped(SctpDropReason reason, long count) {
        if (count > 0) {
            sctpDrops[reason.ordinal()].increment(count);
        }
    }

    public void retransmitted(long count) {
        if (count > 0) {
            retransmissions.increment(count);
        }
    }
}
