package org.atrium.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.atrium.srtp.SrtpKeyingMaterial;
import org.atrium.srtp.SrtpProfile;

/**
 * Fuzz targets for a DtlsEndpoint fed hostile datagrams, as a server and as a client. The input
 * is a sequence of datagrams, each a 2-byte big-endian length and its bytes. Without JAZZER_FUZZ
 * they run the committed inputs in {@code DtlsEndpointFuzzTestInputs/<method>/}: the datagrams
 * each side received in a real in-memory handshake (see docs/fuzzing.md).
 *
 * <p>The contract: receive never throws; the handshake thread ends only through the listener
 * (onFailed at most once), never by an exception escaping it; nothing connects, because no input
 * can prove it holds the key of {@link #PEER}; and no datagram sent exceeds the send limit.
 */
class DtlsEndpointFuzzTest {
    private static final DtlsCertificate OWN = DtlsCertificate.generateEcdsaP256();
    /** The peer signalling vouches for; its private key is thrown away. */
    private static final Fingerprint PEER = DtlsCertificate.generateEcdsaP256().fingerprint();
    /** Below the endpoint's queue capacity, so every datagram reaches the handshake. */
    private static final int MAX_DATAGRAMS = 16;
    private static final long IDLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    @FuzzTest(maxDuration = "60s")
    void server(byte[] input) throws InterruptedException {
        handshakeWith(DtlsRole.SERVER, input);
    }

    @FuzzTest(maxDuration = "60s")
    void client(byte[] input) throws InterruptedException {
        handshakeWith(DtlsRole.CLIENT, input);
    }

    private static void handshakeWith(DtlsRole role, byte[] input) throws InterruptedException {
        List<byte[]> datagrams = datagrams(input);
        Recorder listener = new Recorder();
        DtlsEndpoint endpoint = new DtlsEndpoint(role, OWN, PEER, listener);
        // Only a safety net: the endpoint is closed as soon as it has read every datagram.
        endpoint.setHandshakeTimeout(Duration.ofSeconds(30));
        // Queued before start, so that once the handshake thread waits for more, it has read them all.
        for (byte[] datagram : datagrams) {
            endpoint.receive(datagram, 0, datagram.length);
        }
        assertEquals(0, endpoint.droppedDatagrams());

        AtomicReference<Thread> worker = new AtomicReference<>();
        AtomicReference<Throwable> escaped = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        endpoint.start(task -> {
            Thread t = new Thread(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    escaped.set(e);
                } finally {
                    done.countDown();
                }
            }, "dtls-fuzz");
            t.setDaemon(true);
            worker.set(t);
            t.start();
        });
        awaitIdleOrDone(worker.get(), done);
        endpoint.close();
        assertTrue(done.await(10, TimeUnit.SECONDS), "the handshake thread ends after close");

        assertNull(escaped.get(), "no exception escapes the handshake thread");
        assertEquals(0, listener.connected.get(), "nothing connects without the peer's private key");
        assertTrue(listener.failed.get() <= 1, "onFailed at most once");
        assertTrue(listener.largestSent.get() <= DtlsEndpoint.SEND_LIMIT, "datagrams within the send limit");
    }

    /**
     * Waits until the handshake thread has ended or is blocked waiting for a datagram. Nothing in
     * the endpoint signals that, so the thread's own stack says it: parked inside
     * DatagramQueueTransport.receive means the queue is empty.
     */
    private static void awaitIdleOrDone(Thread thread, CountDownLatch done) {
        long deadline = System.nanoTime() + IDLE_WAIT_NANOS;
        while (done.getCount() > 0 && System.nanoTime() < deadline) {
            Thread.State state = thread.getState();
            if ((state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) && waitsForDatagram(thread)) {
                return;
            }
            LockSupport.parkNanos(20_000);
        }
    }

    private static boolean waitsForDatagram(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(DatagramQueueTransport.class.getName())
                    && frame.getMethodName().equals("receive")) {
                return true;
            }
        }
        return false;
    }

    /** Splits the input into datagrams of a 2-byte length and that many bytes; a short tail is one more. */
    static List<byte[]> datagrams(byte[] input) {
        List<byte[]> out = new ArrayList<>();
        int pos = 0;
        while (pos < input.length && out.size() < MAX_DATAGRAMS) {
            int length = pos + 2 <= input.length ? (input[pos] & 0xFF) << 8 | (input[pos + 1] & 0xFF) : 0;
            pos += 2;
            int n = Math.max(0, Math.min(length, input.length - pos));
            byte[] datagram = new byte[n];
            System.arraycopy(input, Math.min(pos, input.length), datagram, 0, n);
            out.add(datagram);
            pos += n;
        }
        return out;
    }

    private static final class Recorder implements DtlsEndpoint.Listener {
        final AtomicInteger connected = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger largestSent = new AtomicInteger();

        @Override
        public void sendDatagram(byte[] b, int off, int len) {
            largestSent.accumulateAndGet(len, Math::max);
        }

        @Override
        public void onConnected(SrtpProfile profile, SrtpKeyingMaterial keys) {
            connected.incrementAndGet();
        }

        @Override
        public void onFailed(String reason, Throwable cause) {
            failed.incrementAndGet();
        }
    }
}
