package org.atrium.sfu.turn;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relayed transport addresses of every allocation: UDP sockets bound in the relay port range,
 * all read by one selector thread that hands each datagram to {@link TurnEngine#onPeerData}.
 *
 * <p>One thread for all relays, not one per allocation: an allocation is cheap to keep (a socket
 * and a key) and the server-wide quota bounds how many there are.
 */
final class RelaySockets implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelaySockets.class);
    private static final int MAX_DATAGRAM = 65535;

    private final InetAddress address;
    private final int minPort;
    private final int maxPort;
    private final Selector selector;
    private final Queue<Relay> toRegister = new ConcurrentLinkedQueue<>();
    private final Queue<Relay> toRelease = new ConcurrentLinkedQueue<>();
    private final Thread reader;
    private final AtomicLong sendFailures = new AtomicLong();
    private volatile TurnEngine engine;
    private volatile boolean closed;

    RelaySockets(InetAddress address, int minPort, int maxPort) throws IOException {
        this.address = address;
        this.minPort = minPort;
        this.maxPort = maxPort;
        this.selector = Selector.open();
        this.reader = new Thread(this::readLoop, "atrium-turn-relay");
        reader.setDaemon(true);
    }

    /** Starts reading; what arrives goes to {@code engine}. */
    void start(TurnEngine engine) {
        this.engine = engine;
        reader.start();
    }

    /**
     * Binds a free port of the range, starting at a random one so that relay addresses are not
     * predictable (RFC 8656 7.2); null when every port is taken.
     */
    RelaySocket open() {
        if (closed) {
            return null;
        }
        int span = maxPort - minPort + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span; i++) {
            int port = minPort + (start + i) % span;
            DatagramChannel channel = null;
            try {
                channel = DatagramChannel.open();
                channel.bind(new InetSocketAddress(address, port));
                channel.configureBlocking(false);
                Relay relay = new Relay(channel, new InetSocketAddress(address, port));
                toRegister.add(relay);
                selector.wakeup();
                if (closed) {
                    // close() may have drained toRegister before the add.
                    closeQuietly(channel);
                    return null;
                }
                return relay;
            } catch (BindException e) {
                closeQuietly(channel);
            } catch (IOException e) {
                closeQuietly(channel);
                LOG.warn("Cannot open a TURN relay socket on {}:{}", address.getHostAddress(), port, e);
                return null;
            }
        }
        return null;
    }

    /** Datagrams a relay socket could not send (the socket buffer full, or an error). */
    long sendFailures() {
        return sendFailures.get();
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        while (!closed) {
            try {
                selector.select(1000);
                Relay pending;
                while ((pending = toRegister.poll()) != null) {
                    try {
                        pending.channel.register(selector, SelectionKey.OP_READ, pending);
                    } catch (ClosedChannelException e) {
                        // closed before it was registered
                    }
                }
                releasePending();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isValid() && key.isReadable()) {
                        drain((Relay) key.attachment(), buffer);
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("TURN relay read failed", e);
                }
            }
        }
    }

    /**
     * Closes the relays whose allocations ended and lets the selector forget them: a closed channel
     * still registered keeps its port bound until the selector deregisters its key, which selectNow does.
     */
    private void releasePending() throws IOException {
        Relay relay = toRelease.poll();
        if (relay == null) {
            return;
        }
        List<Relay> released = new ArrayList<>();
        for (; relay != null; relay = toRelease.poll()) {
            closeQuietly(relay.channel);
            released.add(relay);
        }
        try {
            selector.selectNow();
        } finally {
            released.forEach(r -> r.released.countDown());
        }
    }

    /** Reads what is waiting on one relay, a bounded number of datagrams so others get a turn. */
    private void drain(Relay relay, ByteBuffer buffer) {
        for (int i = 0; i < 64; i++) {
            buffer.clear();
            InetSocketAddress peer;
            try {
                peer = (InetSocketAddress) relay.channel.receive(buffer);
            } catch (IOException e) {
                return;
            }
            if (peer == null) {
                return;
            }
            engine.onPeerData(relay, peer, buffer.array(), 0, buffer.position(), System.currentTimeMillis());
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            closeQuietly(key.channel());
        }
        Relay pending;
        while ((pending = toRegister.poll()) != null) {
            closeQuietly(pending.channel);
        }
        closeQuietly(selector);
        while ((pending = toRelease.poll()) != null) {
            closeQuietly(pending.channel);
            pending.released.countDown();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    /** One allocation's relay socket. */
    private final class Relay implements RelaySocket {
        private final DatagramChannel channel;
        private final InetSocketAddress address;
        private final AtomicBoolean closing = new AtomicBoolean();
        private final CountDownLatch released = new CountDownLatch(1);

        Relay(DatagramChannel channel, InetSocketAddress address) {
            this.channel = channel;
            this.address = address;
        }

        @Override
        public InetSocketAddress address() {
            return address;
        }

        @Override
        public void send(InetSocketAddress peer, byte[] buf, int off, int len) {
            try {
                if (channel.send(ByteBuffer.wrap(buf, off, len), peer) == 0) {
                    sendFailures.incrementAndGet();
                }
            } catch (IOException | RuntimeException e) {
                sendFailures.incrementAndGet();
            }
        }

        /**
         * Returns once the port is free, so that a new allocation can bind it at once: a closed
         * channel keeps its port until the selector deregisters its key, so the selector thread runs
         * a selectNow for it, waited for at most a second. The engine calls this under its lock;
         * the selector thread never takes that lock, so the wait cannot deadlock.
         */
        @Override
        public void close() {
            if (!closing.compareAndSet(false, true)) {
                return;
            }
            closeQuietly(channel);
            if (closed || !reader.isAlive()) {
                // Never registered (the port is free already), or the selector's close releases it.
                return;
            }
            toRelease.add(this);
            if (Thread.currentThread() == reader) {
                // Not a selectNow here, amid the iteration of selected keys: the next turn of the loop releases it.
                return;
            }
            selector.wakeup();
            try {
                if (!released.await(1, TimeUnit.SECONDS)) {
                    LOG.warn("TURN {} not released within 1 s", address);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String toString() {
            return "relay " + address;
        }
    }
}
