package org.atrium.sfu.transport;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferHandler;
import org.ice4j.util.BufferPool;

/**
 * Reads the non-STUN frames of one ICE-TCP connection and hands them on as the UDP port's
 * push API hands datagrams: as {@link Buffer}s with {@link UdpMediaPort#TAIL_ROOM} free bytes
 * after the packet.
 *
 * <p>ice4j has no push API for TCP: its {@code MultiplexingSocket} gives STUN frames to the
 * STUN stack's reader and keeps the others for whoever calls {@code receive} on the
 * candidate's socket. That is this thread, one per validated TCP pair, so at most a few per
 * session. It ends when the connection closes (the agent's {@code free()} closes it).
 */
final class TcpPairReader implements Runnable {

    /** The largest packet taken: more than any DTLS record or SRTP packet a browser sends. */
    static final int MAX_PACKET = 1500;

    private final IceSocketWrapper socket;
    private final InetSocketAddress remote;
    private final BufferHandler handler;
    private final Runnable onOversize;

    /**
     * @param handler gets each packet, with its remote address set; the buffer is the
     *        handler's to release
     * @param onOversize called for each frame longer than {@link #MAX_PACKET}, which is dropped
     */
    TcpPairReader(IceSocketWrapper socket, InetSocketAddress remote, BufferHandler handler, Runnable onOversize) {
        this.socket = socket;
        this.remote = remote;
        this.handler = handler;
        this.onOversize = onOversize;
    }

    /** Starts the reader on a daemon thread named after the connection. */
    static Thread start(String session, TcpPairReader reader) {
        Thread thread = new Thread(reader,
                "atrium-ice-tcp-" + session + "-" + reader.remote.getHostString() + ":" + reader.remote.getPort());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void run() {
        // Room past MAX_PACKET, so that a longer frame (ice4j truncates to the array) shows by its length.
        int capacity = MAX_PACKET + UdpMediaPort.TAIL_ROOM;
        DatagramPacket packet = new DatagramPacket(new byte[0], 0);
        while (true) {
            Buffer buffer = BufferPool.getBuffer.invoke(capacity);
            packet.setData(buffer.getBuffer(), 0, capacity);
            try {
                socket.receive(packet);
            } catch (IOException | RuntimeException e) {
                // Closed by the agent, or by the peer.
                IceTransport.release(buffer);
                return;
            }
            if (packet.getData() != buffer.getBuffer() || packet.getLength() > MAX_PACKET) {
                IceTransport.release(buffer);
                onOversize.run();
                continue;
            }
            buffer.setOffset(packet.getOffset());
            buffer.setLength(packet.getLength());
            buffer.setRemoteAddress(remote);
            handler.handleBuffer(buffer);
        }
    }
}
