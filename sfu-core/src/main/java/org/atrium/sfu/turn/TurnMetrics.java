package org.atrium.sfu.turn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of the embedded TURN server. Every tag value is registered here, so every series
 * exists (at zero) from the start. Prometheus names: {@code atrium_turn_allocations},
 * {@code atrium_turn_allocations_created_total}, {@code atrium_turn_relayed_bytes_total},
 * {@code atrium_turn_relayed_packets_total}, {@code atrium_turn_auth_failures_total},
 * {@code atrium_turn_refusals_total}, {@code atrium_turn_dropped_packets_total}.
 */
public final class TurnMetrics {

    private final AtomicInteger[] allocations = new AtomicInteger[TurnTransport.values().length];
    private final Counter[] created = new Counter[TurnTransport.values().length];
    private final Counter bytesToPeer;
    private final Counter bytesToClient;
    private final Counter packetsToPeer;
    private final Counter packetsToClient;
    private final Counter[] authFailures = new Counter[TurnAuthFailure.values().length];
    private final Counter[] refusals = new Counter[TurnRefusal.values().length];
    private final Counter[] drops = new Counter[TurnDropReason.values().length];

    public TurnMetrics(MeterRegistry registry) {
        for (TurnTransport transport : TurnTransport.values()) {
            AtomicInteger live = new AtomicInteger();
            allocations[transport.ordinal()] = live;
            Gauge.builder("atrium.turn.allocations", live, AtomicInteger::get).tag("transport", transport.label())
                    .description("Live TURN allocations, by the client's transport to the server").register(registry);
            created[transport.ordinal()] = Counter.builder("atrium.turn.allocations.created")
                    .tag("transport", transport.label())
                    .description("TURN allocations made, by the client's transport to the server").register(registry);
        }
        bytesToPeer = relayedBytes(registry, "to_peer");
        bytesToClient = relayedBytes(registry, "to_client");
        packetsToPeer = relayedPackets(registry, "to_peer");
        packetsToClient = relayedPackets(registry, "to_client");
        for (TurnAuthFailure reason : TurnAuthFailure.values()) {
            authFailures[reason.ordinal()] = Counter.builder("atrium.turn.auth.failures").tag("reason", reason.label())
                    .description("TURN requests refused for their credentials (401, 438), by reason").register(registry);
        }
        for (TurnRefusal reason : TurnRefusal.values()) {
            refusals[reason.ordinal()] = Counter.builder("atrium.turn.refusals").tag("reason", reason.label())
                    .description("TURN requests answered with an error other than authentication, by reason")
                    .register(registry);
        }
        for (TurnDropReason reason : TurnDropReason.values()) {
            drops[reason.ordinal()] = Counter.builder("atrium.turn.dropped.packets").tag("reason", reason.label())
                    .description("TURN messages and peer datagrams dropped without a response, by reason")
                    .register(registry);
        }
    }

    private static Counter relayedBytes(MeterRegistry registry, String direction) {
        return Counter.builder("atrium.turn.relayed").baseUnit("bytes").tag("direction", direction)
                .description("Application bytes relayed between TURN clients and peers").register(registry);
    }

    private static Counter relayedPackets(MeterRegistry registry, String direction) {
        return Counter.builder("atrium.turn.relayed.packets").tag("direction", direction)
                .description("Datagrams relayed between TURN clients and peers").register(registry);
    }

    void allocationOpened(TurnTransport transport) {
        allocations[transport.ordinal()].incrementAndGet();
        created[transport.ordinal()].increment();
    }

    void allocationClosed(TurnTransport transport) {
        allocations[transport.ordinal()].decrementAndGet();
    }

    void relayedToPeer(int bytes) {
        packetsToPeer.increment();
        bytesToPeer.increment(bytes);
    }

    void relayedToClient(int bytes) {
        packetsToClient.increment();
        bytesToClient.increment(bytes);
    }

    void authFailed(TurnAuthFailure reason) {
        authFailures[reason.ordinal()].increment();
    }

    void refused(TurnRefusal reason) {
        refusals[reason.ordinal()].increment();
    }

    void dropped(TurnDropReason reason) {
        drops[reason.ordinal()].increment();
    }
}
