package org.atrium.rtp;

import static org.atrium.rtp.Bytes.put16;
import static org.atrium.rtp.Bytes.put24;
import static org.atrium.rtp.Bytes.s24;
import static org.atrium.rtp.Bytes.u16;
import static org.atrium.rtp.Bytes.u8;

/**
 * Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * 3.1): transport-layer feedback with FMT 15. This view reads the fixed fields; the packet status
 * chunks and receive deltas follow them at {@link #CHUNKS_OFFSET}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=15 |    PT=205     |           length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      SSRC of media source                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      base sequence number     |      packet status count      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 reference time                | fb pkt. count |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          packet chunk         |         packet chunk          |
 * :                               :                               :
 * |         recv delta            |  recv delta   | zero padding  |
 * </pre>
 *
 * Packet chunks (sections 3.1.3, 3.1.4), one 16-bit word each:
 * <pre>
 * run length:    |0|S S|  run length (13 bits)  |
 * 1-bit vector:  |1|0| 14 symbols: 0 not received, 1 small delta |
 * 2-bit vector:  |1|1| 7 symbols: 00 not received, 01 small delta, 10 large delta, 11 reserved |
 * </pre>
 * A received packet has one receive delta (section 3.1.5), in 250 us ticks from the previous
 * received packet (the first from the reference time): 1 unsigned byte when it is 0..255 ticks
 * ("small"), else 2 signed bytes ("large"). {@link Writer} builds a packet and {@link Reader} walks
 * one, both without allocating.
 */
public final class TransportCcFeedback {
    public static final int CHUNKS_OFFSET = RtcpFeedback.HEADER_LENGTH + 8;
    /** The reference time counts multiples of 64 ms (section 3.1). */
    public static final long REFERENCE_TIME_UNIT_MICROS = 64_000;
    /** Receive deltas count multiples of 250 us (section 3.1.5). */
    public static final long DELTA_UNIT_MICROS = 250;
    /** Packet status symbols (section 3.1.1). */
    public static final int STATUS_NOT_RECEIVED = 0;
    public static final int STATUS_SMALL_DELTA = 1;
    public static final int STATUS_LARGE_DELTA = 2;
    /** The packet status count is a 16-bit field. */
    public static final int MAX_STATUS_COUNT = 0xFFFF;
    /** The shortest packet: fixed fields, one chunk, one large delta, padded to 32 bits. */
    public static final int MIN_LENGTH = 24;

    static final int MAX_RUN_LENGTH = 0x1FFF;
    static final int ONE_BIT_CAPACITY = 14;
    static final int TWO_BIT_CAPACITY = 7;

    private TransportCcFeedback() {
    }

    public static boolean is(byte[] b, int off, int len) {
        return RtcpFeedback.is(b, off, len, RtcpPacketType.RTPFB, RtcpPacketType.FMT_TRANSPORT_CC, 8);
    }

    public static int baseSequence(byte[] b, int off) {
        return u16(b, off + 12);
    }

    public static int packetStatusCount(byte[] b, int off) {
        return u16(b, off + 14);
    }

    /** Signed 24-bit, in units of 64 ms. */
    public static int referenceTime(byte[] b, int off) {
        return s24(b, off + 16);
    }

    public static long referenceTimeMicros(byte[] b, int off) {
        return referenceTime(b, off) * REFERENCE_TIME_UNIT_MICROS;
    }

    /** Counts feedback messages sent, modulo 256, so the media sender can detect lost feedback. */
    public static int feedbackPacketCount(byte[] b, int off) {
        return u8(b, off + 19);
    }

    /**
     * The symbol at {@code index} of a packet chunk: for a run-length chunk the run's symbol, for a
     * vector chunk its {@code index}th entry.
     */
    static int symbol(int chunk, int index) {
        if ((chunk & 0x8000) == 0) {
            return (chunk >>> 13) & 3;
        }
        if ((chunk & 0x4000) == 0) {
            return (chunk >>> (13 - index)) & 1;
        }
        return (chunk >>> (12 - 2 * index)) & 3;
    }

    /** How many statuses a packet chunk carries: its run length, 14 or 7. */
    static int chunkCapacity(int chunk) {
        if ((chunk & 0x8000) == 0) {
            return chunk & MAX_RUN_LENGTH;
        }
        return (chunk & 0x4000) == 0 ? ONE_BIT_CAPACITY : TWO_BIT_CAPACITY;
    }

    /**
     * Builds one feedback packet: {@link #reset}, then {@link #addReceived} for each received
     * packet in increasing transport-wide sequence order (skipped numbers are reported as not
     * received), then {@link #write}. Chunks are chosen as libwebrtc's TransportFeedback chooses
     * them: a run-length chunk while all statuses are equal, else a 1-bit vector of 14 statuses
     * while no delta is large, else a 2-bit vector of 7.
     *
     * <p>Memory is fixed at construction by the largest packet it may build: one char per possible
     * chunk and one short per possible delta (about 1.5 times that size in bytes). Nothing is
     * allocated afterwards. Not thread-safe: one instance per user.
     */
    public static final class Writer {
        private final int capacity;
        private final char[] chunks;
        private final short[] deltas;

        /** The chunk being filled: delta sizes (0 none, 1 small, 2 large) of its first 14 statuses. */
        private final byte[] open = new byte[ONE_BIT_CAPACITY];
        private int openSize;
        private boolean openAllSame;
        private boolean openHasLarge;

        private int chunkCount;
        private int deltaCount;
        private int statusCount;
        /** Bytes used before padding, counting the open chunk once it holds a status. */
        private int sizeBytes;
        private int limit;

        private int baseSequence;
        private int nextSequence;
        private int referenceTime;
        private int feedbackPacketCount;
        /** The reference time plus all deltas added so far, so rounding errors do not accumulate. */
        private long lastMicros;
        private boolean started;

        // State before the current addReceived, restored when it does not fit.
        private final byte[] savedOpen = new byte[ONE_BIT_CAPACITY];
        private int savedOpenSize;
        private boolean savedOpenAllSame;
        private boolean savedOpenHasLarge;
        private int savedChunkCount;
        private int savedStatusCount;
        private int savedSizeBytes;

        /**
         * @param maxLengthBytes the largest packet this writer will build, rounded down to a multiple
         *        of 4; at least {@link #MIN_LENGTH}
         */
        public Writer(int maxLengthBytes) {
            if (maxLengthBytes < MIN_LENGTH || maxLengthBytes > 0x10000 * 4) {
                throw new IllegalArgumentException("maxLengthBytes out of range: " + maxLengthBytes);
            }
            this.capacity = maxLengthBytes & ~3;
            this.chunks = new char[(capacity - CHUNKS_OFFSET) / 2];
            this.deltas = new short[capacity - CHUNKS_OFFSET];
        }

        /**
         * Starts a packet.
         *
         * @param baseSequence the first transport-wide sequence number it reports
         * @param referenceMicros the time deltas count from, floored to 64 ms; normally the arrival
         *        time of the first received packet, so that its delta is small
         * @param feedbackPacketCount this packet's number, modulo 256
         * @param maxLengthBytes this packet's size limit, at most the constructor's
         */
        public void reset(int baseSequence, long referenceMicros, int feedbackPacketCount, int maxLengthBytes) {
            long reference = Math.floorDiv(referenceMicros, REFERENCE_TIME_UNIT_MICROS);
            this.baseSequence = baseSequence & 0xFFFF;
            this.nextSequence = this.baseSequence;
            this.referenceTime = (int) reference & 0xFFFFFF;
            this.feedbackPacketCount = feedbackPacketCount & 0xFF;
            this.lastMicros = reference * REFERENCE_TIME_UNIT_MICROS;
            this.limit = Math.min(capacity, maxLengthBytes) & ~3;
            this.chunkCount = 0;
            this.deltaCount = 0;
            this.statusCount = 0;
            this.sizeBytes = CHUNKS_OFFSET;
            this.openSize = 0;
            this.openAllSame = true;
            this.openHasLarge = false;
            this.started = true;
        }

        /**
         * Reports {@code sequence} received at {@code arrivalMicros}, and every number between the
         * previous one added (or the base) and it as not received. Returns false, changing nothing,
         * when the packet must go in the next feedback instead: its delta from the previous received
         * packet does not fit 16 bits (about +-8.2 s), it is not after the previous one, or the
         * packet would exceed its size limit or 65535 statuses.
         */
        public boolean addReceived(int sequence, long arrivalMicros) {
            if (!started) {
                throw new IllegalStateException("reset first");
            }
            long delta = arrivalMicros - lastMicros;
            // Rounded to the nearest tick, as libwebrtc does; lastMicros then follows the rounded
            // values so the sender reconstructs every arrival within half a tick.
            long ticks = delta >= 0
                ? (delta + DELTA_UNIT_MICROS / 2) / DELTA_UNIT_MICROS
                : -((-delta + DELTA_UNIT_MICROS / 2) / DELTA_UNIT_MICROS);
            if (ticks < Short.MIN_VALUE || ticks > Short.MAX_VALUE) {
                return false;
            }
            int gap = (sequence - nextSequence) & 0xFFFF;
            if (statusCount > 0 && gap >= 0x8000) {
                return false;
            }
            if (statusCount + gap + 1 > MAX_STATUS_COUNT) {
                return false;
            }
            save();
            for (int i = 0; i < gap; i++) {
                if (!addStatus(0)) {
                    restore();
                    return false;
                }
            }
            if (!addStatus(ticks >= 0 && ticks <= 0xFF ? 1 : 2)) {
                restore();
                return false;
            }
            deltas[deltaCount++] = (short) ticks;
            lastMicros += ticks * DELTA_UNIT_MICROS;
            nextSequence = (sequence + 1) & 0xFFFF;
            return true;
        }

        public int packetStatusCount() {
            return statusCount;
        }

        /** The length {@link #write} will produce, padding included. */
        public int lengthInBytes() {
            return HeaderExtensions.pad4(sizeBytes);
        }

        /**
         * Writes the packet at {@code off}. Padding to 32 bits follows RFC 3550 6.4.1 (P bit set,
         * last octet the padding count), as libwebrtc writes it. Returns the length, or -1 when it
         * does not fit in {@code b}.
         *
         * @throws IllegalStateException when no packet was added: an empty report is not allowed
         */
        public int write(byte[] b, int off, long senderSsrc, long mediaSsrc) {
            if (statusCount == 0) {
                throw new IllegalStateException("no packet added");
            }
            int length = lengthInBytes();
            if (!Bytes.hasRoom(b, off, length)) {
                return -1;
            }
            RtcpFeedback.writeHeader(b, off, RtcpPacketType.RTPFB, RtcpPacketType.FMT_TRANSPORT_CC, length,
                senderSsrc, mediaSsrc);
            put16(b, off + 12, baseSequence);
            put16(b, off + 14, statusCount);
            put24(b, off + 16, referenceTime);
            b[off + 19] = (byte) feedbackPacketCount;
            int pos = off + CHUNKS_OFFSET;
            for (int i = 0; i < chunkCount; i++, pos += 2) {
                put16(b, pos, chunks[i]);
            }
            if (openSize > 0) {
                put16(b, pos, encodeLast());
                pos += 2;
            }
            for (int i = 0; i < deltaCount; i++) {
                int ticks = deltas[i];
                if (ticks >= 0 && ticks <= 0xFF) {
                    b[pos++] = (byte) ticks;
                } else {
                    put16(b, pos, ticks);
                    pos += 2;
                }
            }
            int padding = off + length - pos;
            if (padding > 0) {
                for (; pos < off + length - 1; pos++) {
                    b[pos] = 0;
                }
                b[pos] = (byte) padding;
                b[off] |= 0x20;
            }
            return length;
        }

        /** Adds one status of delta size {@code size}; false when the size limit forbids it. */
        private boolean addStatus(int size) {
            int newChunk = openSize == 0 ? 2 : 0;
            if (HeaderExtensions.pad4(sizeBytes + newChunk + size) > limit) {
                return false;
            }
            if (canAddToOpen(size)) {
                sizeBytes += newChunk + size;
                addToOpen(size);
                statusCount++;
                return true;
            }
            // Emitting the open chunk leaves a non-empty open chunk behind it: one more chunk.
            if (HeaderExtensions.pad4(sizeBytes + 2 + size) > limit) {
                return false;
            }
            chunks[chunkCount++] = (char) emit();
            sizeBytes += 2 + size;
            addToOpen(size);
            statusCount++;
            return true;
        }

        private boolean canAddToOpen(int size) {
            if (openSize < TWO_BIT_CAPACITY) {
                return true;
            }
            if (openSize < ONE_BIT_CAPACITY && !openHasLarge && size != 2) {
                return true;
            }
            return openSize < MAX_RUN_LENGTH && openAllSame && open[0] == size;
        }

        private void addToOpen(int size) {
            if (openSize < ONE_BIT_CAPACITY) {
                open[openSize] = (byte) size;
            }
            openSize++;
            openAllSame &= size == open[0];
            openHasLarge |= size == 2;
        }

        /** Closes the open chunk (or its first 7 statuses as a 2-bit vector) and returns it. */
        private int emit() {
            if (openAllSame) {
                int chunk = runLength();
                clearOpen();
                return chunk;
            }
            if (openSize == ONE_BIT_CAPACITY) {
                int chunk = oneBit(ONE_BIT_CAPACITY);
                clearOpen();
                return chunk;
            }
            // 7..13 mixed statuses with a large delta arriving: the first 7 go in a 2-bit vector.
            int chunk = twoBit(TWO_BIT_CAPACITY);
            int left = openSize - TWO_BIT_CAPACITY;
            openSize = 0;
            openAllSame = true;
            openHasLarge = false;
            for (int i = 0; i < left; i++) {
                addToOpen(open[TWO_BIT_CAPACITY + i]);
            }
            return chunk;
        }

        private int encodeLast() {
            if (openAllSame) {
                return runLength();
            }
            return openSize <= TWO_BIT_CAPACITY ? twoBit(openSize) : oneBit(openSize);
        }

        private int runLength() {
            return open[0] << 13 | openSize;
        }

        private int oneBit(int count) {
            int chunk = 0x8000;
            for (int i = 0; i < count; i++) {
                chunk |= open[i] << (13 - i);
            }
            return chunk;
        }

        private int twoBit(int count) {
            int chunk = 0xC000;
            for (int i = 0; i < count; i++) {
                chunk |= open[i] << (12 - 2 * i);
            }
            return chunk;
        }

        private void clearOpen() {
            openSize = 0;
            openAllSame = true;
            openHasLarge = false;
        }

        private void save() {
            System.arraycopy(open, 0, savedOpen, 0, ONE_BIT_CAPACITY);
            savedOpenSize = openSize;
            savedOpenAllSame = openAllSame;
            savedOpenHasLarge = openHasLarge;
            savedChunkCount = chunkCount;
            savedStatusCount = statusCount;
            savedSizeBytes = sizeBytes;
        }

        private void restore() {
            System.arraycopy(savedOpen, 0, open, 0, ONE_BIT_CAPACITY);
            openSize = savedOpenSize;
            openAllSame = savedOpenAllSame;
            openHasLarge = savedOpenHasLarge;
            chunkCount = savedChunkCount;
            statusCount = savedStatusCount;
            sizeBytes = savedSizeBytes;
        }
    }

    /**
     * Walks the packet statuses of a feedback packet in sequence order: {@link #reset} checks the
     * whole packet (chunks cover the status count, no reserved symbol, deltas inside the FCI), then
     * {@link #next} yields one status per call. Allocation-free and O(1) memory; not thread-safe.
     */
    public static final class Reader {
        private byte[] b;
        private int statusCount;
        private int index;
        private int baseSequence;
        private int chunkPos;
        private int deltaPos;
        private int chunk;
        private int chunkIndex;
        private int chunkLeft;
        private int sequence;
        private int status;
        private int deltaTicks;
        private long arrivalMicros;

        /**
         * Starts reading the transport-cc packet at {@code [off, off + len)}. Returns false, and
         * {@link #next} then returns false, when it is not one or is malformed: no status, too few
         * chunks, a reserved 2-bit symbol (libwebrtc rejects those too) or deltas past its end.
         */
        public boolean reset(byte[] b, int off, int len) {
            this.b = b;
            this.statusCount = 0;
            this.index = 0;
            if (!is(b, off, len)) {
                return false;
            }
            int count = packetStatusCount(b, off);
            if (count == 0) {
                return false;
            }
            int end = RtcpFeedback.fciOffset(b, off) + RtcpFeedback.fciLength(b, off);
            int pos = off + CHUNKS_OFFSET;
            int remaining = count;
            int deltaBytes = 0;
            while (remaining > 0) {
                if (pos + 2 > end) {
                    return false;
                }
                int c = u16(b, pos);
                pos += 2;
                int n = Math.min(remaining, chunkCapacity(c));
                if ((c & 0x8000) == 0) {
                    int s = symbol(c, 0);
                    if (s == 3 && n > 0) {
                        return false;
                    }
                    deltaBytes += s * n;
                } else {
                    for (int i = 0; i < n; i++) {
                        int s = symbol(c, i);
                        if (s == 3) {
                            return false;
                        }
                        deltaBytes += s;
                    }
                }
                remaining -= n;
            }
            if (pos + deltaBytes > end) {
                return false;
            }
            this.statusCount = count;
            this.baseSequence = baseSequence(b, off);
            this.chunkPos = off + CHUNKS_OFFSET;
            this.deltaPos = pos;
            this.chunkLeft = 0;
            this.arrivalMicros = referenceTimeMicros(b, off);
            return true;
        }

        /** Advances to the next status; false after the last. */
        public boolean next() {
            if (index >= statusCount) {
                return false;
            }
            while (chunkLeft == 0) {
                chunk = u16(b, chunkPos);
                chunkPos += 2;
                chunkLeft = chunkCapacity(chunk);
                chunkIndex = 0;
            }
            status = symbol(chunk, chunkIndex++);
            chunkLeft--;
            if (status == STATUS_SMALL_DELTA) {
                deltaTicks = u8(b, deltaPos);
                deltaPos += 1;
            } else if (status == STATUS_LARGE_DELTA) {
                deltaTicks = (short) u16(b, deltaPos);
                deltaPos += 2;
            } else {
                deltaTicks = 0;
            }
            arrivalMicros += deltaTicks * DELTA_UNIT_MICROS;
            sequence = (baseSequence + index) & 0xFFFF;
            index++;
            return true;
        }

        /** The transport-wide sequence number of the current status. */
        public int sequence() {
            return sequence;
        }

        /** {@link #STATUS_NOT_RECEIVED}, {@link #STATUS_SMALL_DELTA} or {@link #STATUS_LARGE_DELTA}. */
        public int status() {
            return status;
        }

        public boolean received() {
            return status != STATUS_NOT_RECEIVED;
        }

        /** The receive delta in 250 us ticks; 0 when not received. */
        public int deltaTicks() {
            return deltaTicks;
        }

        /**
         * The arrival time of the current packet on the receiver's clock: reference time plus the
         * deltas so far. For a packet not received, that of the last received one.
         */
        public long arrivalMicros() {
            return arrivalMicros;
        }
    }
}
