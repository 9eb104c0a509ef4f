package org.atrium.sfu.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media port on Linux through Netty's native epoll transport: {@code loops} sockets bound to
 * the one port (with SO_REUSEPORT when there are several), each read by its own event loop with {@code recvmmsg} (up to
 * {@link #READ_BATCH} datagrams a call). The kernel keeps each remote address on one socket,
 * so a session's datagrams stay on one thread and in order.
 *
 * <p>Writes made on one of these loops (the reading thread forwarding inline, or a forwarding
 * lane's drain run as a task of the loop) are queued on that loop's socket and leave together
 * at the end of the loop's turn: Netty writes two or more with one {@code sendmmsg}. A packet so
 * waits at most for the rest of the turn that produced it; a turn that queues past half the
 * socket's bound ({@link #FLUSH_EARLY}) sends what it has at once and goes on. Writes from any
 * other thread (ICE's, DTLS's, the timer's pacer and RTCP) go to the socket the destination
 * hashes to, through a queue that one task of that socket's loop empties: a burst from another
 * thread (a pacer tick sends to every paced receiver) costs one wake-up of the loop and leaves
 * in one {@code sendmmsg}, not a task, a wake-up and a {@code sendto} per datagram. Any socket of the
 * group sends from the port, so which one sends does not matter to the peer.
 *
 * <p>UDP GSO is not used: it sends segments of one buffer to one destination, and fan-out sends
 * each packet to a different receiver.
 */
final class EpollMediaSocket implements MediaSocket {

    private static final Logger LOG = LoggerFactory.getLogger(EpollMediaSocket.class);
    /** Datagrams one {@code recvmmsg} may read. */
    static final int READ_BATCH = 32;
    /** Queued bytes per socket past which sends are refused (counted), until the kernel takes them. */
    static final int HIGH_WATER = 2 << 20;
    /**
     * Room left under {@link #HIGH_WATER} at which a loop's own writes are flushed before the end
     * of its turn, so that only what the kernel does not take (EAGAIN) can reach the bound.
     */
    static final int FLUSH_EARLY = HIGH_WATER / 2;
    /** Datagrams from other threads that may wait per socket for its loop; past it, sends are refused (counted). */
    static final int FOREIGN_QUEUE = 4096;

    /** The loops' group when this socket made it (the media port), null on the clients' shared loops. */
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop[] loops;
    private final Channel[] channels;
    /** Per loop, touched by that loop's thread only: a flush is queued for the end of this turn. */
    private final boolean[] flushQueued;
    private final Runnable[] flushes;
    /** Per loop: datagrams written by threads of no loop, and whether a task to send them is queued. */
    private final Queue<DatagramPacket>[] foreign;
    private final AtomicIntegerArray foreignDrainQueued;
    private final Runnable[] foreignDrains;
    private final InetSocketAddress localAddress;
    private final SendFailures failures;
    private volatile Receiver receiver;

    static boolean isAvailable() {
        try {
            return Epoll.isAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    static void ensureAvailable() {
        Epoll.ensureAvailability();
    }

    /**
     * The loops that clients' ports share ({@link #onClientLoop}): one per processor, made on first
     * use and kept for the life of the process, like ice4j's own pools. A load generator's hundreds
     * of peers so wake a thread or two per burst the server fans out, not one thread per peer, and
     * leave the processors to the server under test.
     */
    private static final class ClientLoops {
        static final MultiThreadIoEventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(
                Runtime.getRuntime().availableProcessors(), new DefaultThreadFactory("atrium-client-udp", true),
                EpollIoHandler.newFactory());
    }

    /** The media port: {@code loopCount} sockets on the port, each on a loop of its own. */
    EpollMediaSocket(InetSocketAddress bind, int loopCount, SendFailures failures) throws IOException {
        this(bind, ownGroup(loopCount), null, failures);
    }

    /** A client's port: one socket, on the next of the clients' shared loops, which it does not stop. */
    static EpollMediaSocket onClientLoop(InetSocketAddress bind, SendFailures failures) throws IOException {
        return new EpollMediaSocket(bind, null, (EventLoop) ClientLoops.GROUP.next(), failures);
    }

    private static MultiThreadIoEventLoopGroup ownGroup(int loopCount) {
        if (loopCount < 1) {
            throw new IllegalArgumentException("at least one loop: " + loopCount);
        }
        return new MultiThreadIoEventLoopGroup(loopCount, new DefaultThreadFactory("atrium-udp", true),
                EpollIoHandler.newFactory());
    }

    /** On {@code ownGroup}'s loops, or on {@code sharedLoop} alone when there is no group. */
    private EpollMediaSocket(InetSocketAddress bind, MultiThreadIoEventLoopGroup ownGroup, EventLoop sharedLoop,
            SendFailures failures) throws IOException {
        this.failures = failures;
        group = ownGroup;
        if (ownGroup == null) {
            loops = new EventLoop[] {sharedLoop};
        } else {
            loops = new EventLoop[ownGroup.executorCount()];
            int index = 0;
            for (EventExecutor executor : ownGroup) {
                loops[index++] = (EventLoop) executor;
            }
        }
        int loopCount = loops.length;
        channels = new Channel[loopCount];
        flushQueued = new boolean[loopCount];
        flushes = new Runnable[loopCount];
        @SuppressWarnings("unchecked")
        Queue<DatagramPacket>[] queues = new Queue[loopCount];
        foreign = queues;
        foreignDrainQueued = new AtomicIntegerArray(loopCount);
        foreignDrains = new Runnable[loopCount];
        try {
            // Two sockets with SO_REUSEPORT of one user share a port, even when the second asked
            // for any port (0): Linux may hand it a port such a group holds already. So the port
            // is first taken by a socket without the option, which fails if anything holds it
            // (another server on the port is an error, not a share) and gives a port nobody
            // holds when 0 was asked; the group binds there once it is released.
            InetSocketAddress address = freePort(bind);
            for (int i = 0; i < loopCount; i++) {
                int loop = i;
                flushes[i] = () -> {
                    flushQueued[loop] = false;
                    channels[loop].flush();
                };
                foreign[i] = PlatformDependent.newFixedMpscQueue(FOREIGN_QUEUE);
                foreignDrains[i] = () -> drainForeign(loop);
                Bootstrap bootstrap = new Bootstrap()
                        .group(loops[i])
                        .channel(EpollDatagramChannel.class)
                        .option(EpollChannelOption.SO_REUSEPORT, loopCount > 1)
                        .option(ChannelOption.SO_RCVBUF, 4 << 20)
                        .option(ChannelOption.SO_SNDBUF, 4 << 20)
                        .option(ChannelOption.AUTO_READ, false)
                        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                        .option(ChannelOption.RCVBUF_ALLOCATOR,
                                new FixedRecvByteBufAllocator(MAX_DATAGRAM * READ_BATCH))
                        .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                                new WriteBufferWaterMark(HIGH_WATER / 2, HIGH_WATER))
                        .handler(new Reader());
                channels[i] = bootstrap.bind(address).syncUninterruptibly().channel();
            }
        } catch (IOException | RuntimeException e) {
            // The loops' threads are started: stop them (if ours) with whatever was bound.
            close();
            throw new IOException("cannot bind the media port on " + bind + ": " + e.getMessage(), e);
        }
        localAddress = (InetSocketAddress) channels[0].localAddress();
    }

    /** {@code bind} with its port, checked free: any free one when it asks for 0. */
    private static InetSocketAddress freePort(InetSocketAddress bind) throws IOException {
        try (java.nio.channels.DatagramChannel probe = java.nio.channels.DatagramChannel.open()) {
            probe.bind(bind);
            return (InetSocketAddress) probe.getLocalAddress();
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void start(Receiver receiver) {
        this.receiver = receiver;
        for (Channel channel : channels) {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
        int loop = currentLoop();
        int target = loop >= 0 ? loop : Math.floorMod(to.hashCode(), channels.length);
        Channel channel = channels[target];
        if (!channel.isWritable()) {
            failures.onSendBufferFull();
            return false;
        }
        ByteBuf data = channel.alloc().directBuffer(len);
        data.writeBytes(buf, off, len);
        DatagramPacket packet = new DatagramPacket(data, to);
        if (loop >= 0) {
            channel.write(packet, channel.voidPromise());
            if (channel.bytesBeforeUnwritable() < FLUSH_EARLY) {
                // A turn's fan-out can pass the bound: a read batch of a keyframe's packets, each
                // to a hundred receivers, is megabytes. What is queued leaves now, in batches as
                // large as the kernel takes, rather than the rest being refused.
                channel.flush();
            } else if (!flushQueued[loop]) {
                flushQueued[loop] = true;
                loops[loop].execute(flushes[loop]);
            }
            return true;
        }
        if (!foreign[target].offer(packet)) {
            packet.release();
            failures.onSendBufferFull();
            return false;
        }
        // Offer first, then claim the drain: a drain that clears the flag polls after clearing
        // it, so every datagram is either seen by a running drain or claims a new one.
        if (foreignDrainQueued.compareAndSet(target, 0, 1)) {
            try {
                loops[target].execute(foreignDrains[target]);
            } catch (RejectedExecutionException e) {
                // The port is closed (a late STUN or DTLS send): drop what waits, as a send on a
                // closed socket is dropped, and keep the promise never to throw.
                foreignDrainQueued.set(target, 0);
                releaseForeign(target);
                failures.onSendError(e);
                return false;
            }
        }
        return true;
    }

    private void releaseForeign(int loop) {
        DatagramPacket packet;
        while ((packet = foreign[loop].poll()) != null) {
            packet.release();
        }
    }

    /**
     * On loop {@code loop}: writes what other threads queued for its socket, and flushes them
     * together. At most {@link #FOREIGN_QUEUE} a run: a thread that sends as fast as the drain
     * writes must not hold the loop, whose other sockets (clients' ports share loops) and tasks
     * wait; what is left is drained by a task queued behind them.
     */
    private void drainForeign(int loop) {
        foreignDrainQueued.set(loop, 0);
        Channel channel = channels[loop];
        DatagramPacket packet;
        int wrote = 0;
        while (wrote < FOREIGN_QUEUE && (packet = foreign[loop].poll()) != null) {
            channel.write(packet, channel.voidPromise());
            wrote++;
        }
        if (wrote > 0) {
            channel.flush();
        }
        if (wrote == FOREIGN_QUEUE && !foreign[loop].isEmpty() && foreignDrainQueued.compareAndSet(loop, 0, 1)) {
            loops[loop].execute(foreignDrains[loop]);
        }
    }

    /** The index of the loop running the caller, or -1 for a thread of no loop of this socket. */
    private int currentLoop() {
        // A comparison of threads per loop, and there are as many loops as forwarding lanes.
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].inEventLoop()) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Executor[] loops() {
        return loops.clone();
    }

    /**
     * Bytes written on loop {@code loop}'s socket and not yet handed to the kernel; call on that
     * loop. Zero in any task that runs after the turn that wrote them.
     */
    long unflushedBytes(int loop) {
        io.netty.channel.ChannelOutboundBuffer buffer = channels[loop].unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    public String kind() {
        return "epoll";
    }

    @Override
    public void close() {
        for (Channel channel : channels) {
            if (channel != null) {
                channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        // What other threads queued after the last drain: return the buffers to the pool.
        for (int i = 0; i < foreign.length; i++) {
            if (foreign[i] != null) {
                releaseForeign(i);
            }
        }
    }

    /** Reads one socket: copies each datagram into the loop's array, with the tail room SRTP needs. */
    private final class Reader extends ChannelInboundHandlerAdapter {
        private final byte[] array = new byte[MAX_DATAGRAM + UdpMediaPort.TAIL_ROOM];

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            try {
                ByteBuf content = packet.content();
                int len = content.readableBytes();
                Receiver r = receiver;
                if (r == null || len > MAX_DATAGRAM) {
                    return;
                }
                content.getBytes(content.readerIndex(), array, 0, len);
                r.onDatagram(array, 0, len, packet.sender(), System.nanoTime());
            } catch (RuntimeException e) {
                // One session's failure must not stop the port.
                LOG.warn("Datagram handling failed", e);
            } finally {
                packet.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A datagram the kernel refused (sendmmsg or sendto failed for it): Netty drops that
            // one and goes on with the others.
            failures.onSendError(cause);
        }
    }
}
