package org.atrium.sfu.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portable media socket: one JDK {@link DatagramChannel}, read by one thread, one system
 * call per datagram each way. Sends go out at once, from the caller's thread.
 */
final class NioMediaSocket implements MediaSocket {

    private static final Logger LOG = LoggerFactory.getLogger(NioMediaSocket.class);
    /**
     * The most read of one datagram, as ice4j read: an Ethernet MTU. The rest of a larger one
     * is cut off, its SRTP tag with it, so it fails authentication and is counted there.
     */
    static final int MAX_DATAGRAM = 1500;

    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final SendFailures failures;
    private volatile boolean closed;
    private Thread reader;

    NioMediaSocket(InetSocketAddress bind, SendFailures failures) throws IOException {
        this.failures = failures;
        channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.bind(bind);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        localAddress = (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public synchronized void start(Receiver receiver) {
        if (reader != null) {
            throw new IllegalStateException("started already");
        }
        reader = new Thread(() -> read(receiver), "atrium-udp-" + localAddress.getPort());
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Receiver receiver) {
        byte[] array = new byte[MAX_DATAGRAM + UdpMediaPort.TAIL_ROOM];
        ByteBuffer buffer = ByteBuffer.wrap(array, 0, MAX_DATAGRAM);
        while (!closed) {
            InetSocketAddress from;
            try {
                buffer.clear().limit(MAX_DATAGRAM);
                from = (InetSocketAddress) channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("Media port read failed: {}", e.toString());
                }
                continue;
            }
            try {
                receiver.onDatagram(array, 0, buffer.position(), from, System.nanoTime());
            } catch (RuntimeException e) {
                // One session's failure must not stop the port.
                LOG.warn("Datagram handling failed", e);
            }
        }
    }

    @Override
    public boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
        try {
            if (channel.send(ByteBuffer.wrap(buf, off, len), to) == 0) {
                failures.onSendBufferFull();
                return false;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            failures.onSendError(e);
            return false;
        }
    }

    @Override
    public Executor[] loops() {
        return new Executor[0];
    }

    @Override
    public String kind() {
        return "nio";
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing the media port: {}", e.toString());
        }
        Thread thread = reader;
        if (thread != null) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
