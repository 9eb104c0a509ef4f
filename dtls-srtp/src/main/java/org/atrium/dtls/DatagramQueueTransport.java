package org.atrium.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsTimeoutException;

/**
 * Turns datagrams pushed from the network into the blocking {@code receive} Bouncy Castle's
 * DTLS stack pulls from, and hands what it sends to a sink. The queue is bounded; datagrams
 * beyond it are dropped and counted, and DTLS retransmission recovers them.
 *
 * <p>The handshake deadline lives here because every BC wait goes through {@link #receive}:
 * once past it, receive fails with {@link TlsTimeoutException} and the handshake ends.
 */
final class DatagramQueueTransport implements DatagramTransport {
    interface Sink {
        void send(byte[] b, int off, int len);
    }

    private static final byte[] WAKE_UP = new byte[0];

    private final ArrayBlockingQueue<byte[]> queue;
    private final int receiveLimit;
    private final int sendLimit;
    private final Sink sink;
    private final AtomicLong dropped = new AtomicLong();
    private volatile long deadlineNanos;
    private volatile boolean deadlineSet;
    private volatile boolean aborted;

    DatagramQueueTransport(int capacity, int receiveLimit, int sendLimit, Sink sink) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.receiveLimit = receiveLimit;
        this.sendLimit = sendLimit;
        this.sink = sink;
    }

    /** Copies an incoming datagram into the queue; false if it was dropped. */
    boolean offer(byte[] b, int off, int len) {
        if (aborted) {
            return false;
        }
        byte[] copy = new byte[len];
        System.arraycopy(b, off, copy, 0, len);
        if (!queue.offer(copy)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    long droppedCount() {
        return dropped.get();
    }

    void startDeadline(long timeoutNanos) {
        deadlineNanos = System.nanoTime() + timeoutNanos;
        deadlineSet = true;
    }

    void clearDeadline() {
        deadlineSet = false;
    }

    /** Makes a blocked or later receive fail with IOException, and stops sending. */
    void abort() {
        aborted = true;
        queue.offer(WAKE_UP);
    }

    /** Makes a blocked receive return early with InterruptedIOException, which BC passes through. */
    void wakeUp() {
        queue.offer(WAKE_UP);
    }

    @Override
    public int getReceiveLimit() {
        return receiveLimit;
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (aborted) {
            throw new IOException("DTLS endpoint closed");
        }
        long waitNanos = waitMillis > 0 ? TimeUnit.MILLISECONDS.toNanos(waitMillis) : Long.MAX_VALUE;
        boolean bounded = deadlineSet;
        if (bounded) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                throw new TlsTimeoutException("DTLS handshake timed out");
            }
            waitNanos = Math.min(waitNanos, remaining);
        }
        byte[] datagram;
        try {
            datagram = queue.poll(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a DTLS datagram");
        }
        if (datagram == WAKE_UP) {
            if (aborted) {
                throw new IOException("DTLS endpoint closed");
            }
            throw new InterruptedIOException("woken up");
        }
        if (datagram == null) {
            if (bounded && deadlineSet && deadlineNanos - System.nanoTime() <= 0) {
                throw new TlsTimeoutException("DTLS handshake timed out");
            }
            return -1;
        }
        // A datagram larger than len is reported by its size, which BC discards.
        System.arraycopy(datagram, 0, buf, off, Math.min(len, datagram.length));
        return datagram.length;
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        if (!aborted) {
            sink.send(buf, off, len);
        }
    }

    @Override
    public void close() {
        // BC closes the transport when the DTLS connection closes; the endpoint owns the rest.
    }
}
