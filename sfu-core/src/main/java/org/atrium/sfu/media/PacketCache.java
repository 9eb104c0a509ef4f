package org.atrium.sfu.media;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.atrium.rtp.RtpPacket;

/**
 * The last packets of one producer, as the SFU received them (decrypted, before any consumer's
 * rewriting), so that a receiver's NACK (RFC 4585 6.2.1) can be answered without asking the
 * publisher.
 *
 * <p>A ring of {@code capacity} preallocated slots of {@link #SLOT_SIZE} bytes, the slot chosen by
 * the extended sequence number modulo the capacity. Memory: {@code capacity × 1500} bytes of
 * packet data plus 24 bytes of bookkeeping per slot (about 780 KB for 512 slots), all allocated by
 * the constructor.
 *
 * <p>Thread-safety: one writer ({@link #put}, the publisher's receive thread) and any number of
 * concurrent readers ({@link #get}, {@link #contains}, from the receivers' receive threads). Each
 * slot is a seqlock: the writer makes its version odd, writes, then makes it even again; a reader
 * copies the slot and keeps the copy only if the version was even and unchanged. Readers never
 * block the writer and take no lock; a reader that races with the overwrite of its slot gets a
 * miss, which is right since the packet it asked for is being evicted. Calls to {@link #put} from
 * more than one thread at a time must be serialised by the caller.
 */
public final class PacketCache {

    /** Largest packet stored; larger ones are not cached (they are not forwarded either). */
    public static final int SLOT_SIZE = 1500;

    /** Largest capacity: half the 16-bit sequence space, so that a 16-bit NACK names one slot. */
    public static final int MAX_CAPACITY = 1 << 15;

    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle HIGHEST;

    static {
        try {
            HIGHEST = MethodHandles.lookup().findVarHandle(PacketCache.class, "highest", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int mask;
    private final long maxAgeNanos;
    private final byte[] data;
    private final int[] lengths;
    private final long[] sequences;
    private final long[] storedNanos;
    /** Per slot: even when stable, odd while the writer changes it. */
    private final int[] versions;

    /** Highest extended sequence number stored, or -1 before the first packet; written by the writer only. */
    @SuppressWarnings("unused")
    private volatile long highest = -1;

    /**
     * @param capacity slots, a power of two from 1 to {@link #MAX_CAPACITY}; 512 holds about
     *     a second of 4 Mbit/s video
     * @param maxAgeNanos packets stored longer ago than this are not returned: a retransmission
     *     that late would arrive after the receiver's jitter buffer gave up on it
     */
    public PacketCache(int capacity, long maxAgeNanos) {
        if (capacity < 1 || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two in [1, 32768]: " + capacity);
        }
        if (maxAgeNanos <= 0) {
            throw new IllegalArgumentException("maxAgeNanos must be positive: " + maxAgeNanos);
        }
        this.mask = capacity - 1;
        this.maxAgeNanos = maxAgeNanos;
        this.data = new byte[capacity * SLOT_SIZE];
        this.lengths = new int[capacity];
        this.sequences = new long[capacity];
        this.storedNanos = new long[capacity];
        this.versions = new int[capacity];
        Arrays.fill(sequences, -1);
    }

    public int capacity() {
        return mask + 1;
    }

    /**
     * Stores a copy of a packet; the caller keeps ownership of {@code b}. Its sequence number is
     * extended against the highest stored so far, so a packet arriving late (reordered, or
     * recovered by RTX from the publisher) goes into its own slot unless the ring has moved more
     * than {@link #capacity()} past it.
     *
     * @return false, storing nothing, when the packet is too short, larger than
     *     {@link #SLOT_SIZE}, or older than the ring holds
     */
    public boolean put(byte[] b, int off, int len, long nowNanos) {
        if (len < RtpPacket.FIXED_HEADER_LENGTH || len > SLOT_SIZE) {
            return false;
        }
        long top = highest;
        long sequence = extend(RtpPacket.sequenceNumber(b, off), top);
        if (top >= 0 && sequence <= top - capacity()) {
            return false;
        }
        int slot = (int) (sequence & mask);
        int version = versions[slot];
        INTS.setOpaque(versions, slot, version + 1);
        // The odd version must be visible before any byte of the slot changes.
        VarHandle.storeStoreFence();
        System.arraycopy(b, off, data, slot * SLOT_SIZE, len);
        lengths[slot] = len;
        sequences[slot] = sequence;
        storedNanos[slot] = nowNanos;
        INTS.setRelease(versions, slot, version + 2);
        if (sequence > top) {
            HIGHEST.setRelease(this, sequence);
        }
        return true;
    }

    /**
     * Copies the packet with this 16-bit sequence number into {@code dst} if it is stored and
     * was stored no more than the maximum age before {@code nowNanos}.
     *
     * @param dst needs {@link #SLOT_SIZE} bytes of room from {@code dstOff}; on a miss its content
     *     there is unspecified
     * @return the packet's length, or -1
     */
    public int get(int sequence, byte[] dst, int dstOff, long nowNanos) {
        long extended = inWindow(sequence);
        if (extended < 0) {
            return -1;
        }
        int slot = (int) (extended & mask);
        int version = (int) INTS.getAcquire(versions, slot);
        if ((version & 1) != 0) {
            return -1;
        }
        int len = lengths[slot];
        long stored = sequences[slot];
        long storedAt = storedNanos[slot];
        if (stored != extended || nowNanos - storedAt > maxAgeNanos
                || len > SLOT_SIZE || dstOff < 0 || dstOff > dst.length - len) {
            return -1;
        }
        System.arraycopy(data, slot * SLOT_SIZE, dst, dstOff, len);
        // Every read of the slot above must happen before the version is read again.
        VarHandle.acquireFence();
        return (int) INTS.getOpaque(versions, slot) == version ? len : -1;
    }

    /**
     * True when the packet with this 16-bit sequence number is stored, whatever its age: it was
     * received (and so forwarded) already. For telling a duplicate from a recovered packet.
     */
    public boolean contains(int sequence) {
        long extended = inWindow(sequence);
        if (extended < 0) {
            return false;
        }
        int slot = (int) (extended & mask);
        int version = (int) INTS.getAcquire(versions, slot);
        long stored = sequences[slot];
        VarHandle.acquireFence();
        return (version & 1) == 0 && stored == extended
                && (int) INTS.getOpaque(versions, slot) == version;
    }

    /** Highest extended sequence number stored, or -1 when empty. */
    public long highestSequence() {
        return (long) HIGHEST.getAcquire(this);
    }

    /**
     * The extended sequence number of a 16-bit one, or -1 when it is outside the ring's window.
     * Slots compare it whole, so a never-written slot (sequence -1) matches nothing.
     */
    private long inWindow(int sequence) {
        long top = (long) HIGHEST.getAcquire(this);
        if (top < 0) {
            return -1;
        }
        long extended = extend(sequence & 0xFFFF, top);
        if (extended > top || extended <= top - capacity()) {
            return -1;
        }
        return extended;
    }

    /**
     * The extended sequence number closest to {@code top} whose low 16 bits are {@code sequence}
     * (RFC 3550 A.1); the first packet gets a cycle count of 1 so that it never goes negative.
     */
    static long extend(int sequence, long top) {
        if (top < 0) {
            return (1L << 16) + sequence;
        }
        int delta = (short) (sequence - (int) (top & 0xFFFF));
        return top + delta;
    }
}
