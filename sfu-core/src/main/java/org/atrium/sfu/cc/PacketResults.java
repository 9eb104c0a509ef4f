package org.atrium.sfu.cc;

/**
 * The packets one transport-cc feedback reported, matched to what was sent: a reusable buffer
 * filled by {@link TransportCcFeedbackAdapter}, valid until its next feedback. Entries are in
 * feedback (sequence) order; {@link #receivedInArrivalOrder} lists the received ones by receive
 * time, which is the order the delay-based estimator needs (the network may reorder packets).
 *
 * <p>Send times are on the sender's clock, receive times on the receiver's clock shifted to
 * roughly the sender's (only their differences carry meaning); both in microseconds. Arrays are
 * sized at construction, nothing is allocated when filling.
 */
public final class PacketResults {
    private final long[] sequences;
    private final long[] sendMicros;
    private final long[] receiveMicros;
    private final int[] sizes;
    private final int[] probeClusters;
    private final boolean[] received;
    private final int[] arrivalOrder;
    private int count;
    private int receivedCount;
    private int receivedBytes;

    public PacketResults(int capacity) {
        sequences = new long[capacity];
        sendMicros = new long[capacity];
        receiveMicros = new long[capacity];
        sizes = new int[capacity];
        probeClusters = new int[capacity];
        received = new boolean[capacity];
        arrivalOrder = new int[capacity];
    }

    void clear() {
        count = 0;
        receivedCount = 0;
        receivedBytes = 0;
    }

    /** Adds one entry; {@code receive} is ignored when not received. False when full. */
    boolean add(long sequence, long send, int size, int probeCluster, boolean wasReceived, long receive) {
        if (count == sequences.length) {
            return false;
        }
        sequences[count] = sequence;
        sendMicros[count] = send;
        sizes[count] = size;
        probeClusters[count] = probeCluster;
        received[count] = wasReceived;
        receiveMicros[count] = wasReceived ? receive : 0;
        if (wasReceived) {
            insertByArrival(count);
            receivedBytes += size;
        }
        count++;
        return true;
    }

    /** Insertion sort: feedback is nearly in arrival order already, so this is about O(1) a packet. */
    private void insertByArrival(int index) {
        int i = receivedCount++;
        long t = receiveMicros[index];
        while (i > 0) {
            int prev = arrivalOrder[i - 1];
            if (receiveMicros[prev] < t || receiveMicros[prev] == t && sequences[prev] < sequences[index]) {
                break;
            }
            arrivalOrder[i] = prev;
            i--;
        }
        arrivalOrder[i] = index;
    }

    public int count() {
        return count;
    }

    public int receivedCount() {
        return receivedCount;
    }

    public int lostCount() {
        return count - receivedCount;
    }

    public int receivedBytes() {
        return receivedBytes;
    }

    /** The index of the {@code k}th received entry by receive time. */
    public int receivedInArrivalOrder(int k) {
        return arrivalOrder[k];
    }

    /** Unwrapped transport-wide sequence number. */
    public long sequence(int i) {
        return sequences[i];
    }

    public long sendMicros(int i) {
        return sendMicros[i];
    }

    public boolean received(int i) {
        return received[i];
    }

    /** Meaningful only when {@link #received}. */
    public long receiveMicros(int i) {
        return receiveMicros[i];
    }

    public int sizeBytes(int i) {
        return sizes[i];
    }

    /** The probe cluster, or {@link SentPacketHistory#NOT_PROBE}. */
    public int probeClusterId(int i) {
        return probeClusters[i];
    }
}
