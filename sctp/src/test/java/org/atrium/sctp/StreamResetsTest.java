package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.atrium.sctp.packet.Chunk;
import org.atrium.sctp.packet.OutgoingSsnResetRequest;
import org.atrium.sctp.packet.PacketBuilder;
import org.atrium.sctp.packet.Parameter;
import org.atrium.sctp.packet.ReConfigChunk;
import org.atrium.sctp.packet.ReconfigurationResponse;
import org.atrium.sctp.packet.SctpPacket;
import org.junit.jupiter.api.Test;

/** Stream reset (RFC 6525): our request and the RE-CONFIG timer, the peer's answers, its requests. */
class StreamResetsTest {
    private static final int MY_TSN = 1000;
    private static final int PEER_TSN = 5000;
    private static final int C = SctpPacket.HEADER_LENGTH;

    private final List<Integer> outgoingResets = new ArrayList<>();
    private final List<Integer> incomingResets = new ArrayList<>();
    private final RtoEstimator rto = new RtoEstimator(SctpConfig.DEFAULTS);
    private final Timer timer = new Timer();
    private final Drops drops = new Drops();
    private final PacketBuilder out = new PacketBuilder(1140, 5000, 5000);
    private final StreamResets resets = new StreamResets(new StreamResets.Host() {
        @Override
        public int cumulativeReceived() {
            return PEER_TSN - 1;
        }

        @Override
        public int nextTsn() {
            return MY_TSN + 10;
        }

        @Override
        public boolean hasPending(int streamId) {
            return false;
        }

        @Override
        public void incomingReset(int streamId) {
            incomingResets.add(streamId);
        }

        @Override
        public void outgoingReset(int streamId) {
            outgoingResets.add(streamId);
        }
    }, rto, timer, drops);

    StreamResetsTest() {
        resets.init(MY_TSN, PEER_TSN);
    }

    @Test
    void aRequestStartsTheTimerAndItsAnswerStopsIt() {
        resets.want(4);
        out.begin(1);
        resets.write(out, 100);
        int p = ReConfigChunk.parametersOffset(C);
        assertEquals(Parameter.OUTGOING_SSN_RESET_REQUEST, Parameter.type(out.buffer(), p));
        assertEquals(MY_TSN, OutgoingSsnResetRequest.requestSequence(out.buffer(), p));
        assertEquals(MY_TSN + 9, OutgoingSsnResetRequest.senderLastAssignedTsn(out.buffer(), p));
        assertEquals(100 + rto.rto(), timer.deadline());
        assertTrue(resets.onChunk(response(MY_TSN, ReconfigurationResponse.SUCCESS_PERFORMED), 0, 150));
        assertFalse(timer.isRunning());
        assertEquals(List.of(4), outgoingResets);
        assertFalse(resets.onTimer(), "nothing in flight");
    }

    @Test
    void inProgressAsksAgainAfterAnRtoWithANewSequenceNumber() {
        resets.want(4);
        out.begin(1);
        resets.write(out, 100);
        assertFalse(resets.onChunk(response(MY_TSN, ReconfigurationResponse.IN_PROGRESS), 0, 150));
        assertEquals(150 + rto.rto(), timer.deadline());
        assertFalse(resets.onChunk(response(MY_TSN, ReconfigurationResponse.IN_PROGRESS), 0, 160), "a duplicate");
        assertEquals(150 + rto.rto(), timer.deadline());
        assertFalse(resets.onTimer(), "the wait, not a timeout");
        out.begin(1);
        resets.write(out, 700);
        int p = ReConfigChunk.parametersOffset(C);
        assertEquals(MY_TSN + 1, OutgoingSsnResetRequest.requestSequence(out.buffer(), p));
        assertTrue(resets.onTimer(), "unanswered: a timeout");
    }

    @Test
    void thePeersRequestIsPerformedAndAnswered() {
        byte[] chunk = new byte[64];
        int n = OutgoingSsnResetRequest.write(chunk, Chunk.HEADER_LENGTH, PEER_TSN, MY_TSN - 1, PEER_TSN - 1,
            new int[] {7}, 1);
        ReConfigChunk.writeHeader(chunk, 0, n - 2); // one stream: 2 bytes of padding
        assertFalse(resets.onChunk(chunk, 0, 100));
        assertEquals(List.of(7), incomingResets);
        out.begin(1);
        resets.write(out, 100);
        int p = ReConfigChunk.parametersOffset(C);
        assertEquals(PEER_TSN, ReconfigurationResponse.responseSequence(out.buffer(), p));
        assertEquals(ReconfigurationResponse.SUCCESS_PERFORMED, ReconfigurationResponse.result(out.buffer(), p));
        assertFalse(timer.isRunning(), "a response alone starts no timer");
    }

    @Test
    void anUnknownParameterIsCountedAndSkipped() {
        byte[] chunk = new byte[32];
        Parameter.writeHeader(chunk, Chunk.HEADER_LENGTH, 0x7777, 8); // an unknown type, 4 bytes of value
        ReconfigurationResponse.write(chunk, Chunk.HEADER_LENGTH + 8, 1, ReconfigurationResponse.DENIED);
        ReConfigChunk.writeHeader(chunk, 0, 8 + ReconfigurationResponse.LENGTH);
        assertFalse(resets.onChunk(chunk, 0, 100));
        assertEquals(1, drops.snapshot().get(SctpDropReason.UNKNOWN_CHUNK));
        assertEquals(0, drops.snapshot().get(SctpDropReason.MALFORMED_CHUNK));
    }

    private static byte[] response(int seq, int result) {
        byte[] chunk = new byte[Chunk.HEADER_LENGTH + ReconfigurationResponse.LENGTH];
        ReconfigurationResponse.write(chunk, Chunk.HEADER_LENGTH, seq, result);
        ReConfigChunk.writeHeader(chunk, 0, ReconfigurationResponse.LENGTH);
        return chunk;
    }
}
