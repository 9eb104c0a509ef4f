package org.atrium.bench.load;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.atrium.sctp.ChannelOptions;
import org.atrium.sctp.SendStatus;
import org.atrium.sfu.client.PeerDataChannels;

/**
 * One participant's data-channel load: room-wide messages at a fixed rate on its own reliable
 * {@value #LABEL} channel, and what it receives of the others' (the SFU delivers them on the
 * same channel). Each payload starts with the send time ({@link System#nanoTime()}, 8 bytes)
 * and the sender's sequence number (8 bytes), so that a receiver in the same process measures
 * the delay and finds gaps per sender: on a reliable channel a gap is a message the SFU dropped.
 *
 * <p>Threads: {@link #sendDue} from one sending thread; {@link #onMessage} from the peer's
 * receiving threads; {@link #addTo} from the reporting thread.
 */
final class DataTraffic implements PeerDataChannels.MessageListener {

    static final String LABEL = "load";
    static final int SEND_TIME_OFFSET = 0;
    static final int SEQUENCE_OFFSET = 8;
    static final int MIN_SIZE = 16;
    /** Messages sent in one call at most, when the sending thread fell behind. */
    private static final int MAX_BURST = 50;
    /** Further behind than this, the schedule restarts from now instead of catching up. */
    private static final long MAX_LAG_NANOS = 1_000_000_000L;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final PeerDataChannels channels;
    private final long intervalNanos;
    /** The envelope (room-wide, binary) with the payload after it; rewritten in place for each message. */
    private final byte[] envelope;
    private final int payloadOffset;
    private long nextDueNanos;
    private long sequence;
    private volatile long sent;
    private volatile long sendRefused;

    /** Per sender id: the first and the highest sequence number seen, and the count received. Under this. */
    private final Map<String, long[]> senders = new HashMap<>();
    private final DelayHistogram delays = new DelayHistogram();
    private long received;
    private long receivedBytes;
    private long maxDelayMicros;

    DataTraffic(PeerDataChannels channels, int ratePerSecond, int size) {
        if (ratePerSecond <= 0 || size < MIN_SIZE) {
            throw new IllegalArgumentException("data rate " + ratePerSecond + "/s, size " + size);
        }
        this.channels = channels;
        this.intervalNanos = 1_000_000_000L / ratePerSecond;
        this.envelope = PeerDataChannels.envelope(List.of(), new byte[size]);
        this.payloadOffset = envelope.length - size;
        Arrays.fill(envelope, payloadOffset + MIN_SIZE, envelope.length, (byte) 0x5A);
    }

    /** Opens the channel; messages may be sent at once. False when the association refused it. */
    boolean open() {
        return channels.open(LABEL, ChannelOptions.reliable()) >= 0;
    }

    /** Starts sending at {@code firstNanos} (a random phase, so that participants do not align). */
    void startAt(long firstNanos) {
        nextDueNanos = firstNanos;
    }

    /** Sends what is due at {@code now}. */
    void sendDue(long now) {
        if (nextDueNanos == 0) {
            return;
        }
        if (now - nextDueNanos > MAX_LAG_NANOS) {
            nextDueNanos = now;
        }
        for (int burst = 0; nextDueNanos - now <= 0 && burst < MAX_BURST; burst++) {
            LONG.set(envelope, payloadOffset + SEND_TIME_OFFSET, System.nanoTime());
            LONG.set(envelope, payloadOffset + SEQUENCE_OFFSET, sequence);
            if (channels.send(LABEL, envelope) == SendStatus.SENT) {
                sequence++;
                sent++;
            } else {
                // Not queued (buffer full, or the peer is closing): no sequence number is spent.
                sendRefused++;
            }
            nextDueNanos += intervalNanos;
        }
    }

    @Override
    public void onMessage(PeerDataChannels.Message message) {
        byte[] payload = message.payload();
        if (!LABEL.equals(message.label()) || message.senderId() == null || payload.length < MIN_SIZE) {
            return;
        }
        long sendNanos = (long) LONG.get(payload, SEND_TIME_OFFSET);
        long seq = (long) LONG.get(payload, SEQUENCE_OFFSET);
        long delayMicros = Math.max(0, (message.receivedNanos() - sendNanos) / 1000);
        synchronized (this) {
            long[] sender = senders.computeIfAbsent(message.senderId(), id -> new long[] {seq, seq - 1, 0});
            sender[1] = Math.max(sender[1], seq);
            sender[2]++;
            received++;
            receivedBytes += payload.length;
            delays.record(delayMicros);
            maxDelayMicros = Math.max(maxDelayMicros, delayMicros);
        }
    }

    synchronized void addTo(LoadSnapshot.Builder snapshot) {
        snapshot.dataSent += sent;
        snapshot.dataSendRefused += sendRefused;
        snapshot.dataReceived += received;
        snapshot.dataReceivedBytes += receivedBytes;
        for (long[] sender : senders.values()) {
            long expected = sender[1] - sender[0] + 1;
            snapshot.dataExpected += expected;
            snapshot.dataLost += Math.max(0, expected - sender[2]);
        }
        snapshot.dataMaxDelayMicros = Math.max(snapshot.dataMaxDelayMicros, maxDelayMicros);
        delays.copyInto(snapshot.dataDelayCounts);
    }
}
