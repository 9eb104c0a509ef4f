package org.atrium.sfu.turn;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** TURN over UDP: one socket, one thread reading it; each datagram is one message. */
final class UdpTurnListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpTurnListener.class);

    private final DatagramChannel channel;
    private final InetSocketAddress local;
    private final Thread reader;
    private volatile TurnEngine engine;
    private volatile boolean closed;

    UdpTurnListener(InetSocketAddress bind) throws IOException {
        channel = DatagramChannel.open();
        try {
            channel.bind(bind);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot bind TURN over UDP on " + bind + ": " + e.getMessage(), e);
        }
        local = (InetSocketAddress) channel.getLocalAddress();
        reader = new Thread(this::readLoop, "atrium-turn-udp");
        reader.setDaemon(true);
    }

    InetSocketAddress localAddress() {
        return local;
    }

    void start(TurnEngine engine) {
        this.engine = engine;
        reader.start();
    }

    /** Sends to a client; DatagramChannel sends are safe from any thread. */
    void send(InetSocketAddress client, byte[] buf, int off, int len) {
        try {
            channel.send(ByteBuffer.wrap(buf, off, len), client);
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("TURN send to {} failed: {}", client, e.toString());
            }
        }
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(65535);
        while (!closed) {
            try {
                buffer.clear();
                InetSocketAddress remote = (InetSocketAddress) channel.receive(buffer);
                if (remote != null) {
                    engine.onClientMessage(new TurnClient(TurnTransport.UDP, remote, local), buffer.array(), 0,
                            buffer.position(), System.currentTimeMillis());
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("TURN over UDP read failed", e);
                }
            }
        }
    }

    /**
     * Returns once the port is free: a thread blocked in receive holds the socket open past the
     * channel's close until it leaves the call, so the reader is waited for (at most 2 s).
     */
    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        if (reader.isAlive() && Thread.currentThread() != reader) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
