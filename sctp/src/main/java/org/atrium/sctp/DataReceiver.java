package org.atrium.sctp;

import static org.atrium.sctp.Tsn.le;
import static org.atrium.sctp.Tsn.lt;

import org.atrium.sctp.packet.Chunk;
import org.atrium.sctp.packet.DataChunk;
import org.atrium.sctp.packet.ForwardTsnChunk;
import org.atrium.sctp.packet.PacketBuilder;

/**
 * The receiving side of DATA (RFC 9260 6.2; RFC 3758 3.6): each chunk's TSN into
 * {@link ReceivedTsns} and its payload into {@link Reassembly} while the receive window has room,
 * FORWARD TSN skips, and when to SACK: at once after a gap, a duplicate, an I bit or every second
 * packet with DATA, otherwise when the delayed-ACK timer fires, and with any DATA we send.
 */
final class DataReceiver {
    private final long receiveWindow;
    private final long delayedAckMillis;
    private final ReceivedTsns rx;
    private final Reassembly reassembly;
    private final RtoEstimator rto;
    private final Timer delayedAckTimer;
    private final Drops drops;
    private int inboundStreams = Handshake.STREAMS;

    /** Whether the packet being read found gaps already, and has brought DATA. */
    private boolean hadGaps;
    private boolean dataInPacket;
    private boolean sackNow;
    private boolean sackPending;
    private int packetsSinceSack;

    DataReceiver(SctpConfig config, ReceivedTsns rx, Reassembly reassembly, RtoEstimator rto, Timer delayedAckTimer,
                 Drops drops) {
        this.receiveWindow = config.receiveWindow();
        this.delayedAckMillis = config.delayedAckMillis();
        this.rx = rx;
        this.reassembly = reassembly;
        this.rto = rto;
        this.delayedAckTimer = delayedAckTimer;
        this.drops = drops;
    }

    /** The peer's initial TSN and how many streams it sends on. */
    void init(int peerInitialTsn, int inboundStreams) {
        rx.init(peerInitialTsn);
        this.inboundStreams = inboundStreams;
    }

    /** Every TSN up to this one has arrived (or was skipped by FORWARD TSN). */
    int cumulativeTsn() {
        return rx.cumulative();
    }

    /** A packet is about to be read; {@link #endPacket} decides what its DATA does to the SACK schedule. */
    void beginPacket() {
        hadGaps = rx.hasGaps();
        dataInPacket = false;
    }

    /** A well-formed DATA chunk at {@code b[c]}, in a state that takes DATA. */
    void onData(byte[] b, int c) {
        dataInPacket = true;
        int tsn = DataChunk.tsn(b, c);
        int payload = DataChunk.payloadLength(b, c);
        // RFC 9260 6.2: with the window used up, drop new DATA past the highest TSN received; what
        // fills gaps below it is still taken, or the window could never open again.
        if (lt(rx.highest(), tsn) && reassembly.held() + payload > receiveWindow) {
            drops.add(SctpDropReason.RECEIVE_WINDOW_FULL);
            sackNow = true;
            return;
        }
        switch (rx.add(tsn)) {
            case ReceivedTsns.DUPLICATE -> {
                return;
            }
            case ReceivedTsns.REFUSED -> {
                drops.add(SctpDropReason.TSN_OUT_OF_WINDOW);
                return;
            }
            default -> {
            }
        }
        if ((Chunk.flags(b, c) & DataChunk.FLAG_IMMEDIATE) != 0) {
            sackNow = true;
        }
        int sid = DataChunk.streamId(b, c);
        if (sid >= inboundStreams) {
            // Acknowledged (so the peer stops sending it) but not delivered (RFC 9260 6.8 analog).
            drops.add(SctpDropReason.DATA_ON_UNKNOWN_STREAM);
            return;
        }
        reassembly.add(rx.unwrap(tsn), b, c);
    }

    /** A well-formed FORWARD TSN at {@code b[c]}, in a state that takes DATA. */
    void onForwardTsn(byte[] b, int c) {
        int newCum = ForwardTsnChunk.newCumulativeTsn(b, c);
        sackNow = true;
        if (le(newCum, rx.cumulative())) {
            return; // old news; the SACK tells the peer where we are
        }
        if (newCum - rx.cumulative() > ReceivedTsns.MAX_AHEAD) {
            drops.add(SctpDropReason.TSN_OUT_OF_WINDOW);
            return;
        }
        // Only fragments up to the new cumulative TSN are abandoned: received ranges just past it
        // join the cumulative TSN but may hold the first fragments of a message still coming.
        reassembly.forgetThrough(rx.unwrap(newCum));
        rx.forwardTo(newCum);
        for (int i = 0; i < ForwardTsnChunk.streamCount(b, c); i++) {
            int sid = ForwardTsnChunk.streamId(b, c, i);
            if (sid < inboundStreams) {
                reassembly.skip(sid, ForwardTsnChunk.ssn(b, c, i));
            }
        }
    }

    /** The packet was read and the association goes on: a SACK for its DATA now or after the delay. */
    void endPacket(long nowMillis) {
        if (!dataInPacket) {
            return;
        }
        sackPending = true;
        if (hadGaps || rx.hasGaps() || rx.hasDuplicates() || ++packetsSinceSack >= 2) {
            sackNow = true;
        } else {
            delayedAckTimer.startIfStopped(nowMillis, Math.min(delayedAckMillis, rto.rto() / 2));
        }
    }

    /** The delayed-ACK timer expired: the SACK goes out with the next packet. */
    void onDelayedAckTimer() {
        sackNow = true;
    }

    /** Writes a SACK into {@code p} when one is due, or is pending and {@code withData} DATA goes out too. */
    void writeSack(PacketBuilder p, boolean withData) {
        if (!sackNow && !(sackPending && withData)) {
            return;
        }
        long window = Math.max(0, receiveWindow - reassembly.held());
        p.advance(rx.writeSack(p.buffer(), p.position(), p.room(), window));
        sackNow = false;
        sackPending = false;
        packetsSinceSack = 0;
        delayedAckTimer.stop();
    }
}
