package org.atrium.sfu.transport;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a session's packets on its ICE-TCP pair from a thread of its own.
 *
 * <p>A TCP write blocks while the peer's receive window is full; over UDP a send never waits.
 * Written from the forwarding thread (or the receive thread, with no forwarding threads), one
 * slow TCP client would stall every participant served by that thread. Here the caller only
 * queues a copy; a full queue drops the packet, as a full link drops a datagram, and
 * congestion control sees the loss.
 */
final class TcpSendQueue implements AutoCloseable {

    /** Where the packets go: ice4j's component, which frames them (RFC 4571) on the pair's socket. */
    interface Sink {
        void send(byte[] b, int off, int len) throws IOException;
    }

    /** About a second of a few Mbit/s of video, in packets. */
    static final int CAPACITY = 512;

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Sink sink;
    private final Thread thread;
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closed;

    TcpSendQueue(String session, Sink sink) {
        this.sink = sink;
        thread = new Thread(this::run, "atrium-ice-tcp-send-" + session);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a copy of the packet; false, without waiting, when the queue is full or closed. */
    boolean offer(byte[] b, int off, int len) {
        return !closed && queue.offer(Arrays.copyOfRange(b, off, off + len));
    }

    /** Packets the sink refused (the connection failing or closed). */
    long failedSends() {
        return failed.get();
    }

    int queued() {
        return queue.size();
    }

    private void run() {
        while (!closed) {
            byte[] packet;
            try {
                packet = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                sink.send(packet, 0, packet.length);
            } catch (IOException | RuntimeException e) {
                failed.incrementAndGet();
            }
        }
    }

    /** Stops the thread; what is queued is dropped. Interrupting a write closes the socket, which is closing anyway. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        thread.interrupt();
    }
}
