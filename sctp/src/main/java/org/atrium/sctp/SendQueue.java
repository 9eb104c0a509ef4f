package org.atrium.sctp;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Messages accepted by send() and not yet cut into DATA chunks, per stream, bounded in bytes.
 * Streams take turns message by message; once a message's first fragment is sent its fragments
 * go out back to back, since DATA (unlike I-DATA) reassembles by consecutive TSNs.
 */
final class SendQueue {
    /** Outgoing state of one stream. */
    static final class Stream {
        final int id;
        int nextSsn;
        long buffered;
        long lowThreshold;
        final ArrayDeque<OutgoingMessage> messages = new ArrayDeque<>();
        boolean scheduled;

        Stream(int id) {
            this.id = id;
        }
    }

    interface BufferedAmountListener {
        void onBufferedAmountLow(int streamId);
    }

    private final long limit;
    private final BufferedAmountListener listener;
    private final Map<Integer, Stream> streams = new HashMap<>();
    private final ArrayDeque<Stream> turns = new ArrayDeque<>();
    private OutgoingMessage current;
    private long buffered;

    SendQueue(long limit, BufferedAmountListener listener) {
        this.limit = limit;
        this.listener = listener;
    }

    boolean hasRoom(int bytes) {
        return buffered + bytes <= limit;
    }

    void add(OutgoingMessage m) {
        Stream s = stream(m.streamId);
        s.messages.add(m);
        s.buffered += m.data.length;
        buffered += m.data.length;
        if (!s.scheduled) {
            s.scheduled = true;
            turns.add(s);
        }
    }

    /**
     * The message to take the next fragment from: the one being fragmented, else the next stream's
     * next message (its SSN assigned now). Messages whose lifetime ended before their first
     * fragment are dropped here unsent.
     */
    OutgoingMessage next(long nowMillis) {
        while (current == null) {
            Stream s = turns.poll();
            if (s == null) {
                return null;
            }
            OutgoingMessage m = s.messages.poll();
            if (!s.messages.isEmpty()) {
                turns.add(s);
            } else {
                s.scheduled = false;
            }
            if (m == null) {
                continue;
            }
            if (m.expiresAtMillis <= nowMillis) {
                m.abandoned = true;
                release(s, m.data.length);
                continue;
            }
            if (!m.unordered) {
                m.ssn = s.nextSsn;
                s.nextSsn = (s.nextSsn + 1) & 0xFFFF;
            }
            current = m;
        }
        return current;
    }

    /** {@code bytes} more of {@code m} (the current message) went into a DATA chunk. */
    void fragmented(OutgoingMessage m, int bytes) {
        m.fragmented += bytes;
        if (m.remaining() == 0) {
            current = null;
        }
        release(streams.get(m.streamId), bytes);
    }

    /** Drops what is left of an abandoned message (RFC 3758 3.5: all of its fragments go). */
    void discardRemainder(OutgoingMessage m) {
        if (m == current) {
            int left = m.remaining();
            m.fragmented = m.data.length;
            current = null;
            release(streams.get(m.streamId), left);
        }
    }

    private void release(Stream s, long bytes) {
        if (s == null || bytes == 0) {
            return;
        }
        long before = s.buffered;
        s.buffered -= bytes;
        buffered -= bytes;
        if (before > s.lowThreshold && s.buffered <= s.lowThreshold) {
            listener.onBufferedAmountLow(s.id);
        }
    }

    /** True while the stream has bytes not yet cut into chunks. */
    boolean hasPending(int streamId) {
        Stream s = streams.get(streamId);
        return s != null && s.buffered > 0;
    }

    /** After our outgoing reset of the stream succeeded (RFC 6525 5.2.2): SSNs start again at 0. */
    void resetSsn(int streamId) {
        Stream s = streams.get(streamId);
        if (s != null) {
            s.nextSsn = 0;
            if (s.buffered == 0 && s.lowThreshold == 0) {
                streams.remove(streamId);
            }
        }
    }

    long buffered() {
        return buffered;
    }

    long buffered(int streamId) {
        Stream s = streams.get(streamId);
        return s == null ? 0 : s.buffered;
    }

    void setLowThreshold(int streamId, long bytes) {
        stream(streamId).lowThreshold = Math.max(0, bytes);
    }

    boolean isEmpty() {
        return buffered == 0 && current == null;
    }

    private Stream stream(int id) {
        return streams.computeIfAbsent(id, Stream::new);
    }
}
