package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.atrium.sctp.packet.DataChunk;
import org.atrium.sctp.packet.ForwardTsnChunk;
import org.atrium.sctp.packet.PacketBuilder;
import org.atrium.sctp.packet.SackChunk;
import org.atrium.sctp.packet.SctpPacket;
import org.junit.jupiter.api.Test;

/** The receiving side of DATA: when a SACK goes out (RFC 9260 6.2), the window, FORWARD TSN (RFC 3758 3.6). */
class DataReceiverTest {
    private static final SctpConfig CONFIG = SctpConfig.DEFAULTS.withMaxMessageSize(2000).withReceiveWindow(4000);
    private static final int WHOLE = DataChunk.FLAG_BEGIN | DataChunk.FLAG_END;

    private final List<byte[]> delivered = new ArrayList<>();
    private final Drops drops = new Drops();
    private final Timer delayedAck = new Timer();
    private final Reassembly reassembly = new Reassembly(CONFIG.maxMessageSize(), new Reassembly.Sink() {
        @Override
        public void deliver(int streamId, int ppid, byte[] message) {
            delivered.add(message);
        }

        @Override
        public void tooLarge(int streamId) {
        }
    });
    private final DataReceiver receiver = new DataReceiver(CONFIG, new ReceivedTsns(), reassembly,
        new RtoEstimator(CONFIG), delayedAck, drops);
    private final PacketBuilder out = new PacketBuilder(CONFIG.maxPacketSize(), 5000, 5000);
    private long now = 1000;

    DataReceiverTest() {
        receiver.init(100, 10);
    }

    @Test
    void aLonePacketIsAcknowledgedAfterTheDelayOrWithOurData() {
        packet(chunk(100, 0, WHOLE, 10));
        assertEquals(1, delivered.size());
        assertEquals(now + Math.min(CONFIG.delayedAckMillis(), CONFIG.rtoInitialMillis() / 2), delayedAck.deadline());
        assertFalse(sack(false), "not due yet");
        assertTrue(sack(true), "pending, and DATA goes out anyway");
        assertFalse(delayedAck.isRunning());
    }

    @Test
    void theDelayedAckTimerMakesItDue() {
        packet(chunk(100, 0, WHOLE, 10));
        receiver.onDelayedAckTimer();
        assertTrue(sack(false));
        assertFalse(sack(false), "once");
    }

    @Test
    void everySecondPacketIsAcknowledgedAtOnce() {
        packet(chunk(100, 0, WHOLE, 10));
        packet(chunk(101, 0, WHOLE, 10));
        assertTrue(sack(false));
    }

    @Test
    void aGapADuplicateOrAnIBitIsAcknowledgedAtOnce() {
        packet(chunk(101, 0, WHOLE, 10));
        assertTrue(sack(false), "gap");
        assertEquals(1, SackChunk.gapCount(out.buffer(), SctpPacket.HEADER_LENGTH));
        packet(chunk(100, 0, WHOLE, 10));
        assertTrue(sack(false), "the gap was there when the packet came");
        packet(chunk(101, 0, WHOLE, 10));
        assertTrue(sack(false), "duplicate");
        assertEquals(1, SackChunk.duplicateCount(out.buffer(), SctpPacket.HEADER_LENGTH));
        packet(chunk(102, 0, WHOLE | DataChunk.FLAG_IMMEDIATE, 10));
        assertTrue(sack(false), "I bit");
    }

    @Test
    void newDataPastAFullWindowIsDroppedButGapsAreStillFilled() {
        packet(chunk(100, 0, DataChunk.FLAG_BEGIN, 1500)); // held until its end comes
        packet(chunk(102, 1, DataChunk.FLAG_BEGIN, 1500));
        packet(chunk(103, 1, 0, 1500));
        assertEquals(1, drops.snapshot().get(SctpDropReason.RECEIVE_WINDOW_FULL));
        packet(chunk(101, 0, DataChunk.FLAG_END, 10));
        assertEquals(1, delivered.size(), "the gap below the highest TSN was taken");
    }

    @Test
    void dataOnAStreamThePeerDidNotAnnounceIsAcknowledgedNotDelivered() {
        packet(chunk(100, 10, WHOLE, 10));
        assertEquals(0, delivered.size());
        assertEquals(1, drops.snapshot().get(SctpDropReason.DATA_ON_UNKNOWN_STREAM));
        assertTrue(sack(true));
        assertEquals(100, SackChunk.cumulativeTsnAck(out.buffer(), SctpPacket.HEADER_LENGTH));
    }

    @Test
    void forwardTsnSkipsAbandonedFragmentsAndIsAcknowledgedAtOnce() {
        packet(chunk(100, 0, DataChunk.FLAG_BEGIN, 100));
        packet(chunk(102, 0, WHOLE, 10)); // SSN 1, waits for SSN 0
        sack(false);
        byte[] forward = new byte[32];
        ForwardTsnChunk.write(forward, 0, 101, new int[] {0}, new int[] {0}, 1);
        receiver.beginPacket();
        receiver.onForwardTsn(forward, 0);
        receiver.endPacket(now);
        assertEquals(102, receiver.cumulativeTsn());
        assertEquals(1, delivered.size(), "SSN 0 skipped, SSN 1 delivered");
        assertEquals(0, reassembly.held());
        assertTrue(sack(false));
    }

    private void packet(byte[] chunk) {
        receiver.beginPacket();
        receiver.onData(chunk, 0);
        receiver.endPacket(now);
    }

    /** A DATA chunk on {@code sid} with SSN 0, or 1 for TSN 102 and up. */
    private static byte[] chunk(int tsn, int sid, int flags, int size) {
        byte[] b = new byte[DataChunk.HEADER_LENGTH + size + 3];
        DataChunk.write(b, 0, flags, tsn, sid, tsn >= 102 ? 1 : 0, 53, new byte[size], 0, size);
        return b;
    }

    /** Whether a SACK was written into a fresh packet. */
    private boolean sack(boolean withData) {
        out.begin(1);
        receiver.writeSack(out, withData);
        return !out.isEmpty();
    }
}
