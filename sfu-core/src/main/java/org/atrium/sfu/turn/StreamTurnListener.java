package org.atrium.sfu.turn;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TURN over TCP or TLS: one listening socket, and per connection a thread that splits the stream
 * into messages ({@link StreamFraming}) for the engine and a thread that writes what the engine
 * sends back, from a bounded queue.
 *
 * <p>The writer has its own thread so that a client who stops reading stalls only itself: the
 * engine sends to clients from the relay thread, which serves every allocation. When a client's
 * queue is full its messages are dropped, as a full UDP socket buffer would drop them.
 */
final class StreamTurnListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamTurnListener.class);
    /** A new connection must finish its TLS handshake and send its first message within this. */
    static final int FIRST_MESSAGE_TIMEOUT_MILLIS = 10_000;
    /** A connection silent this long is closed: a client refreshes its allocation well within it. */
    private static final int IDLE_TIMEOUT_MILLIS = 15 * 60_000;
    private static final int QUEUE_MESSAGES = 512;
    private static final int MAX_MESSAGE = StreamFraming.STUN_HEADER + 65535;

    private final TurnTransport transport;
    private final ServerSocket server;
    private final InetSocketAddress local;
    private final int maxConnections;
    private final int firstMessageTimeoutMillis;
    private final AtomicInteger open;
    private final TurnMetrics metrics;
    private final Map<InetSocketAddress, Connection> connections = new ConcurrentHashMap<>();
    private final Thread acceptor;
    private final AtomicInteger threadCount = new AtomicInteger();
    private volatile TurnEngine engine;
    private volatile boolean closed;

    /**
     * @param tls the server's TLS context for TURN over TLS, null for plain TCP
     * @param open connections open across this server's stream listeners, for the shared limit
     * @param metrics where bytes that frame no message are counted (the engine never sees them)
     * @param firstMessageTimeoutMillis how long a new connection may take to send its first message
     */
    StreamTurnListener(InetSocketAddress bind, SSLContext tls, int maxConnections, AtomicInteger open,
            TurnMetrics metrics, int firstMessageTimeoutMillis) throws IOException {
        this.metrics = metrics;
        this.firstMessageTimeoutMillis = firstMessageTimeoutMillis;
        this.transport = tls == null ? TurnTransport.TCP : TurnTransport.TLS;
        this.maxConnections = maxConnections;
        this.open = open;
        server = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
        if (server instanceof SSLServerSocket secure) {
            // A TURN client presents no certificate.
            secure.setNeedClientAuth(false);
        }
        try {
            server.setReuseAddress(true);
            server.bind(bind, 128);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot bind TURN over " + transport + " on " + bind + ": " + e.getMessage(), e);
        }
        local = (InetSocketAddress) server.getLocalSocketAddress();
        acceptor = new Thread(this::acceptLoop, "atrium-turn-" + transport.label() + "-accept");
        acceptor.setDaemon(true);
    }

    InetSocketAddress localAddress() {
        return local;
    }

    void start(TurnEngine engine) {
        this.engine = engine;
        acceptor.start();
    }

    /** Queues a message for the client's connection; dropped when it is gone or its queue is full. */
    void send(InetSocketAddress client, byte[] buf, int off, int len) {
        Connection connection = connections.get(client);
        if (connection != null) {
            connection.queue(buf, off, len);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("TURN over {} accept failed", transport, e);
                    // Out of file descriptors, say: do not spin on it.
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
                continue;
            }
            if (open.incrementAndGet() > maxConnections) {
                open.decrementAndGet();
                LOG.warn("TURN connection from {} refused: {} connections open", socket.getRemoteSocketAddress(),
                        maxConnections);
                closeQuietly(socket);
                continue;
            }
            Connection connection = new Connection(socket);
            connections.put(connection.client.remote(), connection);
            connection.start();
        }
    }

    /** Returns once the port is free: the acceptor, which may hold the socket in accept, is waited for (at most 2 s). */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        if (acceptor.isAlive() && Thread.currentThread() != acceptor) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Connection connection : connections.values()) {
            connection.close();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    /** One client connection: its reader and writer threads. */
    private final class Connection {
        private final Socket socket;
        private final TurnClient client;
        private final BlockingQueue<byte[]> outgoing = new ArrayBlockingQueue<>(QUEUE_MESSAGES);
        private final Thread reader;
        private final Thread writer;
        private final AtomicBoolean ending = new AtomicBoolean();
        private volatile boolean ended;

        Connection(Socket socket) {
            this.socket = socket;
            this.client = new TurnClient(transport, (InetSocketAddress) socket.getRemoteSocketAddress(), local);
            int n = threadCount.incrementAndGet();
            reader = new Thread(this::readLoop, "atrium-turn-" + transport.label() + "-read-" + n);
            writer = new Thread(this::writeLoop, "atrium-turn-" + transport.label() + "-write-" + n);
            reader.setDaemon(true);
            writer.setDaemon(true);
        }

        void start() {
            reader.start();
            writer.start();
        }

        void queue(byte[] buf, int off, int len) {
            if (!ended && !outgoing.offer(Arrays.copyOfRange(buf, off, off + len))) {
                metrics.dropped(TurnDropReason.QUEUE_FULL);
            }
        }

        private void readLoop() {
            byte[] buffer = new byte[MAX_MESSAGE + 3];
            try (socket) {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(firstMessageTimeoutMillis);
                InputStream in = socket.getInputStream();
                boolean first = true;
                while (!closed) {
                    readFully(in, buffer, 0, StreamFraming.HEADER);
                    int length = StreamFraming.messageLength(buffer, 0);
                    // A connection starts with a STUN request: ChannelData needs a channel bound on it first.
                    // Text protocols (HTTP's "GET ") start 01 and would otherwise pass for ChannelData.
                    if (length < StreamFraming.HEADER || (first && !StreamFraming.isStun(buffer, 0))) {
                        malformed("not a STUN or ChannelData message");
                        return;
                    }
                    readFully(in, buffer, StreamFraming.HEADER, length - StreamFraming.HEADER);
                    if (StreamFraming.isStun(buffer, 0) && !StreamFraming.hasMagicCookie(buffer, 0)) {
                        malformed("a STUN header without the magic cookie");
                        return;
                    }
                    if (first) {
                        socket.setSoTimeout(IDLE_TIMEOUT_MILLIS);
                        first = false;
                    }
                    engine.onClientMessage(client, buffer, 0, StreamFraming.unpaddedLength(buffer, 0),
                            System.currentTimeMillis());
                }
            } catch (EOFException | SocketTimeoutException e) {
                // the client closed, or went silent
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.debug("TURN over {} from {} ended: {}", transport, client.remote(), e.toString());
                }
            } finally {
                end();
            }
        }

        /** The stream cannot be resynchronised after bytes that frame no message: counted, and the connection closed. */
        private void malformed(String what) {
            LOG.debug("TURN over {} from {}: {}; closing", transport, client.remote(), what);
            metrics.dropped(TurnDropReason.MALFORMED);
        }

        private void writeLoop() {
            try {
                OutputStream out = socket.getOutputStream();
                while (!ended) {
                    byte[] message = outgoing.poll(1, TimeUnit.SECONDS);
                    if (message == null) {
                        continue;
                    }
                    out.write(message);
                    // ChannelData is padded to four bytes on a stream (RFC 8656 12.5).
                    int pad = (4 - (message.length & 3)) & 3;
                    if (pad > 0) {
                        out.write(new byte[pad]);
                    }
                    out.flush();
                }
            } catch (IOException e) {
                end();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void end() {
            if (!ending.compareAndSet(false, true)) {
                return;
            }
            ended = true;
            connections.remove(client.remote(), this);
            open.decrementAndGet();
            closeQuietly(socket);
            writer.interrupt();
            engine.onConnectionClosed(client, System.currentTimeMillis());
        }

        void close() {
            closeQuietly(socket);
        }
    }

    private static void readFully(InputStream in, byte[] buf, int off, int len) throws IOException {
        while (len > 0) {
            int n = in.read(buf, off, len);
            if (n < 0) {
                throw new EOFException();
            }
            off += n;
            len -= n;
        }
    }
}
