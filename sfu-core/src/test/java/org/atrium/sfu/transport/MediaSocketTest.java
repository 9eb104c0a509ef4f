package org.atrium.sfu.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The media port's two socket implementations on real loopback sockets: both fan out what they
 * read, every datagram in order; epoll's batched writes leave within the turn that made them;
 * a datagram the kernel or the socket's queue refuses is counted, never thrown.
 */
@Timeout(60)
class MediaSocketTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int RECEIVERS = 3;
    private static final int PACKETS = 2000;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    /** Counts refusals as the media port does. */
    private static final class Failures implements MediaSocket.SendFailures {
        final AtomicInteger bufferFull = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicReference<Throwable> lastError = new AtomicReference<>();

        @Override
        public void onSendBufferFull() {
            bufferFull.incrementAndGet();
        }

        @Override
        public void onSendError(Throwable cause) {
            errors.incrementAndGet();
            lastError.set(cause);
        }
    }

    private MediaSocket open(String kind, int loops, Failures failures) throws Exception {
        InetSocketAddress bind = new InetSocketAddress(LOOPBACK, 0);
        MediaSocket socket = switch (kind) {
            case "epoll" -> {
                assumeTrue(EpollMediaSocket.isAvailable(), "Netty's epoll library does not load here");
                yield new EpollMediaSocket(bind, loops, failures);
            }
            case "nio" -> new NioMediaSocket(bind, failures);
            default -> throw new IllegalArgumentException(kind);
        };
        open.add(socket);
        return socket;
    }

    /** A socket for tests that only send: started, with a receiver that ignores what arrives. */
    private MediaSocket openToSend(String kind, int loops, Failures failures) throws Exception {
        MediaSocket socket = open(kind, loops, failures);
        socket.start((buf, off, len, from, nanos) -> {
        });
        return socket;
    }

    private DatagramChannel channel() throws Exception {
        DatagramChannel channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
        channel.bind(new InetSocketAddress(LOOPBACK, 0));
        channel.configureBlocking(true);
        open.add(channel);
        return channel;
    }

    private static byte[] datagram(int n) {
        byte[] b = new byte[100 + n % 1100];
        b[0] = (byte) 0x80;
        b[2] = (byte) (n >> 8);
        b[3] = (byte) n;
        b[b.length - 1] = (byte) (n * 7);
        return b;
    }

    /**
     * What a fan-out sends for {@link #PACKETS} datagrams read: each goes to every receiver from
     * the reading thread, as the SFU forwards inline. Returns what each receiver got, in order.
     */
    private List<List<byte[]>> fanOut(String kind) throws Exception {
        Failures failures = new Failures();
        MediaSocket socket = open(kind, 1, failures);
        List<DatagramChannel> receivers = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int r = 0; r < RECEIVERS; r++) {
            DatagramChannel receiver = channel();
            receivers.add(receiver);
            addresses.add((InetSocketAddress) receiver.getLocalAddress());
        }
        socket.start((buf, off, len, from, nanos) -> {
            for (InetSocketAddress to : addresses) {
                socket.send(buf, off, len, to);
            }
        });
        DatagramChannel publisher = channel();
        List<List<byte[]>> received = new ArrayList<>();
        CompletableFuture<?>[] reading = new CompletableFuture<?>[RECEIVERS];
        for (int r = 0; r < RECEIVERS; r++) {
            List<byte[]> got = new ArrayList<>();
            received.add(got);
            DatagramChannel receiver = receivers.get(r);
            reading[r] = CompletableFuture.runAsync(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(2048);
                try {
                    while (got.size() < PACKETS) {
                        buffer.clear();
                        receiver.receive(buffer);
                        buffer.flip();
                        byte[] b = new byte[buffer.remaining()];
                        buffer.get(b);
                        got.add(b);
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        for (int n = 0; n < PACKETS; n++) {
            publisher.send(ByteBuffer.wrap(datagram(n)), socket.localAddress());
            if (n % 50 == 49) {
                // Bursts, below what a cold JVM reads: completeness and order are under test.
                Thread.sleep(2);
            }
        }
        CompletableFuture.allOf(reading).get(30, TimeUnit.SECONDS);
        assertEquals(0, failures.bufferFull.get() + failures.errors.get(), "refused sends");
        return received;
    }

    @Test
    void epollAndNioForwardTheSamePacketsInOrder() throws Exception {
        List<List<byte[]>> epoll = fanOut("epoll");
        List<List<byte[]>> nio = fanOut("nio");
        for (int r = 0; r < RECEIVERS; r++) {
            assertEquals(PACKETS, epoll.get(r).size());
            assertEquals(PACKETS, nio.get(r).size());
            for (int n = 0; n < PACKETS; n++) {
                assertArrayEquals(datagram(n), epoll.get(r).get(n), "epoll, receiver " + r + ", datagram " + n);
                assertArrayEquals(epoll.get(r).get(n), nio.get(r).get(n), "nio, receiver " + r + ", datagram " + n);
            }
        }
    }

    @ParameterizedTest(name = "{0} loops")
    @ValueSource(ints = {1, 2})
    void epollWritesLeaveBeforeTheNextTaskOfTheTurnsLoop(int loops) throws Exception {
        Failures failures = new Failures();
        EpollMediaSocket socket = (EpollMediaSocket) openToSend("epoll", loops, failures);
        DatagramChannel receiver = channel();
        InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
        for (int loop = 0; loop < loops; loop++) {
            int index = loop;
            CompletableFuture<long[]> pending = new CompletableFuture<>();
            socket.loops()[loop].execute(() -> {
                for (int n = 0; n < 20; n++) {
                    assertTrue(socket.send(datagram(n), 0, datagram(n).length, to));
                }
                long queued = socket.unflushedBytes(index);
                // The next task on this loop: the turn that wrote is over.
                socket.loops()[index].execute(() -> pending.complete(new long[] {queued, socket.unflushedBytes(index)}));
            });
            long[] bytes = pending.get(5, TimeUnit.SECONDS);
            assertTrue(bytes[0] > 0, "held for the batch during the turn that wrote them");
            assertEquals(0, bytes[1], "unsent after the turn");
            ByteBuffer buffer = ByteBuffer.allocate(2048);
            for (int n = 0; n < 20; n++) {
                buffer.clear();
                receiver.receive(buffer);
                buffer.flip();
                byte[] b = new byte[buffer.remaining()];
                buffer.get(b);
                assertArrayEquals(datagram(n), b, "loop " + loop + ", datagram " + n);
            }
        }
    }

    /**
     * Sockets with SO_REUSEPORT share a port with any other such group of the same user, even
     * one that asked for port 0: a second server must get a port of its own, and a server on a
     * port another holds must fail, not share its traffic.
     */
    @Test
    void epollServersNeverShareAPort() throws Exception {
        Failures failures = new Failures();
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            MediaSocket socket = open("epoll", 2, failures);
            assertTrue(ports.add(socket.localAddress().getPort()), "port " + socket.localAddress().getPort() + " twice");
        }
        InetSocketAddress taken = new InetSocketAddress(LOOPBACK, ports.iterator().next());
        for (int loops : new int[] {1, 2}) {
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> open.add(new EpollMediaSocket(taken, loops, failures)), loops + " loops on a taken port");
        }
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> open.add(new NioMediaSocket(taken, failures)), "nio on a taken port");
    }

    @Test
    void aSendFromAnotherThreadLeavesAtOnce() throws Exception {
        Failures failures = new Failures();
        MediaSocket socket = openToSend("epoll", 1, failures);
        DatagramChannel receiver = channel();
        assertTrue(socket.send(datagram(7), 0, datagram(7).length, (InetSocketAddress) receiver.getLocalAddress()));
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        receiver.receive(buffer);
        assertEquals(datagram(7).length, buffer.position());
    }

    /**
     * Other threads' sends (the pacer, RTCP, ICE) wait in a queue per socket that one task of its
     * loop empties: every datagram leaves, and each thread's in the order it sent them.
     */
    @ParameterizedTest(name = "{0} loops")
    @ValueSource(ints = {1, 2})
    void sendsFromOtherThreadsAllLeaveInEachThreadsOrder(int loops) throws Exception {
        Failures failures = new Failures();
        MediaSocket socket = openToSend("epoll", loops, failures);
        int threads = 3;
        int each = 1000;
        List<DatagramChannel> receivers = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            DatagramChannel receiver = channel();
            receivers.add(receiver);
            InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
            senders.add(new Thread(() -> {
                for (int n = 0; n < each; n++) {
                    assertTrue(socket.send(datagram(n), 0, datagram(n).length, to));
                    if (n % 100 == 99) {
                        Thread.onSpinWait();
                    }
                }
            }));
        }
        senders.forEach(Thread::start);
        for (Thread sender : senders) {
            sender.join(10_000);
        }
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        for (int t = 0; t < threads; t++) {
            for (int n = 0; n < each; n++) {
                buffer.clear();
                receivers.get(t).receive(buffer);
                buffer.flip();
                byte[] b = new byte[buffer.remaining()];
                buffer.get(b);
                assertArrayEquals(datagram(n), b, "thread " + t + ", datagram " + n);
            }
        }
        assertEquals(0, failures.bufferFull.get() + failures.errors.get(), "refused sends");
    }

    /** While the loop is busy, other threads' sends queue up to FOREIGN_QUEUE; the rest are refused and counted. */
    @Test
    void epollRefusesAndCountsWhatOtherThreadsQueueBeyondItsBound() throws Exception {
        Failures failures = new Failures();
        MediaSocket socket = openToSend("epoll", 1, failures);
        DatagramChannel receiver = channel();
        InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        socket.loops()[0].execute(() -> {
            busy.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(busy.await(5, TimeUnit.SECONDS));
        int offered = EpollMediaSocket.FOREIGN_QUEUE + 100;
        int accepted = 0;
        byte[] small = datagram(0);
        for (int i = 0; i < offered; i++) {
            if (socket.send(small, 0, small.length, to)) {
                accepted++;
            }
        }
        release.countDown();
        assertEquals(EpollMediaSocket.FOREIGN_QUEUE, accepted, "queued while the loop was busy");
        assertEquals(100, failures.bufferFull.get(), "each refusal counted");
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        for (int i = 0; i < accepted; i++) {
            buffer.clear();
            receiver.receive(buffer);
            assertEquals(small.length, buffer.position(), "datagram " + i);
        }
        assertEquals(0, failures.errors.get());
    }

    /** ICE and DTLS threads may still send while the port closes: refused, never thrown. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"epoll", "nio"})
    void aSendFromAnotherThreadAfterCloseIsRefusedNotThrown(String kind) throws Exception {
        Failures failures = new Failures();
        MediaSocket socket = openToSend(kind, 1, failures);
        InetSocketAddress to = (InetSocketAddress) channel().getLocalAddress();
        socket.close();
        assertFalse(socket.send(datagram(3), 0, datagram(3).length, to));
        assertFalse(socket.send(datagram(4), 0, datagram(4).length, to));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"epoll", "nio"})
    void aDatagramTheKernelRefusesIsCountedNotThrown(String kind) throws Exception {
        Failures failures = new Failures();
        MediaSocket socket = openToSend(kind, 1, failures);
        DatagramChannel receiver = channel();
        InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
        // Larger than any UDP datagram (65,507 B): the kernel refuses it with EMSGSIZE.
        byte[] tooLarge = new byte[70_000];
        Runnable sends = () -> {
            socket.send(tooLarge, 0, tooLarge.length, to);
            socket.send(datagram(1), 0, datagram(1).length, to);
        };
        if (socket.loops().length > 0) {
            // On the loop, in one batch with a good datagram after it.
            CompletableFuture<Void> done = new CompletableFuture<>();
            socket.loops()[0].execute(() -> {
                sends.run();
                done.complete(null);
            });
            done.get(5, TimeUnit.SECONDS);
        } else {
            assertFalse(socket.send(tooLarge, 0, tooLarge.length, to));
            socket.send(datagram(1), 0, datagram(1).length, to);
        }
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        receiver.receive(buffer);
        assertEquals(datagram(1).length, buffer.position(), "the good datagram after the refused one");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (failures.errors.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, failures.errors.get(), "counted as a send error");
        assertNotNull(failures.lastError.get());
    }

    /**
     * ice4j's thread pools interrupt their threads when agents are freed, and those threads send
     * STUN: an interrupted sender must not close the port for everyone (a JDK DatagramChannel
     * closes on interrupt; the NIO socket is a DatagramSocket for that reason).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"epoll", "nio"})
    void anInterruptedSenderLeavesThePortOpen(String kind) throws Exception {
        Failures failures = new Failures();
        MediaSocket socket = openToSend(kind, 1, failures);
        DatagramChannel receiver = channel();
        InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
        Thread interrupted = new Thread(() -> {
            Thread.currentThread().interrupt();
            socket.send(datagram(1), 0, datagram(1).length, to);
        });
        interrupted.start();
        interrupted.join();
        assertTrue(socket.send(datagram(2), 0, datagram(2).length, to), "a send after the interrupted one");
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        java.util.Set<Integer> lengths = new java.util.HashSet<>();
        for (int i = 0; i < 2; i++) {
            buffer.clear();
            receiver.receive(buffer);
            lengths.add(buffer.position());
        }
        assertEquals(java.util.Set.of(datagram(1).length, datagram(2).length), lengths);
        assertEquals(0, failures.errors.get());
    }

    @Test
    void aTurnThatWritesPastTheBoundFlushesEarlyAndRefusesNothing() throws Exception {
        Failures failures = new Failures();
        EpollMediaSocket socket = (EpollMediaSocket) openToSend("epoll", 1, failures);
        DatagramChannel receiver = channel();
        InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
        byte[] packet = new byte[1200];
        // Three times the bound in one turn, as a read batch of a keyframe fanned out to a
        // hundred receivers is: before the early flush, a third of it was taken and the rest refused.
        int offered = 3 * EpollMediaSocket.HIGH_WATER / packet.length;
        CompletableFuture<long[]> done = new CompletableFuture<>();
        socket.loops()[0].execute(() -> {
            long accepted = 0;
            long mostUnflushed = 0;
            for (int i = 0; i < offered; i++) {
                if (socket.send(packet, 0, packet.length, to)) {
                    accepted++;
                }
                mostUnflushed = Math.max(mostUnflushed, socket.unflushedBytes(0));
            }
            done.complete(new long[] {accepted, mostUnflushed});
        });
        long[] result = done.get(10, TimeUnit.SECONDS);
        assertEquals(offered, result[0], "every send taken");
        assertEquals(0, failures.bufferFull.get() + failures.errors.get(), "nothing refused");
        assertTrue(result[1] < EpollMediaSocket.HIGH_WATER, "never held up to the bound: " + result[1]);
    }
}
