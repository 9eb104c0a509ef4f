package org.atrium.sfu.cc;

import org.atrium.rtp.TransportCcFeedback;

/**
 * Turns a receiver's transport-cc feedback (RTPFB FMT 15,
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1) into per-packet results matched
 * against the {@link SentPacketHistory}, as libwebrtc's TransportFeedbackAdapter does.
 *
 * <p>Receive times: the 24-bit reference time (64 ms units) is unwrapped against the previous
 * feedback's, so that it may wrap (every 12.4 days) or go back a little (reordered feedback); the
 * first feedback's reference time is mapped to the local time it arrived, which puts receive times
 * near the sender's clock (only differences between them matter).
 *
 * <p>Duplicates and reordering: each history slot remembers what feedback said. A packet
 * reported received once is not reported again (a duplicate or an older feedback arriving late
 * is counted in {@link #duplicateEntries}); a packet reported lost may later be reported
 * received (the receiver rewinds for late arrivals), but is not counted lost twice. Entries about
 * numbers never sent or too old are counted by the history. Malformed or truncated packets are
 * counted in {@link #malformedFeedback}. Nothing throws.
 *
 * <p>Allocation-free: the result buffer is reused for every feedback. Not thread-safe.
 */
public final class TransportCcFeedbackAdapter {
    private static final int REFERENCE_BITS = 24;

    private final SentPacketHistory history;
    private final PacketResults results;
    private final TransportCcFeedback.Reader reader = new TransportCcFeedback.Reader();

    private boolean haveReference;
    /** The last reference time, in 64 ms units, unwrapped. */
    private long lastReference;
    /** Added to unwrapped reference time (in micros) to get local time. */
    private long offsetMicros;

    private long feedbackPackets;
    private long malformed;
    private long duplicates;

    public TransportCcFeedbackAdapter(SentPacketHistory history) {
        this.history = history;
        this.results = new PacketResults(history.capacity());
    }

    /**
     * Reads one transport-cc packet at {@code [off, off + len)} that arrived at {@code nowMicros}.
     *
     * @return the results (possibly empty when every entry was ignored), or null when the packet
     *         is not a well-formed transport-cc feedback
     */
    public PacketResults onFeedback(byte[] b, int off, int len, long nowMicros) {
        results.clear();
        if (b == null || off < 0 || len < 0 || off > b.length - len || !reader.reset(b, off, len)) {
            malformed++;
            return null;
        }
        feedbackPackets++;
        int raw = TransportCcFeedback.referenceTime(b, off) & 0xFFFFFF;
        long reference;
        if (!haveReference) {
            reference = raw;
            offsetMicros = nowMicros - reference * TransportCcFeedback.REFERENCE_TIME_UNIT_MICROS;
            haveReference = true;
        } else {
            // Signed 24-bit distance from the previous reference time: wrap-around and small steps back.
            int delta = (raw - (int) (lastReference & 0xFFFFFF)) << (32 - REFERENCE_BITS) >> (32 - REFERENCE_BITS);
            reference = lastReference + delta;
        }
        lastReference = reference;
        // The reader adds deltas to the sign-extended reference; move that onto the unwrapped one.
        long shift = (reference - TransportCcFeedback.referenceTime(b, off))
            * TransportCcFeedback.REFERENCE_TIME_UNIT_MICROS + offsetMicros;
        while (reader.next()) {
            int slot = history.find(reader.sequence());
            if (slot < 0) {
                continue;
            }
            byte state = history.stateAt(slot);
            if (state == SentPacketHistory.RECEIVED || state == SentPacketHistory.LOST && !reader.received()) {
                duplicates++;
                continue;
            }
            boolean got = reader.received();
            if (!results.add(history.sequenceAt(slot), history.sendMicrosAt(slot), history.sizeAt(slot),
                history.probeClusterAt(slot), got, reader.arrivalMicros() + shift)) {
                break;
            }
            history.setState(slot, got ? SentPacketHistory.RECEIVED : SentPacketHistory.LOST);
        }
        return results;
    }

    /** Well-formed feedback packets read. */
    public long feedbackPackets() {
        return feedbackPackets;
    }

    /** Packets that were not well-formed transport-cc feedback (truncated, bad chunks). */
    public long malformedFeedback() {
        return malformed;
    }

    /** Entries about packets already reported received, or reported lost again. */
    public long duplicateEntries() {
        return duplicates;
    }

    /** Entries about numbers never sent or too old for the history. */
    public long ignoredEntries() {
        return history.unknownFeedback() + history.tooOldFeedback() + duplicates;
    }
}
