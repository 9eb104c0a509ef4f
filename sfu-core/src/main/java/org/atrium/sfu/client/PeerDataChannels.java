package org.atrium.sfu.client;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.atrium.sctp.ChannelOptions;
import org.atrium.sctp.DataChannelEndpoint;
import org.atrium.sctp.DataChannelInfo;
import org.atrium.sctp.DataChannelListener;
import org.atrium.sctp.SctpConfig;
import org.atrium.sctp.SctpStats;
import org.atrium.sctp.SendStatus;
import org.atrium.sfu.data.AssociationTimer;
import org.atrium.sfu.data.DataChannels;
import org.atrium.sfu.data.DataEnvelope;

/**
 * A client's data channels (RFC 8831) over its DTLS transport, as a browser's peer connection
 * has them: one SCTP association, begun with INIT by this side once DTLS is up (the SFU waits
 * for it), channels opened with DCEP, and messages in the SFU's {@link DataEnvelope}: sent with
 * targets, received with the sender's id.
 *
 * <p>Received messages go to a {@link MessageListener}, or without one to a bounded queue
 * ({@link #poll}); beyond its bound they are counted and dropped.
 *
 * <p>Threads: the association is used under one lock, from the DTLS thread (packets in), the
 * timer and callers' threads (open, send). Messages are handed on after the lock is released,
 * on the thread that received them.
 */
public final class PeerDataChannels implements AutoCloseable {

    /** Received messages kept without a listener; beyond this the newest are dropped and counted. */
    public static final int QUEUE_CAPACITY = 4096;
    /** Packets kept while receiving is paused; beyond this they are dropped, as by a full socket buffer. */
    static final int MAX_HELD_PACKETS = 4096;

    /**
     * A message received on one of the channels.
     *
     * @param senderId the participant id from the SFU's envelope; null for a message without one
     *     (a plain string, or bytes that are not an envelope)
     * @param text whether the payload is UTF-8 text (the envelope's flag, or a string message)
     * @param payload the payload, the envelope removed; the receiver's to keep
     * @param receivedNanos {@link System#nanoTime()} when the packet that completed it arrived
     */
    public record Message(String label, int streamId, String senderId, boolean text, byte[] payload,
            long receivedNanos) {
        public String textPayload() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Receives messages, without the lock held, on the thread that received them; must not block. */
    public interface MessageListener {
        void onMessage(Message message);
    }

    /**
     * This side's counters and the association's.
     *
     * @param sendRefused sends that were not queued (buffer full, too large, channel not open)
     * @param bytesReceived payload bytes received, envelopes not counted
     * @param queueOverflow messages dropped because the queue was full (only without a listener)
     * @param heldDropped packets dropped while receiving was paused
     */
    public record Stats(long messagesSent, long sendRefused, long messagesReceived, long bytesReceived,
            long queueOverflow, long heldDropped, int channelsClosed, SctpStats sctp) {
    }

    private final Object lock = new Object();
    private final DataChannelEndpoint endpoint;
    private final DataChannels.PacketOut out;
    private final ScheduledExecutorService timers;
    private final boolean ownTimers;
    private final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private volatile MessageListener listener;
    /** Whether binary messages are read as the SFU's envelope (a participant's view); false: as they came. */
    private volatile boolean envelopes = true;
    /** Our own channels by label (the latest opened), and those the SFU opened toward us. Under the lock. */
    private final Map<String, Integer> ownByLabel = new HashMap<>();
    private final Map<String, Integer> peersByLabel = new HashMap<>();
    /** Streams whose channel is open (acknowledged, or opened by the SFU). Under the lock. */
    private final Map<Integer, DataChannelInfo> open = new HashMap<>();
    /** Messages received during one call into the association, handed on after it. Under the lock. */
    private final List<Message> received = new ArrayList<>();
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private final AssociationTimer timer;
    private long receivedNanos;
    private boolean started;
    private boolean paused;
    private boolean connected;
    private boolean closed;
    private String closeReason;
    private long messagesSent;
    private long sendRefused;
    private long messagesReceived;
    private long bytesReceived;
    private long queueOverflow;
    private long heldDropped;
    private int channelsClosed;

    /**
     * @param dtlsClient whether this side is the DTLS client (it then opens even stream ids)
     * @param out sends one SCTP packet as DTLS application data
     * @param timers runs the association's timers; null for a daemon thread of its own, stopped on close
     */
    public PeerDataChannels(SctpConfig config, boolean dtlsClient, DataChannels.PacketOut out,
            ScheduledExecutorService timers) {
        this.out = out;
        this.ownTimers = timers == null;
        this.timers = timers != null ? timers : Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "peer-sctp-timer");
            thread.setDaemon(true);
            return thread;
        });
        this.endpoint = new DataChannelEndpoint(config, dtlsClient, new Events(), new SecureRandom());
        this.timer = new AssociationTimer(this.timers, this::onTimer);
    }

    private static long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /** Sends INIT; called once DTLS is up. Idempotent. */
    public void start() {
        synchronized (lock) {
            if (started || closed) {
                return;
            }
            started = true;
            long now = nowMillis();
            endpoint.connect(now);
            afterCall(now);
        }
    }

    /** One SCTP packet from DTLS (application data); the bytes are only read during the call. */
    public void receive(byte[] packet, int offset, int length) {
        List<Message> batch;
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (paused) {
                if (held.size() < MAX_HELD_PACKETS) {
                    held.add(Arrays.copyOfRange(packet, offset, offset + length));
                } else {
                    heldDropped++;
                }
                return;
            }
            receivedNanos = System.nanoTime();
            long now = receivedNanos / 1_000_000;
            endpoint.receive(packet, offset, length, now);
            afterCall(now);
            batch = takeReceived();
        }
        handOn(batch);
    }

    /**
     * Pauses or resumes the receiving side of the association, as a stalled client would: while
     * paused, packets are held unread (no SACKs go out, the sender's buffer fills); on resume they
     * are read in order. Timers keep running.
     */
    public void pauseReceiving(boolean pause) {
        List<Message> batch = List.of();
        synchronized (lock) {
            paused = pause;
            if (!pause && !closed) {
                receivedNanos = System.nanoTime();
                long now = receivedNanos / 1_000_000;
                for (byte[] packet = held.poll(); packet != null && !closed; packet = held.poll()) {
                    endpoint.receive(packet, 0, packet.length, now);
                }
                held.clear();
                afterCall(now);
                batch = takeReceived();
            }
        }
        handOn(batch);
    }

    /**
     * Takes binary messages as they came, without reading the SFU's envelope from them: the view
     * of a peer that is not a participant (a stand-in for another node on a relay link).
     */
    public void readEnvelopes(boolean read) {
        envelopes = read;
    }

    /** Hands received messages to the listener from now on instead of the queue; null for the queue. */
    public void setListener(MessageListener messageListener) {
        listener = messageListener;
    }

    /**
     * Opens a channel (DATA_CHANNEL_OPEN); messages may be sent on it at once, before or after the
     * association is up. Returns the stream id, or -1 when no id is free or the association ends.
     */
    public int open(String label, ChannelOptions options) {
        return open(label, "", options);
    }

    public int open(String label, String protocol, ChannelOptions options) {
        synchronized (lock) {
            if (closed) {
                return -1;
            }
            long now = nowMillis();
            int stream = endpoint.open(label, protocol, options, now);
            if (stream >= 0) {
                ownByLabel.put(label, stream);
                if (options.negotiatedId() >= 0 && endpoint.isConnected()) {
                    open.put(stream, endpoint.channel(stream));
                }
            }
            afterCall(now);
            return stream;
        }
    }

    /** Closes a channel by resetting its stream (after its queued messages). */
    public void closeChannel(String label) {
        synchronized (lock) {
            Integer stream = streamOf(label);
            if (stream != null && !closed) {
                long now = nowMillis();
                endpoint.close(stream, now);
                afterCall(now);
            }
        }
    }

    /** An envelope for the SFU: a text payload for the targets, or for every other member when none. */
    public static byte[] envelope(List<String> targets, String text) {
        return DataEnvelope.toTargets(true, targets, text.getBytes(StandardCharsets.UTF_8));
    }

    /** An envelope for the SFU: a binary payload for the targets, or for every other member when none. */
    public static byte[] envelope(List<String> targets, byte[] payload) {
        return DataEnvelope.toTargets(false, targets, payload);
    }

    /** Sends text to the targets (none: the whole room) in an envelope on the labelled channel. */
    public SendStatus sendTo(String label, List<String> targets, String text) {
        return send(label, envelope(targets, text));
    }

    /** Sends bytes to the targets (none: the whole room) in an envelope on the labelled channel. */
    public SendStatus sendTo(String label, List<String> targets, byte[] payload) {
        return send(label, envelope(targets, payload));
    }

    /**
     * Sends a binary message as it is (an envelope, or bytes that are meant not to be one) on the
     * labelled channel: our own of that label, else one the SFU opened.
     */
    public SendStatus send(String label, byte[] message) {
        return send(label, true, message, 0, message.length);
    }

    /** Sends a string message (the SFU relays it to the whole room without an envelope). */
    public SendStatus sendText(String label, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return send(label, false, bytes, 0, bytes.length);
    }

    /** Sends {@code message[offset, offset + length)}, copied before this returns. */
    public SendStatus send(String label, boolean binary, byte[] message, int offset, int length) {
        synchronized (lock) {
            Integer stream = streamOf(label);
            SendStatus status;
            if (stream == null || closed) {
                status = SendStatus.NOT_OPEN;
            } else {
                long now = nowMillis();
                status = endpoint.send(stream, binary, message, offset, length, now);
                afterCall(now);
            }
            if (status == SendStatus.SENT) {
                messagesSent++;
            } else {
                sendRefused++;
            }
            return status;
        }
    }

    /**
     * Sends bytes as one SCTP packet, outside the association (DTLS application data as it is):
     * for tests of what the SFU does with bad input. False when DTLS could not send it.
     */
    public boolean sendRawPacket(byte[] packet) {
        synchronized (lock) {
            return !closed && out.send(packet, 0, packet.length);
        }
    }

    private Integer streamOf(String label) {
        Integer stream = ownByLabel.get(label);
        return stream != null ? stream : peersByLabel.get(label);
    }

    /** Waits until the association is established; false when it was not in time or it closed. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!connected && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return connected && !closed;
        }
    }

    /** Waits until a channel with the label is open (ours acknowledged, or one the SFU opened). */
    public boolean awaitOpen(String label, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!isOpen(label) && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return isOpen(label);
        }
    }

    /** Whether a channel with the label is open now. */
    public boolean isOpen(String label) {
        synchronized (lock) {
            Integer stream = streamOf(label);
            return stream != null && open.containsKey(stream);
        }
    }

    public boolean isConnected() {
        synchronized (lock) {
            return connected && !closed;
        }
    }

    /** Why the association ended, or null while it has not. */
    public String closeReason() {
        synchronized (lock) {
            return closeReason;
        }
    }

    /** Without a listener: the next message received, or null when none arrives within the timeout. */
    public Message poll(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Bytes of messages queued in the association and not yet handed to DTLS. */
    public long bufferedAmount() {
        synchronized (lock) {
            return endpoint.bufferedAmount();
        }
    }

    public Stats stats() {
        synchronized (lock) {
            return new Stats(messagesSent, sendRefused, messagesReceived, bytesReceived, queueOverflow, heldDropped,
                    channelsClosed, endpoint.stats());
        }
    }

    /** Ends the association with an ABORT while DTLS still carries it. Idempotent. */
    @Override
    public void close() {
        close(true);
    }

    /**
     * Ends the association; with {@code abort}, an ABORT goes out first (a client that vanishes
     * sends nothing). Stops the timer thread when it is this object's own.
     */
    public void close(boolean abort) {
        synchronized (lock) {
            if (!closed) {
                if (abort && started) {
                    endpoint.abort("client closed");
                }
                markClosed("closed by this side");
            }
        }
        if (ownTimers) {
            timers.shutdownNow();
        }
    }

    private void markClosed(String reason) {
        closed = true;
        closeReason = reason;
        held.clear();
        timer.cancel();
        lock.notifyAll();
    }

    private List<Message> takeReceived() {
        if (received.isEmpty()) {
            return List.of();
        }
        List<Message> batch = new ArrayList<>(received);
        received.clear();
        return batch;
    }

    private void handOn(List<Message> batch) {
        if (batch.isEmpty()) {
            return;
        }
        MessageListener current = listener;
        int overflow = 0;
        for (Message message : batch) {
            if (current != null) {
                current.onMessage(message);
            } else if (!queue.offer(message)) {
                overflow++;
            }
        }
        if (overflow > 0) {
            synchronized (lock) {
                queueOverflow += overflow;
            }
        }
    }

    /** After every call into the association: its timer. */
    private void afterCall(long now) {
        if (closed) {
            return;
        }
        timer.armFor(endpoint.nextTimeoutMillis(), now);
    }

    private void onTimer() {
        List<Message> batch;
        synchronized (lock) {
            timer.fired();
            if (closed) {
                return;
            }
            receivedNanos = System.nanoTime();
            long now = receivedNanos / 1_000_000;
            endpoint.handleTimeout(now);
            afterCall(now);
            batch = takeReceived();
        }
        handOn(batch);
    }

    /** The association's callbacks: all under the lock, inside a call into the endpoint. */
    private final class Events implements DataChannelListener {
        @Override
        public void sendPacket(byte[] packet, int offset, int length) {
            out.send(packet, offset, length);
        }

        @Override
        public void onConnected() {
            connected = true;
            lock.notifyAll();
        }

        @Override
        public void onChannelOpen(DataChannelInfo channel, boolean openedByPeer) {
            if (openedByPeer) {
                peersByLabel.put(channel.label(), channel.streamId());
            }
            open.put(channel.streamId(), channel);
            lock.notifyAll();
        }

        @Override
        public void onMessage(int streamId, boolean binary, byte[] message) {
            DataChannelInfo channel = endpoint.channel(streamId);
            String label = channel == null ? "" : channel.label();
            DataEnvelope.Incoming envelope = binary && envelopes ? DataEnvelope.read(message) : null;
            Message m;
            if (envelope != null && envelope.targets().size() == 1) {
                m = new Message(label, streamId, envelope.targets().get(0), envelope.text(),
                        Arrays.copyOfRange(message, envelope.payloadOffset(), message.length), receivedNanos);
            } else {
                m = new Message(label, streamId, null, !binary, message, receivedNanos);
            }
            messagesReceived++;
            bytesReceived += m.payload().length;
            received.add(m);
        }

        @Override
        public void onChannelClosed(int streamId) {
            DataChannelInfo channel = open.remove(streamId);
            channelsClosed++;
            if (channel != null) {
                ownByLabel.remove(channel.label(), streamId);
                peersByLabel.remove(channel.label(), streamId);
            } else {
                ownByLabel.values().remove(streamId);
                peersByLabel.values().remove(streamId);
            }
            lock.notifyAll();
        }

        @Override
        public void onClosed(String reason) {
            if (!closed) {
                markClosed(reason);
            }
        }
    }
}
