package org.atrium.sfu.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TcpSendQueueTest {

    /** A peer that stops reading blocks the TCP write; the caller must not wait with it. */
    @Test
    void aBlockedWriteNeverBlocksTheCallerAndAFullQueueDrops() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch windowOpens = new CountDownLatch(1);
        List<Integer> sent = new CopyOnWriteArrayList<>();
        try (TcpSendQueue queue = new TcpSendQueue("test", (b, off, len) -> {
            writing.countDown();
            try {
                windowOpens.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sent.add((b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF));
        })) {
            assertTrue(queue.offer(packet(0), 1, 2));
            assertTrue(writing.await(5, TimeUnit.SECONDS));
            long start = System.nanoTime();
            for (int i = 1; i <= TcpSendQueue.CAPACITY; i++) {
                assertTrue(queue.offer(packet(i), 1, 2), "packet " + i);
            }
            assertFalse(queue.offer(packet(9999), 1, 2), "dropped when full");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "the caller never waited");
            windowOpens.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (sent.size() < TcpSendQueue.CAPACITY + 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(TcpSendQueue.CAPACITY + 1, sent.size());
            for (int i = 0; i < sent.size(); i++) {
                assertEquals(i, sent.get(i), "in order");
            }
        }
    }

    @Test
    void closedQueueTakesNothing() {
        TcpSendQueue queue = new TcpSendQueue("closed", (b, off, len) -> { });
        queue.close();
        assertFalse(queue.offer(new byte[3], 0, 3));
    }

    /** The sequence number at offset 1, with a byte before it so that the copy honours the offset. */
    private static byte[] packet(int sequence) {
        return new byte[] {(byte) 0xEE, (byte) (sequence >> 8), (byte) sequence};
    }
}
