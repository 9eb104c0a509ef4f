package org.atrium.sfu.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.atrium.rtp.RtpPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacketCacheTest {
    static final long MS = 1_000_000L;
    static final long MAX_AGE = 1000 * MS;

    /** A VP8-like packet at offset 4 of a larger buffer: header, then {@code payload} bytes of value {@code seq}. */
    static byte[] packet(int seq, int payload) {
        byte[] b = new byte[4 + 12 + payload + 3];
        Arrays.fill(b, (byte) 0xEE);
        RtpPacket.writeHeader(b, 4, false, 96, seq, 90_000L * seq, 0x11223344L);
        Arrays.fill(b, 16, 16 + payload, (byte) seq);
        return b;
    }

    static int length(byte[] packet) {
        return packet.length - 7;
    }

    static void put(PacketCache cache, int seq, long now) {
        byte[] p = packet(seq, 20 + (seq & 0x3F));
        assertTrue(cache.put(p, 4, length(p), now), "put " + seq);
    }

    static void assertCached(PacketCache cache, int seq, long now) {
        byte[] want = packet(seq, 20 + (seq & 0x3F));
        byte[] dst = new byte[PacketCache.SLOT_SIZE + 8];
        int n = cache.get(seq, dst, 8, now);
        assertEquals(length(want), n, "length of " + seq);
        assertArrayEquals(Arrays.copyOfRange(want, 4, 4 + n), Arrays.copyOfRange(dst, 8, 8 + n), "bytes of " + seq);
        assertTrue(cache.contains(seq));
    }

    static void assertMissing(PacketCache cache, int seq, long now) {
        assertEquals(-1, cache.get(seq, new byte[PacketCache.SLOT_SIZE], 0, now), "get " + seq);
    }

    @Test
    void returnsStoredPacketsAndMissesOthers() {
        PacketCache cache = new PacketCache(512, MAX_AGE);
        put(cache, 1000, 0);
        put(cache, 1001, MS);
        put(cache, 1003, 2 * MS);

        assertCached(cache, 1000, 3 * MS);
        assertCached(cache, 1001, 3 * MS);
        assertCached(cache, 1003, 3 * MS);
        assertMissing(cache, 1002, 3 * MS);
        assertFalse(cache.contains(1002));
        assertMissing(cache, 1004, 3 * MS);
        assertMissing(cache, 1000 + 512, 3 * MS);
    }

    @Test
    void emptyCacheMissesEverything() {
        PacketCache cache = new PacketCache(16, MAX_AGE);

        assertMissing(cache, 0, 0);
        assertFalse(cache.contains(0));
        assertEquals(-1, cache.highestSequence());
    }

    /** Regression: an unwritten slot (sequence -1) once matched 16-bit sequence 65535. */
    @Test
    void neverWrittenSlotMatchesNothing() {
        PacketCache cache = new PacketCache(16, MAX_AGE);
        put(cache, 0, 0);

        assertMissing(cache, 65535, 0);
        assertFalse(cache.contains(65535));
        assertMissing(cache, 65521, 0);
    }

    @Test
    void sequenceWrapKeepsBothSides() {
        PacketCache cache = new PacketCache(8, MAX_AGE);
        for (int seq : new int[] {65533, 65534, 65535, 0, 1, 2}) {
            put(cache, seq, 0);
        }

        for (int seq : new int[] {65533, 65534, 65535, 0, 1, 2}) {
            assertCached(cache, seq, 0);
        }
        assertEquals((1L << 16) + 65533 + 5, cache.highestSequence());
    }

    @Test
    void newPacketsOverwriteTheOldestSlots() {
        PacketCache cache = new PacketCache(4, MAX_AGE);
        for (int seq = 10; seq <= 15; seq++) {
            put(cache, seq, 0);
        }

        assertMissing(cache, 10, 0);
        assertMissing(cache, 11, 0);
        assertFalse(cache.contains(11));
        for (int seq = 12; seq <= 15; seq++) {
            assertCached(cache, seq, 0);
        }
    }

    @Test
    void latePacketTakesItsOwnSlotButTooLateIsRefused() {
        PacketCache cache = new PacketCache(4, MAX_AGE);
        put(cache, 100, 0);
        put(cache, 102, 0);
        put(cache, 101, MS);   // reordered, or recovered by RTX

        assertCached(cache, 100, MS);
        assertCached(cache, 101, MS);
        assertCached(cache, 102, MS);
        assertEquals((1L << 16) + 102, cache.highestSequence());

        put(cache, 103, MS);
        byte[] old = packet(99, 20);
        assertFalse(cache.put(old, 4, length(old), MS), "older than the ring");
        assertCached(cache, 100, MS);
    }

    @Test
    void packetsOlderThanMaxAgeAreNotReturned() {
        PacketCache cache = new PacketCache(512, MAX_AGE);
        put(cache, 7, 5 * MS);

        assertCached(cache, 7, 5 * MS + MAX_AGE);
        assertMissing(cache, 7, 5 * MS + MAX_AGE + 1);
        assertTrue(cache.contains(7), "still known as received");
    }

    @ParameterizedTest
    @ValueSource(ints = {11, PacketCache.SLOT_SIZE + 1})
    void refusesPacketsThatAreTooShortOrTooLarge(int len) {
        PacketCache cache = new PacketCache(16, MAX_AGE);
        byte[] b = new byte[Math.max(len, 12)];
        RtpPacket.writeHeader(b, 0, false, 96, 1, 0, 1);

        assertFalse(cache.put(b, 0, len, 0));
        assertMissing(cache, 1, 0);
    }

    @Test
    void keepsTheLargestPacketAndRefusesAShortDestination() {
        PacketCache cache = new PacketCache(16, MAX_AGE);
        byte[] b = new byte[PacketCache.SLOT_SIZE];
        RtpPacket.writeHeader(b, 0, false, 96, 9, 0, 1);
        b[PacketCache.SLOT_SIZE - 1] = 0x5A;
        assertTrue(cache.put(b, 0, b.length, 0));

        byte[] dst = new byte[PacketCache.SLOT_SIZE];
        assertEquals(PacketCache.SLOT_SIZE, cache.get(9, dst, 0, 0));
        assertArrayEquals(b, dst);
        assertEquals(-1, cache.get(9, dst, 1, 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 1 << 16, -8})
    void rejectsCapacitiesThatAreNotPowersOfTwoInRange(int capacity) {
        assertThrows(IllegalArgumentException.class, () -> new PacketCache(capacity, MAX_AGE));
    }

    /**
     * One writer filling a small ring fast, readers asking for recent sequence numbers: every hit
     * must be exactly the packet asked for (right sequence number, length and payload), never a mix
     * of two packets. Packets differ in length and content, so a torn copy shows.
     */
    @Test
    @Timeout(20)
    void concurrentReadersNeverSeeATornPacket() throws InterruptedException {
        PacketCache cache = new PacketCache(16, Long.MAX_VALUE);
        byte[][] packets = new byte[1 << 16][];
        for (int seq = 0; seq < packets.length; seq++) {
            packets[seq] = packet(seq, 100 + (seq * 7) % 1300);
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong hits = new AtomicLong();
        Thread[] readers = new Thread[3];
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(() -> {
                byte[] dst = new byte[PacketCache.SLOT_SIZE];
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!done.get() && failure.get() == null) {
                    long top = cache.highestSequence();
                    if (top < 0) {
                        continue;
                    }
                    int seq = (int) ((top - random.nextInt(20)) & 0xFFFF);
                    int n = cache.get(seq, dst, 0, 0);
                    if (n < 0) {
                        continue;
                    }
                    byte[] want = packets[seq];
                    if (n != length(want) || RtpPacket.sequenceNumber(dst, 0) != seq
                            || !Arrays.equals(want, 4, 4 + n, dst, 0, n)) {
                        failure.compareAndSet(null, "torn read of " + seq + ": length " + n);
                    }
                    hits.incrementAndGet();
                }
            });
            readers[r].setDaemon(true);
            readers[r].setUncaughtExceptionHandler((t, e) -> failure.compareAndSet(null, e.toString()));
            readers[r].start();
        }
        // Write until the readers have checked enough hits (a loaded machine may schedule them
        // late), at least a few times round the sequence space, and at most for 10 s.
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (int round = 0; failure.get() == null && System.nanoTime() - deadline < 0
                && (round < 4 || hits.get() < 100_000); round++) {
            for (int i = 0; i < packets.length; i++) {
                int seq = (round * packets.length + i) & 0xFFFF;
                cache.put(packets[seq], 4, length(packets[seq]), 0);
            }
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join(10_000);
        }

        assertEquals(null, failure.get());
        assertTrue(hits.get() >= 100_000, "readers hit only " + hits.get() + " times");
    }
}
