package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.atrium.sctp.packet.ChunkIterator;
import org.atrium.sctp.packet.ChunkType;
import org.atrium.sctp.packet.DataChunk;
import org.atrium.sctp.packet.ForwardTsnChunk;
import org.atrium.sctp.packet.PacketBuilder;
import org.atrium.sctp.packet.SackChunk;
import org.junit.jupiter.api.Test;

/** The sending side of DATA: cwnd (RFC 9260 6.1, 7.2.1), T3-rtx (6.3), FORWARD TSN (RFC 3758 3.5). */
class DataSenderTest {
    private static final SctpConfig CONFIG = SctpConfig.DEFAULTS.withMaxMessageSize(2000).withSendBufferLimit(30_000);
    private static final int MY_TSN = 1000;

    private final SendQueue queue = new SendQueue(CONFIG.sendBufferLimit(), sid -> { });
    private final RtoEstimator rto = new RtoEstimator(CONFIG);
    private final OutstandingData tx = new OutstandingData(CONFIG.maxPacketSize(), rto, queue);
    private final Timer t3 = new Timer();
    private final Drops drops = new Drops();
    private final DataSender sender = new DataSender(CONFIG, queue, tx, rto, t3, drops);
    private final PacketBuilder out = new PacketBuilder(CONFIG.maxPacketSize(), 5000, 5000);

    DataSenderTest() {
        sender.init(MY_TSN, 1 << 20, 8, true);
    }

    @Test
    void newDataGoesOutUntilCwndIsFull() {
        for (int i = 0; i < 10; i++) {
            queue(0, 1000, -1);
        }
        List<Integer> tsns = new ArrayList<>();
        while (writeData(0, tsns)) {
            assertTrue(t3.isRunning());
        }
        // Initial cwnd 4404 bytes; a 1000-byte message fills a 1140-byte packet, and what is left
        // of it is too small to start the next message's fragments in.
        assertEquals(List.of(1000, 1001, 1002, 1003, 1004), tsns);
        assertEquals(CONFIG.rtoInitialMillis(), t3.deadline());
        assertTrue(sender.hasDataWaiting());
    }

    @Test
    void aSackThatAdvancesRestartsT3AndOneThatAcksAllStopsIt() {
        queue(0, 100, -1);
        queue(0, 100, -1);
        writeData(0, new ArrayList<>());
        assertTrue(sender.onSack(sack(MY_TSN), 0, 100));
        assertEquals(100 + rto.rto(), t3.deadline());
        assertFalse(sender.onSack(sack(MY_TSN), 0, 150), "nothing new");
        assertTrue(sender.onSack(sack(MY_TSN + 1), 0, 200));
        assertFalse(t3.isRunning());
        assertTrue(sender.isDone());
    }

    @Test
    void aSackForTsnsNeverSentIsCounted() {
        queue(0, 100, -1);
        writeData(0, new ArrayList<>());
        assertFalse(sender.onSack(sack(MY_TSN + 5), 0, 100));
        assertEquals(1, drops.snapshot().get(SctpDropReason.INVALID_SACK));
    }

    @Test
    void afterT3EverythingInFlightGoesAgain() {
        queue(0, 100, -1);
        writeData(0, new ArrayList<>());
        assertTrue(sender.hasOutstanding());
        sender.onT3Expired(CONFIG.rtoInitialMillis());
        List<Integer> again = new ArrayList<>();
        assertTrue(writeData(CONFIG.rtoInitialMillis(), again));
        assertEquals(List.of(MY_TSN), again);
        assertEquals(1, tx.retransmissions);
    }

    @Test
    void anAbandonedMessageIsSkippedByForwardTsn() {
        queue(3, 100, 0);
        writeData(0, new ArrayList<>());
        sender.onT3Expired(500); // out of retransmissions: abandoned
        List<Integer> again = new ArrayList<>();
        assertFalse(writeData(500, again));
        out.begin(1);
        sender.writeForwardTsn(out);
        int c = find(ChunkType.FORWARD_TSN);
        assertEquals(MY_TSN, ForwardTsnChunk.newCumulativeTsn(out.buffer(), c));
        assertEquals(1, ForwardTsnChunk.streamCount(out.buffer(), c));
        assertEquals(3, ForwardTsnChunk.streamId(out.buffer(), c, 0));
        assertEquals(0, ForwardTsnChunk.ssn(out.buffer(), c, 0));
        out.begin(1);
        sender.writeForwardTsn(out);
        assertTrue(out.isEmpty(), "sent once, until T3 says otherwise");
    }

    @Test
    void withoutForwardTsnNothingIsAbandoned() {
        sender.init(MY_TSN, 1 << 20, 8, false);
        queue(3, 100, 0);
        writeData(0, new ArrayList<>());
        sender.onT3Expired(500);
        out.begin(1);
        sender.writeForwardTsn(out);
        assertTrue(out.isEmpty());
        List<Integer> again = new ArrayList<>();
        assertTrue(writeData(500, again));
        assertEquals(List.of(MY_TSN), again);
    }

    @Test
    void aMessageOnAStreamThePeerLacksIsDiscarded() {
        assertTrue(sender.hasStream(7));
        assertFalse(sender.hasStream(8));
        queue(8, 100, -1);
        assertFalse(writeData(0, new ArrayList<>()));
        assertTrue(sender.isDone());
    }

    @Test
    void refusesAMessageTooLargeOrOverTheSendBuffer() {
        byte[] big = new byte[2001];
        assertEquals(SendStatus.TOO_LARGE, sender.queue(0, 53, false, -1, -1, big, 0, 2001, 0));
        for (int i = 0; i < 15; i++) {
            assertEquals(SendStatus.SENT, sender.queue(0, 53, false, -1, -1, big, 0, 2000, 0));
        }
        assertEquals(SendStatus.BUFFER_FULL, sender.queue(0, 53, false, -1, -1, big, 0, 1, 0));
        assertEquals(15, sender.messagesSent());
    }

    private void queue(int sid, int size, int maxRetransmits) {
        assertEquals(SendStatus.SENT, sender.queue(sid, 53, false, maxRetransmits, -1, new byte[size], 0, size, 0));
    }

    /** Fills a fresh packet; adds the TSNs of its DATA chunks. */
    private boolean writeData(long now, List<Integer> tsns) {
        out.begin(1);
        boolean wrote = sender.writeData(out, now, false);
        int n = out.finish();
        ChunkIterator it = new ChunkIterator().reset(out.buffer(), 0, n);
        while (it.next()) {
            if (it.type() == ChunkType.DATA) {
                tsns.add(DataChunk.tsn(out.buffer(), it.offset()));
            }
        }
        return wrote;
    }

    private int find(int type) {
        int n = out.finish();
        ChunkIterator it = new ChunkIterator().reset(out.buffer(), 0, n);
        while (it.next()) {
            if (it.type() == type) {
                return it.offset();
            }
        }
        throw new AssertionError("no chunk of type " + type);
    }

    private static byte[] sack(int cumulativeTsnAck) {
        byte[] b = new byte[SackChunk.FIXED_LENGTH];
        SackChunk.write(b, 0, cumulativeTsnAck, 1 << 20, new int[0], new int[0], 0, new int[0], 0);
        return b;
    }
}
