package org.atrium.sfu.transport;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portable media socket: one JDK {@link DatagramSocket}, read by one thread, one system
 * call per datagram each way. Sends go out at once, from the caller's thread.
 *
 * <p>Not a {@link java.nio.channels.DatagramChannel}: a channel is interruptible, and a thread
 * interrupted while it sends (ice4j's pools interrupt their threads as agents are freed)
 * closes it for every session. The socket API is not closed by interrupts.
 */
final class NioMediaSocket implements MediaSocket {

    private static final Logger LOG = LoggerFactory.getLogger(NioMediaSocket.class);
    private final DatagramSocket socket;
    private final InetSocketAddress localAddress;
    /** One packet per sending thread, re-aimed for each send: nothing is allocated per datagram. */
    private final ThreadLocal<DatagramPacket> sendPackets =
            ThreadLocal.withInitial(() -> new DatagramPacket(new byte[0], 0));
    private final SendFailures failures;
    private volatile boolean closed;
    private Thread reader;

    NioMediaSocket(InetSocketAddress bind, SendFailures failures) throws IOException {
        this.failures = failures;
        socket = new DatagramSocket(null);
        try {
            socket.setReceiveBufferSize(4 << 20);
            socket.setSendBufferSize(4 << 20);
            socket.bind(bind);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        localAddress = (InetSocketAddress) socket.getLocalSocketAddress();
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
        DatagramPacket packet = new DatagramPacket(array, MAX_DATAGRAM);
        while (!closed) {
            try {
                packet.setData(array, 0, MAX_DATAGRAM);
                socket.receive(packet);
            } catch (IOException e) {
                if (!closed && !socket.isClosed()) {
                    LOG.warn("Media port read failed: {}", e.toString());
                    continue;
                }
                return;
            }
            try {
                receiver.onDatagram(array, 0, packet.getLength(), (InetSocketAddress) packet.getSocketAddress(),
                        System.nanoTime());
            } catch (RuntimeException e) {
                // One session's failure must not stop the port.
                LOG.warn("Datagram handling failed", e);
            }
        }
    }

    @Override
    public boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
        DatagramPacket packet = sendPackets.get();
        try {
            packet.setData(buf, off, len);
            packet.setSocketAddress(to);
            socket.send(packet);
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
        socket.close();
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
