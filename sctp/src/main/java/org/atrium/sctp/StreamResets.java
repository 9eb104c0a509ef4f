package org.atrium.sctp;

import static org.atrium.sctp.Tsn.lt;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import org.atrium.sctp.packet.Bytes;
import org.atrium.sctp.packet.Chunk;
import org.atrium.sctp.packet.OutgoingSsnResetRequest;
import org.atrium.sctp.packet.PacketBuilder;
import org.atrium.sctp.packet.Parameter;
import org.atrium.sctp.packet.ParameterIterator;
import org.atrium.sctp.packet.ReConfigChunk;
import org.atrium.sctp.packet.ReconfigurationResponse;

/**
 * Stream reset (RFC 6525) for one association: our Outgoing SSN Reset Requests (one in flight at
 * a time, for the streams whose queued messages are all sent), the peer's requests (performed
 * once everything it sent before them has arrived, "in progress" until then), and the response
 * owed. Request sequence numbers start at each side's initial TSN (5.1.1). Reads the peer's
 * RE-CONFIG chunks, writes ours, and runs the RE-CONFIG timer; the association counts a request
 * left unanswered against the association.
 */
final class StreamResets {
    /** What a reset does to the rest of the association. */
    interface Host {
        int cumulativeReceived();

        int nextTsn();

        boolean hasPending(int streamId);

        /** The peer's outgoing stream was reset: its SSNs start again at 0. */
        void incomingReset(int streamId);

        /** Our outgoing stream was reset (or the peer refused; it is closed on our side anyway). */
        void outgoingReset(int streamId);
    }

    /** What a response to our request means for the RE-CONFIG timer. */
    private static final int IGNORED = 0;
    private static final int FINISHED = 1;
    private static final int RETRY_LATER = 2;

    /** Streams per request; WebRTC closes one channel at a time anyway. */
    private static final int MAX_STREAMS = 32;

    private final Host host;
    private final RtoEstimator rto;
    private final Timer timer;
    private final Drops drops;
    private final ParameterIterator params = new ParameterIterator();
    private final LinkedHashSet<Integer> wanted = new LinkedHashSet<>();
    private final int[] streams = new int[MAX_STREAMS];
    private int count;
    private int seq;
    private int lastTsn;
    private boolean needsSend;
    private boolean retryWait;
    private int myNextSeq;
    private int peerNextSeq;
    private int lastPeerResult;
    private int responseSeq;
    private int responseResult;
    private boolean responseDue;

    StreamResets(Host host, RtoEstimator rto, Timer timer, Drops drops) {
        this.host = host;
        this.rto = rto;
        this.timer = timer;
        this.drops = drops;
    }

    void init(int myInitialTsn, int peerInitialTsn) {
        myNextSeq = myInitialTsn;
        peerNextSeq = peerInitialTsn;
        lastPeerResult = ReconfigurationResponse.SUCCESS_NOTHING_TO_DO;
    }

    /** Asks for our outgoing stream to be reset once the messages queued on it are sent. */
    void want(int streamId) {
        wanted.add(streamId);
    }

    /**
     * A well-formed RE-CONFIG chunk at {@code b[c]}, its parameters taken in order up to the first
     * malformed one. Returns true when it answered our request: the peer is there.
     */
    boolean onChunk(byte[] b, int c, long nowMillis) {
        boolean answered = false;
        params.reset(b, ReConfigChunk.parametersOffset(c), ReConfigChunk.parametersLength(b, c));
        while (params.next()) {
            int p = params.offset();
            int plen = params.length();
            switch (params.type()) {
                case Parameter.OUTGOING_SSN_RESET_REQUEST -> {
                    if (!OutgoingSsnResetRequest.is(b, p, plen)) {
                        drops.add(SctpDropReason.MALFORMED_CHUNK);
                        return answered;
                    }
                    onRequest(b, p);
                }
                case Parameter.RECONFIGURATION_RESPONSE -> {
                    if (!ReconfigurationResponse.is(b, p, plen)) {
                        drops.add(SctpDropReason.MALFORMED_CHUNK);
                        return answered;
                    }
                    switch (onResponse(b, p)) {
                        case FINISHED -> {
                            timer.stop();
                            answered = true;
                        }
                        case RETRY_LATER -> timer.start(nowMillis, rto.rto());
                        default -> {
                        }
                    }
                }
                case Parameter.INCOMING_SSN_RESET_REQUEST, Parameter.SSN_TSN_RESET_REQUEST,
                     Parameter.ADD_OUTGOING_STREAMS_REQUEST, Parameter.ADD_INCOMING_STREAMS_REQUEST -> {
                    if (plen < 8) {
                        drops.add(SctpDropReason.MALFORMED_CHUNK);
                        return answered;
                    }
                    onOtherRequest(Bytes.i32(b, p + 4));
                }
                default -> drops.add(SctpDropReason.UNKNOWN_CHUNK);
            }
        }
        if (params.malformed()) {
            drops.add(SctpDropReason.MALFORMED_CHUNK);
        }
        return answered;
    }

    /** The peer's Outgoing SSN Reset Request at {@code b[p]} (validated). */
    private void onRequest(byte[] b, int p) {
        int requestSeq = OutgoingSsnResetRequest.requestSequence(b, p);
        int result;
        if (requestSeq == peerNextSeq) {
            result = perform(b, p);
            peerNextSeq++;
            lastPeerResult = result;
        } else if (requestSeq == peerNextSeq - 1) {
            // A retransmission gets the same answer, unless it was "in progress" and now can be done.
            if (lastPeerResult == ReconfigurationResponse.IN_PROGRESS) {
                lastPeerResult = perform(b, p);
            }
            result = lastPeerResult;
        } else {
            result = ReconfigurationResponse.ERROR_BAD_SEQUENCE_NUMBER;
        }
        respond(requestSeq, result);
    }

    /** A request type WebRTC does not use (incoming, SSN/TSN, add streams): denied. */
    private void onOtherRequest(int requestSeq) {
        if (requestSeq == peerNextSeq) {
            peerNextSeq++;
            lastPeerResult = ReconfigurationResponse.DENIED;
        }
        respond(requestSeq, ReconfigurationResponse.DENIED);
    }

    private int perform(byte[] b, int p) {
        if (lt(host.cumulativeReceived(), OutgoingSsnResetRequest.senderLastAssignedTsn(b, p))) {
            return ReconfigurationResponse.IN_PROGRESS;
        }
        int n = OutgoingSsnResetRequest.streamCount(b, p);
        for (int i = 0; i < n; i++) {
            host.incomingReset(OutgoingSsnResetRequest.streamId(b, p, i));
        }
        return ReconfigurationResponse.SUCCESS_PERFORMED;
    }

    private void respond(int requestSeq, int result) {
        responseSeq = requestSeq;
        responseResult = result;
        responseDue = true;
    }

    /** The peer's response at {@code b[p]} (validated) to our request. */
    private int onResponse(byte[] b, int p) {
        // While waiting to retry after "in progress", a duplicate of that response is not news.
        if (count == 0 || retryWait || ReconfigurationResponse.responseSequence(b, p) != seq) {
            return IGNORED;
        }
        myNextSeq++;
        if (ReconfigurationResponse.result(b, p) == ReconfigurationResponse.IN_PROGRESS) {
            // Ask again after an RTO with a new sequence number, as dcSCTP does.
            retryWait = true;
            return RETRY_LATER;
        }
        int[] done = Arrays.copyOf(streams, count);
        count = 0;
        for (int sid : done) {
            host.outgoingReset(sid);
        }
        return FINISHED;
    }

    /**
     * The RE-CONFIG timer expired: a request of ours in flight goes out again. Returns true when
     * that was a real timeout (no answer), false when it was the wait after "in progress" or
     * nothing was in flight.
     */
    boolean onTimer() {
        if (count == 0) {
            return false;
        }
        needsSend = true;
        if (retryWait) {
            retryWait = false;
            seq = myNextSeq;
            lastTsn = host.nextTsn() - 1;
            return false;
        }
        return true;
    }

    private void prepareRequest() {
        if (count > 0 || wanted.isEmpty()) {
            return;
        }
        Iterator<Integer> it = wanted.iterator();
        while (it.hasNext() && count < MAX_STREAMS) {
            int sid = it.next();
            if (!host.hasPending(sid)) {
                streams[count++] = sid;
                it.remove();
            }
        }
        if (count > 0) {
            seq = myNextSeq;
            lastTsn = host.nextTsn() - 1;
            needsSend = true;
        }
    }

    /**
     * Writes one RE-CONFIG chunk into {@code p} with the owed response and our request, whichever
     * are due, if it fits; a request sent starts the RE-CONFIG timer.
     */
    void write(PacketBuilder p, long nowMillis) {
        prepareRequest();
        if (!responseDue && !needsSend) {
            return;
        }
        int needed = Chunk.HEADER_LENGTH + (responseDue ? ReconfigurationResponse.LENGTH : 0)
            + (needsSend ? Bytes.pad4(OutgoingSsnResetRequest.FIXED_LENGTH + 2 * count) : 0);
        if (p.room() < needed) {
            return;
        }
        if (needsSend) {
            timer.start(nowMillis, rto.rto());
        }
        byte[] o = p.buffer();
        int c = p.position();
        int n = Chunk.HEADER_LENGTH;
        if (responseDue) {
            n += ReconfigurationResponse.write(o, c + n, responseSeq, responseResult);
            responseDue = false;
        }
        int unpadded = n;
        if (needsSend) {
            unpadded = n + OutgoingSsnResetRequest.FIXED_LENGTH + 2 * count;
            n += OutgoingSsnResetRequest.write(o, c + n, seq, peerNextSeq - 1, lastTsn, streams, count);
            needsSend = false;
        }
        // The chunk length leaves out the last parameter's padding (RFC 9260 3.2).
        ReConfigChunk.writeHeader(o, c, unpadded - Chunk.HEADER_LENGTH);
        p.advance(n);
    }
}
