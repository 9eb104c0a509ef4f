package org.atrium.sctp;

import static org.atrium.sctp.Tsn.ssnLt;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.atrium.sctp.packet.DataChunk;

/**
 * Turns received DATA chunks into messages per stream (RFC 9260 6.5, 6.6, 6.9): fragments wait
 * keyed by TSN until a run from a B to an E fragment is complete; ordered messages then wait for
 * their SSN. Payloads are copied once, out of the packet into a fragment or straight into the
 * delivered message when it is unfragmented. A message growing past the maximum message size is
 * discarded (its fragments' bytes freed at once, its SSN still consumed) and counted.
 */
final class Reassembly {
    interface Sink {
        void deliver(int streamId, int ppid, byte[] message);

        void tooLarge(int streamId);
    }

    private static final class Fragment {
        final int ssn;
        final int ppid;
        final int flags;
        byte[] data;
        boolean discarded;

        Fragment(int ssn, int ppid, int flags, byte[] data) {
            this.ssn = ssn;
            this.ppid = ppid;
            this.flags = flags;
            this.data = data;
        }

        boolean begin() {
            return (flags & DataChunk.FLAG_BEGIN) != 0;
        }

        boolean end() {
            return (flags & DataChunk.FLAG_END) != 0;
        }

        int length() {
            return data == null ? 0 : data.length;
        }
    }

    /** A complete ordered message waiting for the SSNs before it; data null when discarded. */
    private record Waiting(int ppid, byte[] data) {
    }

    private static final class Inbound {
        int nextSsn;
        final TreeMap<Long, Fragment> fragments = new TreeMap<>();
        final Map<Integer, Waiting> waiting = new HashMap<>();
    }

    private final int maxMessageSize;
    private final Sink sink;
    private final Map<Integer, Inbound> streams = new HashMap<>();
    private long held;

    Reassembly(int maxMessageSize, Sink sink) {
        this.maxMessageSize = maxMessageSize;
        this.sink = sink;
    }

    /** Bytes held for messages not yet delivered: what the receive window subtracts. */
    long held() {
        return held;
    }

    /** A new (not duplicate) DATA chunk at {@code b[off]} whose unwrapped TSN is {@code tsn}. */
    void add(long tsn, byte[] b, int off) {
        int sid = DataChunk.streamId(b, off);
        int ssn = DataChunk.ssn(b, off);
        int ppid = DataChunk.ppid(b, off);
        int flags = org.atrium.sctp.packet.Chunk.flags(b, off);
        int len = DataChunk.payloadLength(b, off);
        int from = DataChunk.payloadOffset(off);
        boolean unordered = (flags & DataChunk.FLAG_UNORDERED) != 0;
        Inbound st = streams.computeIfAbsent(sid, k -> new Inbound());
        if ((flags & (DataChunk.FLAG_BEGIN | DataChunk.FLAG_END)) == (DataChunk.FLAG_BEGIN | DataChunk.FLAG_END)) {
            byte[] data = null;
            if (len > maxMessageSize) {
                sink.tooLarge(sid);
            } else {
                data = new byte[len];
                System.arraycopy(b, from, data, 0, len);
            }
            complete(sid, st, unordered, ssn, ppid, data);
            return;
        }
        byte[] data = new byte[len];
        System.arraycopy(b, from, data, 0, len);
        st.fragments.put(tsn, new Fragment(ssn, ppid, flags, data));
        held += len;
        assemble(sid, st, tsn, unordered);
    }

    private void assemble(int sid, Inbound st, long tsn, boolean unordered) {
        long first = tsn;
        Fragment f = st.fragments.get(first);
        long bytes = f.length();
        boolean discarded = f.discarded;
        while (!f.begin()) {
            Fragment prev = st.fragments.get(first - 1);
            if (prev == null || prev.end()) {
                break;
            }
            first--;
            f = prev;
            bytes += f.length();
            discarded |= f.discarded;
        }
        boolean hasBegin = f.begin();
        long last = tsn;
        f = st.fragments.get(last);
        while (!f.end()) {
            Fragment next = st.fragments.get(last + 1);
            if (next == null || next.begin()) {
                break;
            }
            last++;
            f = next;
            bytes += f.length();
            discarded |= f.discarded;
        }
        boolean hasEnd = f.end();
        if (bytes > maxMessageSize && !discarded) {
            sink.tooLarge(sid);
            discarded = true;
        }
        if (discarded) {
            for (long t = first; t <= last; t++) {
                Fragment d = st.fragments.get(t);
                held -= d.length();
                d.data = null;
                d.discarded = true;
            }
        }
        if (!hasBegin || !hasEnd) {
            return;
        }
        Fragment b = st.fragments.get(first);
        byte[] message = discarded ? null : new byte[(int) bytes];
        int at = 0;
        for (long t = first; t <= last; t++) {
            Fragment piece = st.fragments.remove(t);
            if (message != null) {
                System.arraycopy(piece.data, 0, message, at, piece.data.length);
                at += piece.data.length;
            }
            held -= piece.length();
        }
        complete(sid, st, unordered, b.ssn, b.ppid, message);
    }

    private void complete(int sid, Inbound st, boolean unordered, int ssn, int ppid, byte[] data) {
        if (unordered) {
            if (data != null) {
                sink.deliver(sid, ppid, data);
            }
            return;
        }
        if (ssn == st.nextSsn) {
            st.nextSsn = (ssn + 1) & 0xFFFF;
            if (data != null) {
                sink.deliver(sid, ppid, data);
            }
            deliverWaiting(sid, st);
        } else if (ssnLt(st.nextSsn, ssn) && !st.waiting.containsKey(ssn)) {
            st.waiting.put(ssn, new Waiting(ppid, data));
            held += data == null ? 0 : data.length;
        }
    }

    private void deliverWaiting(int sid, Inbound st) {
        Waiting w;
        while ((w = st.waiting.remove(st.nextSsn)) != null) {
            st.nextSsn = (st.nextSsn + 1) & 0xFFFF;
            if (w.data() != null) {
                held -= w.data().length;
                sink.deliver(sid, w.ppid(), w.data());
            }
        }
    }

    /**
     * FORWARD TSN (RFC 3758 3.6): fragments up to {@code newCum} (unwrapped) are gone for good;
     * stream {@code sid} skips its SSNs up to {@code ssn}. Call {@link #forgetThrough} first, then
     * {@link #skip} for each stream listed.
     */
    void forgetThrough(long newCum) {
        for (Inbound st : streams.values()) {
            var head = st.fragments.headMap(newCum, true);
            for (Fragment f : head.values()) {
                held -= f.length();
            }
            head.clear();
        }
    }

    void skip(int sid, int ssn) {
        Inbound st = streams.get(sid);
        if (st == null) {
            st = new Inbound();
            streams.put(sid, st);
        }
        if (ssnLt(ssn, st.nextSsn)) {
            return;
        }
        int span = (ssn - st.nextSsn) & 0xFFFF;
        // Fragments of the skipped messages go too, whatever their TSN (as dcSCTP does): a peer
        // may forward only to the first of them, leaving the rest here for good.
        Iterator<Fragment> frags = st.fragments.values().iterator();
        while (frags.hasNext()) {
            Fragment f = frags.next();
            if ((f.flags & DataChunk.FLAG_UNORDERED) == 0 && ((f.ssn - st.nextSsn) & 0xFFFF) <= span) {
                held -= f.length();
                frags.remove();
            }
        }
        Iterator<Map.Entry<Integer, Waiting>> it = st.waiting.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Integer, Waiting> e = it.next();
            if (((e.getKey() - st.nextSsn) & 0xFFFF) <= span) {
                held -= e.getValue().data() == null ? 0 : e.getValue().data().length;
                it.remove();
            }
        }
        st.nextSsn = (ssn + 1) & 0xFFFF;
        deliverWaiting(sid, st);
    }

    /** The peer reset its outgoing stream (RFC 6525 5.2.2): its SSNs start again at 0. */
    void resetStream(int sid) {
        Inbound st = streams.remove(sid);
        if (st != null) {
            for (Fragment f : st.fragments.values()) {
                held -= f.length();
            }
            for (Waiting w : st.waiting.values()) {
                held -= w.data() == null ? 0 : w.data().length;
            }
        }
    }
}
