package org.atrium.signaling.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meters of the signaling server: WebSocket connections, messages by type, errors by
 * code. Types and codes are the protocol's own fixed names (docs/signaling.md), never
 * text from a client, so each label has a few values only.
 */
public final class SignalingMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter opened;
    private final Counter resumed;
    private final Map<String, Counter> received = new ConcurrentHashMap<>();
    private final Map<String, Counter> sent = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();

    SignalingMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("atrium.signaling.connections", open, AtomicInteger::get)
                .description("WebSocket signaling connections open").register(registry);
        opened = Counter.builder("atrium.signaling.connections.opened")
                .description("WebSocket signaling connections accepted").register(registry);
        resumed = Counter.builder("atrium.signaling.sessions.resumed")
                .description("Sessions resumed on a new connection after theirs dropped").register(registry);
        // The protocol's message types exist from the start, so that rates over them do.
        for (String type : List.of("join", "answer", "candidate", "leave", "resume", "render-size", "invalid")) {
            received.computeIfAbsent(type, this::receivedCounter);
        }
        for (String type : List.of("joined", "resumed", "offer", "participant-joined", "participant-left",
                "active-speaker", "error")) {
            sent.computeIfAbsent(type, this::sentCounter);
        }
    }

    private Counter receivedCounter(String type) {
        return Counter.builder("atrium.signaling.messages.received").description("Signaling messages received, by type")
                .tag("type", type).register(registry);
    }

    private Counter sentCounter(String type) {
        return Counter.builder("atrium.signaling.messages.sent").description("Signaling messages sent, by type")
                .tag("type", type).register(registry);
    }

    public void connectionOpened() {
        open.incrementAndGet();
        opened.increment();
    }

    public void connectionClosed() {
        open.decrementAndGet();
    }

    /** A session taken over by a new connection after its own dropped. */
    public void connectionResumed() {
        resumed.increment();
    }

    /** A message from a client, by its type; {@code invalid} when it could not be read. */
    public void received(String type) {
        received.computeIfAbsent(type, this::receivedCounter).increment();
    }

    /** A message to a client, by its type. */
    public void sent(String type) {
        sent.computeIfAbsent(type, this::sentCounter).increment();
    }

    /** An error message sent to a client, by its code. */
    public void error(String code) {
        errors.computeIfAbsent(code, c -> Counter.builder("atrium.signaling.errors")
                .description("Error messages sent to clients, by code").tag("code", c).register(registry)).increment();
    }
}
