package org.atrium.sfu.data;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.atrium.sctp.ChannelOptions;
import org.atrium.sctp.DataChannelEndpoint;
import org.atrium.sctp.DataChannelInfo;
import org.atrium.sctp.DataChannelListener;
import org.atrium.sctp.SctpConfig;
import org.atrium.sctp.SctpDropReason;
import org.atrium.sctp.SctpStats;
import org.atrium.sctp.SendStatus;
import org.atrium.sfu.stats.DataMetrics;

/**
 * One participant's data channels: its SCTP association (RFC 8831) over its DTLS transport,
 * the channels it opened, and the channels the SFU opened toward it to deliver what others
 * send.
 *
 * <p>Delivery: a message from another participant goes out on this participant's channel of
 * the same kind (label, protocol, ordering and reliability): one it opened itself, or else
 * one the SFU opens (the page sees {@code ondatachannel}). So a room where everyone opens
 * "chat" talks on "chat", and unreliable stays unreliable end to end.
 *
 * <p>Bounded: what waits in the association for this participant is at most
 * {@link #bufferLimit} bytes. From half of it on, unreliable messages are shed; a reliable
 * message that does not fit closes its channel (a reliable channel that lost a message has
 * broken its promise) and the participant is told. Every drop is counted.
 *
 * <p>Threads: the association is used under one lock, from the DTLS thread (packets in),
 * other participants' DTLS threads (messages to deliver) and the timer. Messages received
 * are handed on after the lock is released, so that two participants sending to each other
 * never wait on each other's locks.
 */
public final class DataChannels {

    /** What the participant's data channels tell the room. Called without locks held. */
    public interface Events {
        /** A whole message the participant sent on one of its channels; the array is the callee's. */
        void onMessage(DataChannelInfo channel, boolean binary, byte[] message);

        /** A channel the participant received on was closed because it fell behind. */
        void onOverflow(String label);
    }

    /** Sends one SCTP packet over the participant's DTLS transport; false when it could not. */
    public interface PacketOut {
        boolean send(byte[] packet, int offset, int length);
    }

    /** The kind of a channel: what must match for a message to travel on it. */
    private record Kind(String label, String protocol, boolean ordered, int maxRetransmits, int maxPacketLifeTime) {
        static Kind of(DataChannelInfo channel) {
            ChannelOptions o = channel.options();
            return new Kind(channel.label(), channel.protocol(), o.ordered(), o.maxRetransmits(),
                    o.maxPacketLifeTimeMillis());
        }

        ChannelOptions options() {
            return new ChannelOptions(ordered, maxRetransmits, maxPacketLifeTime, ChannelOptions.NORMAL_PRIORITY, -1);
        }
    }

    private record Received(DataChannelInfo channel, boolean binary, byte[] message) {
    }

    /**
     * The largest message the SFU takes and sends (a=max-message-size): a 256 KiB payload and
     * room for its envelope, so that what browsers offer as their limit fits as a payload.
     */
    public static final int MAX_MESSAGE_SIZE = 256 * 1024 + 4096;

    /** The association settings for one participant. */
    public static SctpConfig config(int remoteSctpPort) {
        return SctpConfig.DEFAULTS.withPorts(SctpConfig.DEFAULTS.localPort(), remoteSctpPort)
                .withMaxMessageSize(MAX_MESSAGE_SIZE);
    }

    /** How often SCTP's own counters (drops, retransmissions) reach the metrics. */
    private static final long STATS_EVERY_MILLIS = 1000;

    /** Verification tags, initial TSNs and cookie secrets must not be guessable; SecureRandom is thread-safe. */
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Object lock = new Object();
    private final DataChannelEndpoint endpoint;
    private final PacketOut out;
    private final DataMetrics metrics;
    private final Events events;
    private final int bufferLimit;
    /** Channels by kind that deliver to this participant. Under the lock. */
    private final Map<Kind, Integer> delivering = new HashMap<>();
    /** Messages received during one call into the association, handed on after it. Under the lock. */
    private final List<Received> received = new ArrayList<>();
    private final AssociationTimer timer;
    private long statsAtMillis;
    private long reportedRetransmissions;
    private final Map<SctpDropReason, Long> reportedDrops = new EnumMap<>(SctpDropReason.class);
    private boolean connected;
    private boolean closed;

    /**
     * @param dtlsClient whether the SFU is the DTLS client (it then opens channels on even stream ids)
     */
    public DataChannels(SctpConfig config, boolean dtlsClient, PacketOut out, ScheduledExecutorService timers,
            DataMetrics metrics, Events events) {
        this.out = out;
        this.metrics = metrics;
        this.events = events;
        this.bufferLimit = config.sendBufferLimit();
        this.timer = new AssociationTimer(timers, this::onTimer);
        this.endpoint = new DataChannelEndpoint(config, dtlsClient, new Listener(), RANDOM);
    }

    private static long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /**
     * Sends the association's INIT, for an association this side starts: a relay link's, where
     * no browser will (a browser's association starts from its own INIT). Once.
     */
    public void connect() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            long now = nowMillis();
            endpoint.connect(now);
            afterCall(now);
        }
    }

    /** One SCTP packet from the participant (DTLS application data). */
    public void receive(byte[] packet, int offset, int length) {
        List<Received> batch;
        synchronized (lock) {
            if (closed) {
                return;
            }
            long now = nowMillis();
            endpoint.receive(packet, offset, length, now);
            afterCall(now);
            batch = takeReceived();
        }
        handOn(batch);
    }

    /**
     * Sends a message from another participant, already in its envelope, on this participant's
     * channel of the same kind as the sender's.
     *
     * @return why it was not sent, or null when it was
     */
    public DataDropReason deliver(DataChannelInfo from, byte[] envelope) {
        DataDropReason dropped;
        String overflowed = null;
        synchronized (lock) {
            if (closed || !connected) {
                dropped = DataDropReason.RECEIVER_NOT_CONNECTED;
            } else {
                long now = nowMillis();
                Kind kind = Kind.of(from);
                Integer stream = delivering.get(kind);
                if (stream == null) {
                    // -1: no stream id of the SFU's parity is free, or the association is ending.
                    int opened = endpoint.open(kind.label(), kind.protocol(), kind.options(), now);
                    if (opened >= 0) {
                        stream = opened;
                        delivering.put(kind, stream);
                    }
                }
                boolean reliable = from.options().fullyReliable();
                if (stream == null) {
                    dropped = DataDropReason.RECEIVER_NOT_CONNECTED;
                } else if (!reliable && endpoint.bufferedAmount() + envelope.length > bufferLimit / 2) {
                    dropped = DataDropReason.RECEIVER_SLOW;
                } else {
                    SendStatus status = endpoint.send(stream, true, envelope, 0, envelope.length, now);
                    dropped = switch (status) {
                        case SENT -> null;
                        case TOO_LARGE -> DataDropReason.TOO_LARGE;
                        case NOT_OPEN -> DataDropReason.RECEIVER_NOT_CONNECTED;
                        case BUFFER_FULL -> reliable ? DataDropReason.RECEIVER_OVERFLOW : DataDropReason.RECEIVER_SLOW;
                    };
                    if (dropped == DataDropReason.RECEIVER_OVERFLOW) {
                        endpoint.close(stream, now);
                        delivering.remove(kind);
                        overflowed = kind.label();
                    } else if (status == SendStatus.NOT_OPEN) {
                        delivering.remove(kind);
                    }
                }
                afterCall(now);
            }
        }
        if (dropped == null) {
            metrics.sent(envelope.length);
        } else {
            metrics.dropped(dropped);
        }
        if (overflowed != null) {
            events.onOverflow(overflowed);
        }
        return dropped;
    }

    /** Bytes waiting in the association for this participant. */
    public long bufferedAmount() {
        synchronized (lock) {
            return endpoint.bufferedAmount();
        }
    }

    public boolean isConnected() {
        synchronized (lock) {
            return connected && !closed;
        }
    }

    /** The association's counters now. */
    public SctpStats stats() {
        synchronized (lock) {
            return endpoint.stats();
        }
    }

    /** Ends the association (the participant left): an ABORT goes out if the transport still carries it. */
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            endpoint.abort("participant left");
            markClosed();
        }
    }

    private void markClosed() {
        closed = true;
        timer.cancel();
        reportStats(nowMillis());
        if (connected) {
            metrics.associationClosed();
        }
    }

    private List<Received> takeReceived() {
        if (received.isEmpty()) {
            return List.of();
        }
        List<Received> batch = new ArrayList<>(received);
        received.clear();
        return batch;
    }

    private void handOn(List<Received> batch) {
        for (Received message : batch) {
            metrics.received(message.message().length);
            events.onMessage(message.channel(), message.binary(), message.message());
        }
    }

    /** After every call into the association: its timer, and now and then its counters. */
    private void afterCall(long now) {
        if (closed) {
            return;
        }
        timer.armFor(endpoint.nextTimeoutMillis(), now);
        if (now - statsAtMillis >= STATS_EVERY_MILLIS) {
            reportStats(now);
        }
    }

    private void onTimer() {
        List<Received> batch;
        synchronized (lock) {
            timer.fired();
            if (closed) {
                return;
            }
            long now = nowMillis();
            endpoint.handleTimeout(now);
            afterCall(now);
            batch = takeReceived();
        }
        handOn(batch);
    }

    private void reportStats(long now) {
        statsAtMillis = now;
        SctpStats stats = endpoint.stats();
        metrics.retransmitted(stats.retransmissions() - reportedRetransmissions);
        reportedRetransmissions = stats.retransmissions();
        for (Map.Entry<SctpDropReason, Long> drop : stats.drops().entrySet()) {
            long before = reportedDrops.getOrDefault(drop.getKey(), 0L);
            metrics.sctpDropped(drop.getKey(), drop.getValue() - before);
            reportedDrops.put(drop.getKey(), drop.getValue());
        }
    }

    /** The association's callbacks: all under the lock, inside a call into the endpoint. */
    private final class Listener implements DataChannelListener {
        @Override
        public void sendPacket(byte[] packet, int offset, int length) {
            out.send(packet, offset, length);
        }

        @Override
        public void onConnected() {
            if (!connected && !closed) {
                connected = true;
                metrics.associationOpened();
            }
        }

        @Override
        public void onChannelOpen(DataChannelInfo channel, boolean openedByPeer) {
            if (openedByPeer) {
                // The participant's own channel also delivers to it what others send on that kind.
                delivering.putIfAbsent(Kind.of(channel), channel.streamId());
            }
        }

        @Override
        public void onMessage(int streamId, boolean binary, byte[] message) {
            DataChannelInfo channel = endpoint.channel(streamId);
            if (channel != null) {
                received.add(new Received(channel, binary, message));
            }
        }

        @Override
        public void onChannelClosed(int streamId) {
            for (Iterator<Integer> streams = delivering.values().iterator(); streams.hasNext(); ) {
                if (streams.next() == streamId) {
                    streams.remove();
                }
            }
        }

        @Override
        public void onClosed(String reason) {
            if (!closed) {
                markClosed();
            }
        }
    }
}
