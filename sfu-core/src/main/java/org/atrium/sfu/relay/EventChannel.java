package org.atrium.sfu.relay;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.atrium.dtls.DtlsRole;
import org.atrium.sctp.ChannelOptions;
import org.atrium.sctp.DataChannelInfo;
import org.atrium.sfu.data.DataChannels;
import org.atrium.sfu.data.DataDropReason;
import org.atrium.sfu.stats.DataMetrics;
import org.atrium.sfu.stats.RelayMetrics;
import org.atrium.sfu.transport.WebRtcTransport;
import org.atrium.sfu.util.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay link's events, both ways, over one reliable and ordered data channel of the link's
 * SCTP association ({@code atrium-relay}). Messages to send are encoded at once and queued,
 * so that a caller holding a room's lock never waits; the timer thread sends them once the
 * association is up. Messages received are decoded on the DTLS thread; one that does not
 * parse is dropped and counted.
 */
final class EventChannel {

    private static final Logger LOG = LoggerFactory.getLogger(EventChannel.class);

    /** Reliable and ordered, so that events apply in the order they happened. */
    static final DataChannelInfo CHANNEL = new DataChannelInfo(0, "atrium-relay", "",
            new ChannelOptions(true, -1, -1, ChannelOptions.NORMAL_PRIORITY, -1));
    /** Events waiting for the channel beyond this fail the link: the other node is not keeping up. */
    static final int MAX_PENDING = 20_000;
    private static final long FLUSH_PERIOD_MILLIS = 50;
    private static final int SCTP_PORT = 5000;

    /** Where the channel's events go; both on threads that must not block for long. */
    interface Receiver {
        /** A message that parsed, on the DTLS thread, in order. */
        void onMessage(RelayMessage message);

        /** The channel cannot go on (backlog, overflow, a refused send): the link is to close. */
        void onFailed(String reason);
    }

    private final LogContext logContext;
    private final ScheduledExecutorService timers;
    private final RelayMetrics metrics;
    private final DataMetrics dataMetrics;
    private final Receiver receiver;
    private final ConcurrentLinkedQueue<byte[]> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledFuture<?> flusher;
    /** Null until DTLS is up. */
    private volatile DataChannels channels;

    EventChannel(LogContext logContext, ScheduledExecutorService timers, RelayMetrics metrics, DataMetrics dataMetrics,
            Receiver receiver) {
        this.logContext = logContext;
        this.timers = timers;
        this.metrics = metrics;
        this.dataMetrics = dataMetrics;
        this.receiver = receiver;
        this.flusher = timers.scheduleWithFixedDelay(this::flushQuietly, FLUSH_PERIOD_MILLIS, FLUSH_PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * DTLS is up: the association starts over it.
     *
     * @param startAssociation whether this side sends INIT (the node that was asked, as a browser would)
     */
    void open(WebRtcTransport transport, boolean startAssociation) {
        DataChannels made = new DataChannels(DataChannels.config(SCTP_PORT), transport.dtlsRole() == DtlsRole.CLIENT,
                transport::sendDataPacket, timers, dataMetrics, new Events());
        channels = made;
        if (startAssociation) {
            made.connect();
        }
    }

    /** One SCTP packet from the link; dropped before the association exists. */
    void receive(byte[] buf, int off, int len) {
        DataChannels current = channels;
        if (current != null) {
            current.receive(buf, off, len);
        }
    }

    boolean isConnected() {
        DataChannels current = channels;
        return current != null && current.isConnected();
    }

    /** Queues a message; never blocks. A message the other node could not decode is logged and not sent. */
    void send(RelayMessage message) {
        if (closed.get()) {
            return;
        }
        byte[] encoded;
        try {
            encoded = RelayMessageCodec.encode(message);
        } catch (IllegalArgumentException e) {
            try (LogContext.Scope scope = logContext.open()) {
                LOG.warn("Relay event not sent: {}", e.getMessage());
            }
            return;
        }
        if (pendingCount.incrementAndGet() > MAX_PENDING) {
            metrics.dropped(RelayMetrics.Drop.BACKLOG);
            timers.execute(() -> receiver.onFailed("backlog"));
            return;
        }
        pending.add(encoded);
        if (isConnected() && flushQueued.compareAndSet(false, true)) {
            timers.execute(this::flushQuietly);
        }
    }

    /** Says {@code bye} when the channel is up, then ends the association. Idempotent. */
    void close(RelayMessage.Bye bye) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        flusher.cancel(false);
        DataChannels current = channels;
        if (current != null) {
            if (current.isConnected()) {
                current.deliver(CHANNEL, RelayMessageCodec.encode(bye));
            }
            current.close();
        }
    }

    private void flushQuietly() {
        flushQueued.set(false);
        try {
            flush();
        } catch (RuntimeException e) {
            try (LogContext.Scope scope = logContext.open()) {
                LOG.warn("Sending relay events failed", e);
            }
            receiver.onFailed("internal-error");
        }
    }

    private void flush() {
        DataChannels current = channels;
        if (current == null || !current.isConnected() || closed.get()) {
            return;
        }
        byte[] message;
        while ((message = pending.peek()) != null) {
            DataDropReason dropped = current.deliver(CHANNEL, message);
            if (dropped == DataDropReason.RECEIVER_NOT_CONNECTED) {
                return; // the channel is opening: the next flush sends it
            }
            pending.poll();
            pendingCount.decrementAndGet();
            if (dropped != null) {
                receiver.onFailed("event-channel-" + dropped.label());
                return;
            }
            metrics.messageSent();
        }
    }

    /** What the association hands on, after its lock is released. */
    private final class Events implements DataChannels.Events {
        @Override
        public void onMessage(DataChannelInfo channel, boolean binary, byte[] message) {
            if (!binary || !CHANNEL.label().equals(channel.label())) {
                metrics.dropped(RelayMetrics.Drop.MALFORMED_MESSAGE);
                return;
            }
            RelayMessageCodec.Decoded decoded = RelayMessageCodec.decode(message, 0, message.length);
            if (!decoded.ok()) {
                metrics.dropped(RelayMetrics.Drop.MALFORMED_MESSAGE);
                try (LogContext.Scope scope = logContext.open()) {
                    LOG.debug("Malformed relay message: {}", decoded.error().label());
                }
                return;
            }
            metrics.messageReceived();
            receiver.onMessage(decoded.message());
        }

        @Override
        public void onOverflow(String label) {
            timers.execute(() -> receiver.onFailed("event-channel-overflow"));
        }
    }
}
