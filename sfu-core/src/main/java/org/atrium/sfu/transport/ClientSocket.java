package org.atrium.sfu.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A plain UDP socket of a client, read and written as a {@link ClientIce}'s port is: with epoll,
 * on the loops all clients' ports of the process share; else on a thread of its own. For load
 * tests whose clients need no ICE (the raw relay's participants), so that they receive exactly
 * as the SFU's test clients do and the two loads cost the same per packet.
 */
public final class ClientSocket implements AutoCloseable {

    /** Receives the socket's datagrams on its reading thread; the bytes are valid only during the call. */
    public interface Receiver {
        void onDatagram(byte[] buf, int off, int len, InetSocketAddress from);
    }

    private final MediaSocket socket;

    private ClientSocket(MediaSocket socket) {
        this.socket = socket;
    }

    /** Binds {@code bind} (port 0 for an ephemeral one) and starts reading into {@code receiver}. */
    public static ClientSocket open(InetSocketAddress bind, Receiver receiver) throws IOException {
        // A refused send returns false to its caller, which counts it: nothing to count here.
        MediaSocket socket = MediaSocket.openClient(bind, new MediaSocket.SendFailures() {
            @Override
            public void onSendBufferFull() {
            }

            @Override
            public void onSendError(Throwable cause) {
            }
        });
        ClientSocket client = new ClientSocket(socket);
        socket.start((buf, off, len, from, receivedNanos) -> receiver.onDatagram(buf, off, len, from));
        return client;
    }

    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    /** Sends one datagram; never throws: false when it was refused (full buffer, closed socket). */
    public boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
        return socket.send(buf, off, len, to);
    }

    @Override
    public void close() {
        socket.close();
    }
}
