package org.atrium.sfu.cc;

/**
 * Groups packets into send-time groups and yields the deltas between consecutive groups
 * (draft-ietf-rmcat-gcc-02 section 5.2; libwebrtc's InterArrivalDelta). A group is the packets
 * sent within {@value #BURST_MICROS} us of its first one: a video frame or a pacer burst, whose
 * packets the network may spread but whose send times carry no information of their own. Packets
 * that arrive in a burst (less than 5 ms apart and earlier than their send spacing, within
 * {@value #MAX_BURST_MICROS} us) join the group too, so that a bunch released from a queue does not
 * look like a sudden drop in delay.
 *
 * <p>Feed packets in arrival order; when a packet closes a group, {@link #compute} returns true and
 * the deltas of the group before it are readable. Times in microseconds. Allocation-free.
 */
final class InterArrival {
    static final long BURST_MICROS = 5_000;
    static final long MAX_BURST_MICROS = 100_000;
    /** A receive clock that jumps this far against ours means the receiver restarted: start over. */
    static final long ARRIVAL_JUMP_MICROS = 3_000_000;
    static final int REORDERED_RESET = 3;

    private boolean currentEmpty = true;
    private long currentFirstSend;
    private long currentSend;
    private long currentFirstArrival;
    private long currentComplete;
    private long currentSystem;
    private int currentSize;

    private boolean previousValid;
    private long previousSend;
    private long previousComplete;
    private long previousSystem;
    private int previousSize;

    private int reorderedInARow;

    private long sendDelta;
    private long arrivalDelta;
    private int sizeDelta;

    /**
     * @param systemMicros local time the feedback was processed, to notice receive clock jumps
     * @return true when a group completed and {@link #sendDeltaMicros()} etc. hold its deltas
     */
    boolean compute(long sendMicros, long arrivalMicros, long systemMicros, int sizeBytes) {
        boolean computed = false;
        if (currentEmpty) {
            startGroup(sendMicros, arrivalMicros);
        } else if (sendMicros < currentFirstSend) {
            return false; // sent before the current group: reordered, and not worth a group of its own
        } else if (newGroup(sendMicros, arrivalMicros)) {
            if (previousValid) {
                sendDelta = currentSend - previousSend;
                arrivalDelta = currentComplete - previousComplete;
                long systemDelta = currentSystem - previousSystem;
                if (arrivalDelta - systemDelta >= ARRIVAL_JUMP_MICROS) {
                    reset();
                    startGroup(sendMicros, arrivalMicros);
                    add(sendMicros, arrivalMicros, systemMicros, sizeBytes);
                    return false;
                }
                if (arrivalDelta < 0) {
                    // The receive clock went back, or groups arrived out of order.
                    if (++reorderedInARow >= REORDERED_RESET) {
                        reset();
                    }
                    return false;
                }
                reorderedInARow = 0;
                sizeDelta = currentSize - previousSize;
                computed = true;
            }
            previousValid = true;
            previousSend = currentSend;
            previousComplete = currentComplete;
            previousSystem = currentSystem;
            previousSize = currentSize;
            startGroup(sendMicros, arrivalMicros);
        } else {
            currentSend = Math.max(currentSend, sendMicros);
        }
        add(sendMicros, arrivalMicros, systemMicros, sizeBytes);
        return computed;
    }

    private void startGroup(long sendMicros, long arrivalMicros) {
        currentEmpty = false;
        currentFirstSend = sendMicros;
        currentSend = sendMicros;
        currentFirstArrival = arrivalMicros;
        currentSize = 0;
    }

    private void add(long sendMicros, long arrivalMicros, long systemMicros, int sizeBytes) {
        currentSize += sizeBytes;
        currentComplete = arrivalMicros;
        currentSystem = systemMicros;
    }

    private boolean newGroup(long sendMicros, long arrivalMicros) {
        if (belongsToBurst(sendMicros, arrivalMicros)) {
            return false;
        }
        return sendMicros - currentFirstSend > BURST_MICROS;
    }

    private boolean belongsToBurst(long sendMicros, long arrivalMicros) {
        long arrival = arrivalMicros - currentComplete;
        long send = sendMicros - currentSend;
        if (send == 0) {
            return true;
        }
        long propagation = arrival - send;
        return propagation < 0 && arrival <= BURST_MICROS && arrivalMicros - currentFirstArrival < MAX_BURST_MICROS;
    }

    void reset() {
        currentEmpty = true;
        previousValid = false;
        reorderedInARow = 0;
    }

    long sendDeltaMicros() {
        return sendDelta;
    }

    long arrivalDeltaMicros() {
        return arrivalDelta;
    }

    int sizeDeltaBytes() {
        return sizeDelta;
    }
}
