package org.atrium.sfu.transport;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.ArrayDeque;
import org.ice4j.util.BufferHandler;

/**
 * What ice4j takes for the socket of one session and one remote address on the media port:
 * its STUN stack reads the STUN datagrams the port routed here ({@link #offerStun}) and sends
 * through the port's {@link MediaSocket}. It binds nothing of its own.
 */
final class SessionSocket extends DatagramSocket {

    /** STUN datagrams waiting for ice4j's reader: checks come a few at a time. */
    private static final int QUEUE = 64;

    private final MediaPortHarvester port;
    private final InetSocketAddress remote;
    private final BufferHandler handler;
    /** Guarded by itself. */
    private final ArrayDeque<byte[]> stun = new ArrayDeque<>();
    private volatile boolean closed;

    SessionSocket(MediaPortHarvester port, InetSocketAddress remote, BufferHandler handler) throws SocketException {
        // Unbound: nothing is bound here, the port's socket does the I/O. (The superclass's
        // constructor may call close() before the fields are set: see close.)
        super((SocketAddress) null);
        this.port = port;
        this.remote = remote;
        this.handler = handler;
    }

    InetSocketAddress remote() {
        return remote;
    }

    /** Where the session's DTLS, RTP and RTCP go: the ice4j component, then {@link IceTransport}. */
    BufferHandler handler() {
        return handler;
    }

    /** Queues a copy of a STUN datagram for ice4j; the oldest goes when the queue is full. */
    void offerStun(byte[] buf, int off, int len) {
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        synchronized (stun) {
            if (closed) {
                return;
            }
            if (stun.size() == QUEUE) {
                stun.poll();
            }
            stun.offer(copy);
            stun.notifyAll();
        }
    }

    @Override
    public void receive(DatagramPacket p) throws IOException {
        byte[] datagram;
        synchronized (stun) {
            while ((datagram = stun.poll()) == null) {
                if (closed) {
                    throw new SocketException("Socket closed");
                }
                try {
                    stun.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SocketException("Interrupted");
                }
            }
        }
        byte[] data = p.getData();
        if (data == null || data.length - p.getOffset() < datagram.length) {
            throw new IOException("packet buffer too small");
        }
        System.arraycopy(datagram, 0, data, p.getOffset(), datagram.length);
        p.setLength(datagram.length);
        p.setSocketAddress(remote);
    }

    @Override
    public void send(DatagramPacket p) throws IOException {
        if (closed) {
            throw new SocketException("Socket closed");
        }
        port.send(p.getData(), p.getOffset(), p.getLength(), remote);
    }

    @Override
    public InetAddress getLocalAddress() {
        return port.getLocalAddress().getAddress();
    }

    @Override
    public int getLocalPort() {
        return port.getLocalAddress().getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return port.getLocalAddress();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return remote;
    }

    @Override
    public InetAddress getInetAddress() {
        return remote.getAddress();
    }

    @Override
    public int getPort() {
        return remote.getPort();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (stun == null) {
            // Called from the superclass's constructor, which failed.
            super.close();
            return;
        }
        synchronized (stun) {
            closed = true;
            stun.clear();
            stun.notifyAll();
        }
        // The address is free for another session, as it is once the candidate is freed.
        port.forget(remote, this);
        super.close();
    }
}
