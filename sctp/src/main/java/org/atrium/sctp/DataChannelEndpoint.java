package org.atrium.sctp;

import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * WebRTC data channels over one SCTP association (RFC 8831), opened with DCEP (RFC 8832): the
 * channel table over an {@link SctpAssociation}. Sans I/O and not thread-safe: the host
 * serializes calls, feeds packets from DTLS to {@link #receive}, sends what
 * {@link DataChannelListener#sendPacket} gives it, and calls {@link #handleTimeout} at
 * {@link #nextTimeoutMillis}. Bad input is dropped and counted in {@link #stats}, never thrown.
 *
 * <p>PPIDs (RFC 8831 8): 50 DCEP, 51 string, 53 binary, 56 empty string, 57 empty binary; an
 * empty message travels as one zero byte under the empty PPID. Stream ids: the DTLS client opens
 * even ids, the DTLS server odd ones (RFC 8832 6). A channel closes by resetting its outgoing
 * stream; the peer resets its own in answer, and when both directions are reset the channel is
 * gone and its id free (RFC 8831 6.7).
 */
public final class DataChannelEndpoint {
    static final int PPID_DCEP = 50;
    static final int PPID_STRING = 51;
    static final int PPID_BINARY = 53;
    static final int PPID_STRING_EMPTY = 56;
    static final int PPID_BINARY_EMPTY = 57;
    private static final byte[] EMPTY_PAYLOAD = {0};
    private static final byte[] ACK = DcepMessage.ack();

    private static final class Channel {
        final DataChannelInfo info;
        final boolean openedByPeer;
        /** The open is confirmed: an unordered channel may send unordered from now on. */
        boolean acked;
        boolean announced;
        boolean closing;
        boolean incomingReset;
        boolean outgoingReset;

        Channel(DataChannelInfo info, boolean openedByPeer) {
            this.info = info;
            this.openedByPeer = openedByPeer;
        }
    }

    private final SctpConfig config;
    private final boolean dtlsClient;
    private final DataChannelListener listener;
    private final Drops drops = new Drops();
    private final SctpAssociation association;
    private final Map<Integer, Channel> channels = new HashMap<>();
    private long now;

    /**
     * @param dtlsClient whether we are the DTLS client (we then open even stream ids)
     * @param random     tags, initial TSNs, the cookie secret: a SecureRandom in production
     */
    public DataChannelEndpoint(SctpConfig config, boolean dtlsClient, DataChannelListener listener,
                               RandomGenerator random) {
        this.config = config;
        this.dtlsClient = dtlsClient;
        this.listener = listener;
        this.association = new SctpAssociation(config, new Bridge(), random, drops);
    }

    /** Sends INIT. Without it the endpoint waits for the peer's INIT; both sides may call it. */
    public void connect(long nowMillis) {
        now = nowMillis;
        association.connect(nowMillis);
    }

    /** One SCTP packet from DTLS; the bytes are only read during the call. */
    public void receive(byte[] packet, int offset, int length, long nowMillis) {
        now = nowMillis;
        association.receive(packet, offset, length, nowMillis);
    }

    public void handleTimeout(long nowMillis) {
        now = nowMillis;
        association.handleTimeout(nowMillis);
    }

    /** When {@link #handleTimeout} is due; Long.MAX_VALUE when no timer runs. */
    public long nextTimeoutMillis() {
        return association.nextTimeoutMillis();
    }

    /**
     * Opens a channel: sends DATA_CHANNEL_OPEN (or nothing, for a negotiated id) and returns the
     * stream id, on which messages may be sent at once. Returns -1 when the negotiated id is in
     * use, no id of our parity is free, or the association is ending.
     */
    public int open(String label, String protocol, ChannelOptions options, long nowMillis) {
        now = nowMillis;
        int id = options.negotiatedId() >= 0 ? options.negotiatedId() : freeId();
        if (id < 0 || channels.containsKey(id)) {
            return -1;
        }
        Channel ch = new Channel(new DataChannelInfo(id, label, protocol, options), false);
        channels.put(id, ch);
        if (options.negotiatedId() >= 0) {
            ch.acked = true;
            if (association.isEstablished()) {
                announce(ch);
            }
            return id;
        }
        byte[] open = DcepMessage.open(label, protocol, options);
        if (association.send(id, PPID_DCEP, false, -1, -1, open, 0, open.length, nowMillis) != SendStatus.SENT) {
            channels.remove(id);
            return -1;
        }
        return id;
    }

    private int freeId() {
        for (int id = dtlsClient ? 0 : 1; id < 65535; id += 2) {
            if (!channels.containsKey(id)) {
                return id;
            }
        }
        return -1;
    }

    /** Queues a message; {@code message[offset, offset + length)} is copied before this returns. */
    public SendStatus send(int streamId, boolean binary, byte[] message, int offset, int length, long nowMillis) {
        now = nowMillis;
        Channel ch = channels.get(streamId);
        if (ch == null || ch.closing) {
            return SendStatus.NOT_OPEN;
        }
        int ppid;
        byte[] data = message;
        int off = offset;
        int len = length;
        if (length == 0) {
            ppid = binary ? PPID_BINARY_EMPTY : PPID_STRING_EMPTY;
            data = EMPTY_PAYLOAD;
            off = 0;
            len = 1;
        } else {
            ppid = binary ? PPID_BINARY : PPID_STRING;
        }
        ChannelOptions o = ch.info.options();
        // RFC 8832 6: until the open is acknowledged, messages go ordered so none overtakes the OPEN.
        boolean unordered = !o.ordered() && ch.acked;
        return association.send(streamId, ppid, unordered, o.maxRetransmits(), o.maxPacketLifeTimeMillis(), data, off,
            len, nowMillis);
    }

    /** Closes the channel by resetting its outgoing stream once its queued messages are sent. */
    public void close(int streamId, long nowMillis) {
        now = nowMillis;
        Channel ch = channels.get(streamId);
        if (ch == null || ch.closing) {
            return;
        }
        ch.closing = true;
        association.resetStream(streamId, nowMillis);
    }

    /** Bytes of the channel's messages not yet handed to the network. */
    public long bufferedAmount(int streamId) {
        return association.bufferedAmount(streamId);
    }

    /** Bytes of all channels' messages not yet handed to the network (what sendBufferLimit bounds). */
    public long bufferedAmount() {
        return association.bufferedAmount();
    }

    /** {@link DataChannelListener#onBufferedAmountLow} fires when the channel's buffered amount falls to this. */
    public void setBufferedAmountLowThreshold(int streamId, long bytes) {
        association.setBufferedAmountLowThreshold(streamId, bytes);
    }

    /** The open channel on the stream, or null. */
    public DataChannelInfo channel(int streamId) {
        Channel ch = channels.get(streamId);
        return ch == null ? null : ch.info;
    }

    public boolean isConnected() {
        return association.isEstablished();
    }

    /** Graceful end (RFC 9260 9.2): queued messages are sent first; then {@link DataChannelListener#onClosed}. */
    public void shutdown(long nowMillis) {
        now = nowMillis;
        association.shutdown(nowMillis);
    }

    /** Sends ABORT with the reason and ends the association at once. */
    public void abort(String reason) {
        association.abort(reason);
    }

    public SctpStats stats() {
        return association.stats();
    }

    SctpAssociation association() {
        return association;
    }

    private void announce(Channel ch) {
        ch.announced = true;
        listener.onChannelOpen(ch.info, ch.openedByPeer);
    }

    private void drop(SctpDropReason reason) {
        drops.add(reason);
    }

    private void onDcep(int sid, byte[] m) {
        if (DcepMessage.isOpen(m, 0, m.length)) {
            if (channels.containsKey(sid)) {
                drop(SctpDropReason.DCEP_STREAM_IN_USE);
                return;
            }
            Channel ch = new Channel(new DataChannelInfo(sid, DcepMessage.label(m, 0), DcepMessage.protocol(m, 0),
                DcepMessage.options(m, 0)), true);
            ch.acked = true;
            channels.put(sid, ch);
            association.send(sid, PPID_DCEP, false, -1, -1, ACK, 0, ACK.length, now);
            announce(ch);
        } else if (DcepMessage.isAck(m, 0, m.length)) {
            Channel ch = channels.get(sid);
            if (ch == null || ch.openedByPeer || ch.announced || ch.info.options().negotiatedId() >= 0) {
                drop(SctpDropReason.DCEP_UNEXPECTED);
                return;
            }
            ch.acked = true;
            announce(ch);
        } else {
            drop(SctpDropReason.DCEP_MALFORMED);
        }
    }

    private void maybeClosed(int sid, Channel ch) {
        if (ch.incomingReset && ch.outgoingReset) {
            channels.remove(sid);
            listener.onChannelClosed(sid);
        }
    }

    /** The association's callbacks, turned into channel events. */
    private final class Bridge implements AssociationListener {
        @Override
        public void sendPacket(byte[] packet, int offset, int length) {
            listener.sendPacket(packet, offset, length);
        }

        @Override
        public void onConnected() {
            listener.onConnected();
            for (Channel ch : channels.values().toArray(new Channel[0])) {
                if (ch.info.options().negotiatedId() >= 0 && !ch.announced) {
                    announce(ch);
                }
            }
        }

        @Override
        public void onMessage(int streamId, int ppid, byte[] message) {
            if (ppid == PPID_DCEP) {
                onDcep(streamId, message);
                return;
            }
            Channel ch = channels.get(streamId);
            if (ch == null || ch.incomingReset) {
                drop(SctpDropReason.DATA_ON_UNKNOWN_STREAM);
                return;
            }
            switch (ppid) {
                case PPID_STRING -> listener.onMessage(streamId, false, message);
                case PPID_BINARY -> listener.onMessage(streamId, true, message);
                case PPID_STRING_EMPTY -> listener.onMessage(streamId, false, new byte[0]);
                case PPID_BINARY_EMPTY -> listener.onMessage(streamId, true, new byte[0]);
                default -> {
                    drop(SctpDropReason.UNKNOWN_PPID);
                    return;
                }
            }
            ch.acked = true; // RFC 8832 6: a user message from the peer also confirms the open
        }

        @Override
        public void onIncomingStreamReset(int streamId) {
            Channel ch = channels.get(streamId);
            if (ch == null) {
                return;
            }
            ch.incomingReset = true;
            if (!ch.closing) {
                ch.closing = true;
                association.resetStream(streamId, now);
            }
            maybeClosed(streamId, ch);
        }

        @Override
        public void onOutgoingStreamReset(int streamId) {
            Channel ch = channels.get(streamId);
            if (ch == null) {
                return;
            }
            ch.outgoingReset = true;
            maybeClosed(streamId, ch);
        }

        @Override
        public void onBufferedAmountLow(int streamId) {
            if (channels.containsKey(streamId)) {
                listener.onBufferedAmountLow(streamId);
            }
        }

        @Override
        public void onClosed(String reason) {
            listener.onClosed(reason);
        }
    }
}
