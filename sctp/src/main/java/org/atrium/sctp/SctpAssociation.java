package org.atrium.sctp;

import java.util.random.RandomGenerator;
import org.atrium.sctp.packet.AbortChunk;
import org.atrium.sctp.packet.Bytes;
import org.atrium.sctp.packet.ChunkIterator;
import org.atrium.sctp.packet.ChunkType;
import org.atrium.sctp.packet.CookieEchoChunk;
import org.atrium.sctp.packet.DataChunk;
import org.atrium.sctp.packet.ForwardTsnChunk;
import org.atrium.sctp.packet.HeartbeatChunk;
import org.atrium.sctp.packet.PacketBuilder;
import org.atrium.sctp.packet.ReConfigChunk;
import org.atrium.sctp.packet.SackChunk;
import org.atrium.sctp.packet.SctpPacket;
import org.atrium.sctp.packet.ShutdownChunk;

/**
 * One SCTP association, sans I/O: packets in through {@link #receive}, out through the listener,
 * time from the host through {@link #handleTimeout}. Not thread-safe: the host serializes calls.
 * Bad input is dropped and counted, never thrown.
 *
 * <p>This class is the state machine (RFC 9260 4): it checks each packet's verification tag
 * (8.5), hands each chunk that is well formed and expected in the current state to the part that
 * handles it, moves between states (setup 5.2, shutdown 9.2), runs the timers each part arms,
 * counts unanswered ones against the association (8.1), and decides what goes into each packet
 * and in which order. The parts: {@link Handshake} (INIT to COOKIE ACK, T1), {@link DataReceiver}
 * (DATA, FORWARD TSN, when to SACK), {@link DataSender} (DATA out under cwnd, T3, FORWARD TSN out),
 * {@link StreamResets} (RE-CONFIG), {@link Heartbeat}, {@link Shutdown} (SHUTDOWN, ABORT, T2).
 *
 * <p>Not supported: association restart (a COOKIE ECHO with new tags for an established
 * association is dropped), multi-homing, I-DATA, AUTH, ECN, the Incoming/SSN-TSN/add-streams
 * reset requests (denied).
 */
final class SctpAssociation {
    enum State {
        CLOSED, COOKIE_WAIT, COOKIE_ECHOED, ESTABLISHED, SHUTDOWN_PENDING, SHUTDOWN_SENT, SHUTDOWN_RECEIVED,
        SHUTDOWN_ACK_SENT, TERMINATED
    }

    private final SctpConfig config;
    private final AssociationListener listener;
    private final Drops drops;
    private final PacketCheck packetCheck;
    private final ChunkIterator chunks = new ChunkIterator();
    private final PacketSender packets;
    private final RtoEstimator rto;
    private final SendQueue sendQueue;
    private final OutstandingData tx;
    private final Reassembly reassembly;
    private final Handshake handshake;
    private final DataReceiver receiver;
    private final DataSender sender;
    private final StreamResets resets;
    private final Heartbeat heartbeat;
    private final Shutdown shutdown;

    private final Timer t1 = new Timer();
    private final Timer t3 = new Timer();
    private final Timer delayedAckTimer = new Timer();
    private final Timer heartbeatTimer = new Timer();
    private final Timer heartbeatAckTimer = new Timer();
    private final Timer t2 = new Timer();
    private final Timer reconfigTimer = new Timer();
    private final Timer[] timers = {t1, t3, delayedAckTimer, heartbeatTimer, heartbeatAckTimer, t2, reconfigTimer};

    private State state = State.CLOSED;
    private int myTag;
    private int peerTag;
    private int myInitialTsn;
    private boolean peerReconfig;
    /** Whether the association had reached the peer before it ended (so a reflected answer is ours to give). */
    private boolean hadPeer;
    /** Timeouts in a row without a sign of the peer (RFC 9260 8.1). */
    private int errorCount;
    /** Above 0 while a host call or packet is being handled: what is due is sent once, at its end. */
    private int depth;
    private boolean flushing;
    private boolean flushAgain;

    private long packetsIn;
    private long bytesIn;
    private long messagesIn;
    private long timeouts;

    SctpAssociation(SctpConfig config, AssociationListener listener, RandomGenerator random, Drops drops) {
        this.config = config;
        this.listener = listener;
        this.drops = drops;
        this.packetCheck = new PacketCheck(config);
        this.packets = new PacketSender(config, listener::sendPacket);
        this.handshake = new Handshake(config, random, drops, packets, t1);
        this.rto = new RtoEstimator(config);
        this.heartbeat = new Heartbeat(config, random, rto, packets, heartbeatTimer, heartbeatAckTimer);
        this.shutdown = new Shutdown(config, packets, rto, t2);
        this.sendQueue = new SendQueue(config.sendBufferLimit(), listener);
        this.tx = new OutstandingData(config.maxPacketSize(), rto, sendQueue);
        this.sender = new DataSender(config, sendQueue, tx, rto, t3, drops);
        this.reassembly = new Reassembly(config.maxMessageSize(), new Reassembly.Sink() {
            @Override
            public void deliver(int streamId, int ppid, byte[] message) {
                messagesIn++;
                listener.onMessage(streamId, ppid, message);
            }

            @Override
            public void tooLarge(int streamId) {
                drops.add(SctpDropReason.MESSAGE_TOO_LARGE);
            }
        });
        this.receiver = new DataReceiver(config, new ReceivedTsns(), reassembly, rto, delayedAckTimer, drops);
        this.resets = new StreamResets(new StreamResets.Host() {
            @Override
            public int cumulativeReceived() {
                return receiver.cumulativeTsn();
            }

            @Override
            public int nextTsn() {
                return tx.nextTsn();
            }

            @Override
            public boolean hasPending(int streamId) {
                return sendQueue.hasPending(streamId);
            }

            @Override
            public void incomingReset(int streamId) {
                reassembly.resetStream(streamId);
                listener.onIncomingStreamReset(streamId);
            }

            @Override
            public void outgoingReset(int streamId) {
                sendQueue.resetSsn(streamId);
                listener.onOutgoingStreamReset(streamId);
            }
        }, rto, reconfigTimer, drops);
    }

    State state() {
        return state;
    }

    boolean isEstablished() {
        return state == State.ESTABLISHED;
    }

    private boolean hasPeer() {
        return state.ordinal() >= State.COOKIE_ECHOED.ordinal() && state != State.TERMINATED;
    }

    private boolean dataAccepted() {
        return state == State.ESTABLISHED || state == State.SHUTDOWN_PENDING || state == State.SHUTDOWN_SENT;
    }

    private boolean dataSendable() {
        return state == State.ESTABLISHED || state == State.SHUTDOWN_PENDING || state == State.SHUTDOWN_RECEIVED;
    }

    // ---------------------------------------------------------------- host calls

    void connect(long nowMillis) {
        if (state != State.CLOSED) {
            return;
        }
        myTag = handshake.newTag();
        myInitialTsn = handshake.newInitialTsn();
        state = State.COOKIE_WAIT;
        handshake.sendInit(myTag, myInitialTsn, nowMillis);
    }

    SendStatus send(int streamId, int ppid, boolean unordered, int maxRetransmits, int lifetimeMillis,
                    byte[] data, int off, int len, long nowMillis) {
        if (state == State.TERMINATED || state.ordinal() >= State.SHUTDOWN_PENDING.ordinal()
            || (hasPeer() && !sender.hasStream(streamId)) || !Bytes.inBounds(data, off, len)) {
            return SendStatus.NOT_OPEN;
        }
        SendStatus status = sender.queue(streamId, ppid, unordered, maxRetransmits, lifetimeMillis, data, off, len,
            nowMillis);
        if (status == SendStatus.SENT && depth == 0) {
            flush(nowMillis);
        }
        return status;
    }

    /** Resets our outgoing stream (RFC 6525 5.1.2) once the messages queued on it are sent. */
    void resetStream(int streamId, long nowMillis) {
        if (state == State.TERMINATED) {
            return;
        }
        if (hasPeer() && !peerReconfig) {
            // Without RE-CONFIG there is nothing to ask; the stream is closed on our side only.
            listener.onOutgoingStreamReset(streamId);
            return;
        }
        resets.want(streamId);
        if (depth == 0) {
            flush(nowMillis);
        }
    }

    long bufferedAmount(int streamId) {
        return sendQueue.buffered(streamId);
    }

    long bufferedAmount() {
        return sendQueue.buffered();
    }

    void setBufferedAmountLowThreshold(int streamId, long bytes) {
        sendQueue.setLowThreshold(streamId, bytes);
    }

    void shutdown(long nowMillis) {
        switch (state) {
            case ESTABLISHED -> {
                state = State.SHUTDOWN_PENDING;
                if (depth == 0) {
                    flush(nowMillis);
                }
            }
            case CLOSED, COOKIE_WAIT -> terminate("shutdown");
            case COOKIE_ECHOED -> abort("shutdown");
            default -> {
            }
        }
    }

    void abort(String reason) {
        if (state == State.TERMINATED) {
            return;
        }
        if (hasPeer()) {
            shutdown.sendAbort(peerTag, reason);
        }
        terminate(reason);
    }

    private void terminate(String reason) {
        if (state == State.TERMINATED) {
            return;
        }
        hadPeer = hasPeer();
        state = State.TERMINATED;
        for (Timer t : timers) {
            t.stop();
        }
        listener.onClosed(reason);
    }

    long nextTimeoutMillis() {
        long next = Timer.NONE;
        if (state != State.TERMINATED) {
            for (Timer t : timers) {
                next = Math.min(next, t.deadline());
            }
        }
        return next;
    }

    /** Runs the timers that are due, in a fixed order, each stopped before its part reacts. */
    void handleTimeout(long nowMillis) {
        if (state == State.TERMINATED) {
            return;
        }
        depth++;
        try {
            if (t1.isDue(nowMillis)) {
                t1.stop();
                if (state == State.COOKIE_WAIT || state == State.COOKIE_ECHOED) {
                    timeouts++;
                    if (!handshake.onT1(nowMillis)) {
                        terminate("connect timed out");
                    }
                }
            }
            if (state != State.TERMINATED && t3.isDue(nowMillis)) {
                t3.stop();
                if (sender.hasOutstanding() && countTimeout()) {
                    sender.onT3Expired(nowMillis);
                }
            }
            if (delayedAckTimer.isDue(nowMillis)) {
                delayedAckTimer.stop();
                receiver.onDelayedAckTimer();
            }
            if (state != State.TERMINATED && heartbeatAckTimer.isDue(nowMillis)) {
                heartbeatAckTimer.stop();
                if (countTimeout()) {
                    heartbeat.onUnanswered(nowMillis);
                }
            }
            if (state != State.TERMINATED && heartbeatTimer.isDue(nowMillis)) {
                heartbeat.onIntervalTimer(nowMillis, state == State.ESTABLISHED, peerTag);
            }
            if (state != State.TERMINATED && t2.isDue(nowMillis)) {
                t2.stop();
                timeouts++;
                if (!shutdown.onT2(nowMillis, state == State.SHUTDOWN_SENT, peerTag, receiver.cumulativeTsn())) {
                    terminate("shutdown timed out");
                }
            }
            if (state != State.TERMINATED && reconfigTimer.isDue(nowMillis)) {
                reconfigTimer.stop();
                if (resets.onTimer()) {
                    countTimeout();
                }
            }
        } finally {
            depth--;
        }
        flush(nowMillis);
    }

    /**
     * Counts a timer that expired unanswered against the association (RFC 9260 8.1) and backs
     * off the RTO; returns false when that was one too many and the association is over.
     */
    private boolean countTimeout() {
        timeouts++;
        if (++errorCount > config.maxRetransmissions()) {
            terminate("too many retransmissions");
            return false;
        }
        rto.backoff();
        return true;
    }

    // ---------------------------------------------------------------- receive

    void receive(byte[] b, int off, int len, long nowMillis) {
        packetsIn++;
        bytesIn += Math.max(0, len);
        if (state == State.TERMINATED) {
            drops.add(SctpDropReason.ASSOCIATION_CLOSED);
            if (hadPeer) {
                shutdown.answerAfterClose(b, off, len, myTag);
            }
            return;
        }
        SctpDropReason bad = packetCheck.check(b, off, len);
        if (bad != null) {
            drops.add(bad);
            return;
        }
        int tag = SctpPacket.verificationTag(b, off);
        if (!tagAccepted(packetCheck.firstType(), packetCheck.firstFlags(), tag)) {
            drops.add(SctpDropReason.BAD_VERIFICATION_TAG);
            return;
        }
        receiver.beginPacket();
        depth++;
        try {
            chunks.reset(b, off, len);
            while (state != State.TERMINATED && chunks.next()) {
                if (!onChunk(b, chunks.offset(), chunks.length(), chunks.type(), tag, nowMillis)) {
                    break;
                }
            }
            if (state != State.TERMINATED) {
                receiver.endPacket(nowMillis);
            }
        } finally {
            depth--;
        }
        flush(nowMillis);
    }

    /** RFC 9260 8.5 and 8.5.1: which verification tag a packet must carry. */
    private boolean tagAccepted(int firstType, int firstFlags, int tag) {
        if (firstType == ChunkType.INIT) {
            return true; // 0, checked with the packet
        }
        if (firstType == ChunkType.COOKIE_ECHO) {
            return true; // checked against the cookie's own tag once it is verified
        }
        if (state == State.CLOSED) {
            return false; // out of the blue
        }
        if ((firstType == ChunkType.ABORT || firstType == ChunkType.SHUTDOWN_COMPLETE) && (firstFlags & 1) != 0) {
            return hasPeer() && tag == peerTag;
        }
        return tag == myTag;
    }

    /** Passes {@code ok} on; a chunk that is not well formed is dropped and counted. */
    private boolean wellFormed(boolean ok) {
        if (!ok) {
            drops.add(SctpDropReason.MALFORMED_CHUNK);
        }
        return ok;
    }

    /** Passes {@code ok} on; a chunk not expected in this state is dropped and counted. */
    private boolean expected(boolean ok) {
        if (!ok) {
            drops.add(SctpDropReason.UNEXPECTED_CHUNK);
        }
        return ok;
    }

    /**
     * One chunk of a packet whose tag was accepted: its form and whether this state takes it are
     * checked here, the rest is the part's. Returns false when the rest of the packet is to be ignored.
     */
    private boolean onChunk(byte[] b, int c, int len, int type, int tag, long nowMillis) {
        switch (type) {
            case ChunkType.DATA -> {
                if (wellFormed(DataChunk.is(b, c, len)) && expected(dataAccepted())) {
                    receiver.onData(b, c);
                }
            }
            case ChunkType.INIT -> {
                // Once the association is up an INIT would be a restart, which is not supported.
                if (wellFormed(handshake.readInit(b, c, len))
                    && expected(state == State.CLOSED || state == State.COOKIE_WAIT || state == State.COOKIE_ECHOED)) {
                    handshake.answerInit(b, c, nowMillis, state != State.CLOSED, myTag, myInitialTsn);
                }
            }
            case ChunkType.INIT_ACK -> {
                return onInitAck(b, c, len, nowMillis);
            }
            case ChunkType.SACK -> {
                if (wellFormed(SackChunk.is(b, c, len)) && expected(state.ordinal() >= State.ESTABLISHED.ordinal())
                    && sender.onSack(b, c, nowMillis)) {
                    errorCount = 0;
                }
            }
            case ChunkType.HEARTBEAT -> {
                if (wellFormed(heartbeat.isRequest(b, c, len)) && expected(hasPeer())) {
                    heartbeat.answer(b, c, peerTag);
                }
            }
            case ChunkType.HEARTBEAT_ACK -> {
                if (wellFormed(HeartbeatChunk.is(b, c, len, ChunkType.HEARTBEAT_ACK))
                    && heartbeat.onAck(b, c, nowMillis)) {
                    errorCount = 0;
                }
            }
            case ChunkType.ABORT -> {
                if (wellFormed(AbortChunk.is(b, c, len)) && expected(state != State.CLOSED)) {
                    terminate("aborted by peer: " + AbortChunk.describe(b, c, len));
                }
                return false;
            }
            case ChunkType.SHUTDOWN -> {
                if (wellFormed(ShutdownChunk.is(b, c, len))) {
                    onShutdown(ShutdownChunk.cumulativeTsnAck(b, c), nowMillis);
                }
            }
            case ChunkType.SHUTDOWN_ACK -> {
                if (expected(state == State.SHUTDOWN_SENT || state == State.SHUTDOWN_ACK_SENT)) {
                    shutdown.sendShutdownComplete(peerTag);
                    terminate("shutdown");
                }
            }
            case ChunkType.ERROR -> {
                // Nothing we send asks for an ERROR we could act on; read and ignored.
            }
            case ChunkType.COOKIE_ECHO -> {
                return onCookieEcho(b, c, len, tag, nowMillis);
            }
            case ChunkType.COOKIE_ACK -> {
                if (state == State.COOKIE_ECHOED) {
                    establish(nowMillis);
                }
            }
            case ChunkType.SHUTDOWN_COMPLETE -> {
                if (expected(state == State.SHUTDOWN_ACK_SENT)) {
                    terminate("shutdown");
                }
            }
            case ChunkType.FORWARD_TSN -> {
                if (wellFormed(ForwardTsnChunk.is(b, c, len)) && expected(dataAccepted())) {
                    receiver.onForwardTsn(b, c);
                }
            }
            case ChunkType.RE_CONFIG -> {
                if (wellFormed(ReConfigChunk.is(b, c, len)) && expected(hasPeer() && state != State.COOKIE_ECHOED)
                    && resets.onChunk(b, c, nowMillis)) {
                    errorCount = 0;
                }
            }
            default -> {
                drops.add(SctpDropReason.UNKNOWN_CHUNK);
                return ChunkType.skipWhenUnknown(type);
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- setup (RFC 9260 5.2)

    private boolean onInitAck(byte[] b, int c, int len, long nowMillis) {
        if (!wellFormed(handshake.readInitAck(b, c, len))) {
            return false;
        }
        if (state != State.COOKIE_WAIT) {
            // RFC 9260 5.2.3: discarded. Not counted: after an INIT collision the answer to our
            // own INIT routinely arrives once the association is up.
            return false;
        }
        setPeer(handshake.takeInitAck(b, c, nowMillis, myTag, myInitialTsn));
        state = State.COOKIE_ECHOED;
        handshake.sendCookieEcho(peerTag, nowMillis);
        return true;
    }

    private boolean onCookieEcho(byte[] b, int c, int len, int tag, long nowMillis) {
        StateCookie.Contents k = wellFormed(CookieEchoChunk.is(b, c, len)) ? handshake.openCookie(b, c, tag, nowMillis)
            : null;
        if (k == null) {
            return false;
        }
        switch (state) {
            case CLOSED -> {
                myTag = k.myTag();
                myInitialTsn = k.myInitialTsn();
                acceptCookie(k, nowMillis);
            }
            case COOKIE_WAIT, COOKIE_ECHOED -> {
                // RFC 9260 5.2.4 B (peer tag new) or D (both known): our tag must be the one we gave.
                if (!expected(k.myTag() == myTag)) {
                    return false;
                }
                acceptCookie(k, nowMillis);
            }
            case TERMINATED -> {
                return false;
            }
            default -> {
                if (!expected(k.myTag() == myTag && k.peerTag() == peerTag)) {
                    return false; // case A, a restart: not supported
                }
                handshake.ackCookie(); // case D: our COOKIE ACK was lost
            }
        }
        return true;
    }

    private void acceptCookie(StateCookie.Contents k, long nowMillis) {
        if (state != State.COOKIE_ECHOED || k.peerTag() != peerTag) {
            setPeer(k);
        }
        handshake.ackCookie();
        establish(nowMillis);
    }

    /** The peer as the handshake describes it, whichever side made the cookie. */
    private void setPeer(StateCookie.Contents k) {
        peerTag = k.peerTag();
        peerReconfig = k.reconfig();
        receiver.init(k.peerInitialTsn(), Math.min(Handshake.STREAMS, k.peerOutboundStreams()));
        sender.init(myInitialTsn, k.peerWindow(), Math.min(Handshake.STREAMS, k.peerInboundStreams()), k.forwardTsn());
        resets.init(myInitialTsn, k.peerInitialTsn());
    }

    private void establish(long nowMillis) {
        state = State.ESTABLISHED;
        handshake.established();
        errorCount = 0;
        heartbeat.start(nowMillis);
        listener.onConnected();
    }

    // ---------------------------------------------------------------- shutdown (RFC 9260 9.2)

    private void onShutdown(int cumulativeTsnAck, long nowMillis) {
        switch (state) {
            case ESTABLISHED, SHUTDOWN_PENDING, SHUTDOWN_RECEIVED -> {
                state = State.SHUTDOWN_RECEIVED;
                if (sender.onCumulativeAck(cumulativeTsnAck, nowMillis)) {
                    errorCount = 0;
                }
            }
            case SHUTDOWN_SENT -> {
                // Both sides shut down at once: answer with SHUTDOWN ACK.
                state = State.SHUTDOWN_ACK_SENT;
                shutdown.sendShutdownAck(peerTag, nowMillis);
                t3.stop();
            }
            case SHUTDOWN_ACK_SENT -> shutdown.resendShutdownAck(peerTag);
            default -> drops.add(SctpDropReason.UNEXPECTED_CHUNK);
        }
    }

    /** Once all our DATA is acknowledged, a pending shutdown goes on (T3 has nothing left to guard). */
    private void continueShutdown(long nowMillis) {
        if (state == State.SHUTDOWN_PENDING) {
            state = State.SHUTDOWN_SENT;
            shutdown.sendShutdown(peerTag, receiver.cumulativeTsn(), nowMillis);
        } else {
            state = State.SHUTDOWN_ACK_SENT;
            shutdown.sendShutdownAck(peerTag, nowMillis);
        }
        t3.stop();
    }

    // ---------------------------------------------------------------- send

    /**
     * Sends what is due, in packets as full as the maximum size lets them be; once more if a
     * call from inside the listener made more due.
     */
    private void flush(long nowMillis) {
        if (flushing) {
            flushAgain = true;
            return;
        }
        flushing = true;
        try {
            do {
                flushAgain = false;
                flushOnce(nowMillis);
            } while (flushAgain && state != State.TERMINATED);
        } finally {
            flushing = false;
        }
    }

    private void flushOnce(long nowMillis) {
        if (!hasPeer() || state == State.COOKIE_ECHOED) {
            return;
        }
        boolean sendData = dataSendable();
        boolean fastRetransmit = sender.takeFastRetransmit();
        while (state != State.TERMINATED && sendPacket(sendData, fastRetransmit, nowMillis)) {
            fastRetransmit = false;
        }
        if (state == State.TERMINATED) {
            return;
        }
        if (sendData) {
            sender.keepT3Running(nowMillis);
        }
        if ((state == State.SHUTDOWN_PENDING || state == State.SHUTDOWN_RECEIVED) && sender.isDone()) {
            continueShutdown(nowMillis);
        }
    }

    /**
     * Sends one packet of what is due, bundled in this order: COOKIE ACK, SACK, FORWARD TSN,
     * RE-CONFIG, retransmissions, new DATA as cwnd and the peer's window allow. Returns true when
     * it carried DATA, so that another packet may follow.
     */
    private boolean sendPacket(boolean sendData, boolean fastRetransmit, long nowMillis) {
        PacketBuilder p = packets.begin(peerTag);
        handshake.writeCookieAck(p);
        receiver.writeSack(p, sendData && sender.hasDataWaiting());
        sender.writeForwardTsn(p);
        resets.write(p, nowMillis);
        boolean wroteData = sendData && sender.writeData(p, nowMillis, fastRetransmit);
        if (p.isEmpty()) {
            return false;
        }
        packets.send();
        return wroteData;
    }

    // ---------------------------------------------------------------- stats

    SctpStats stats() {
        return new SctpStats(packetsIn, bytesIn, packets.packets(), packets.bytes(), messagesIn, sender.messagesSent(),
            tx.retransmissions, tx.fastRetransmits, timeouts, drops.snapshot(), tx.cwnd(), rto.rto(), rto.srtt(),
            tx.peerWindow());
    }

    long peerWindow() {
        return tx.peerWindow();
    }

    /** Bytes held for reassembly and in-order delivery. */
    long receiveBuffered() {
        return reassembly.held();
    }
}
