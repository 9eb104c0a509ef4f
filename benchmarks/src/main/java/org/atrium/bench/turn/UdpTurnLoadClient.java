package org.atrium.bench.turn;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

/**
 * One TURN client over UDP: its own socket, connected to the server's UDP port. The control
 * conversation runs blocking, with RFC 8489 6.2.1-style retransmission (500 ms, doubled, 5
 * tries); then the socket turns non-blocking and carries ChannelData on one channel.
 */
final class UdpTurnLoadClient implements AutoCloseable {

    private static final int SOCKET_BUFFER = 1 << 20;

    final DatagramChannel channel;
    private final int channelNumber;
    private final ByteBuffer frame;
    private InetSocketAddress relayed;
    /** ChannelData the socket refused (its send buffer full): not sent, not counted as sent. */
    long sendRefused;

    UdpTurnLoadClient(InetSocketAddress server, int channelNumber, int payload) throws IOException {
        this.channel = DatagramChannel.open();
        this.channelNumber = channelNumber;
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
            channel.bind(new InetSocketAddress(server.getAddress(), 0));
            channel.connect(server);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        this.frame = ByteBuffer.wrap(StunCodec.channelData(channelNumber, payload));
    }

    /** Allocate, CreatePermission and ChannelBind to {@code peer}, then non-blocking. */
    void open(String username, String password, InetSocketAddress peer) throws IOException {
        TurnSession session = new TurnSession(this::exchange, username, password);
        relayed = session.allocate();
        session.bind(peer, channelNumber);
        channel.configureBlocking(false);
    }

    InetSocketAddress relayed() {
        return relayed;
    }

    /** One ChannelData message; false when the socket's buffer was full. */
    boolean send() throws IOException {
        frame.clear();
        if (channel.write(frame) == 0) {
            sendRefused++;
            return false;
        }
        return true;
    }

    /** Whether this datagram is a ChannelData message on our channel carrying {@code payload} bytes. */
    boolean isEcho(ByteBuffer buf, int payload) {
        return buf.position() == 4 + payload && StunCodec.readShort(buf.array(), 0) == channelNumber
                && StunCodec.readShort(buf.array(), 2) == payload;
    }

    private StunCodec.Response exchange(byte[] request, byte[] transaction) throws IOException {
        int timeout = 500;
        byte[] buf = new byte[1500];
        for (int attempt = 0; attempt < 5; attempt++, timeout *= 2) {
            channel.write(ByteBuffer.wrap(request));
            long deadline = System.nanoTime() + timeout * 1_000_000L;
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    break;
                }
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                channel.socket().setSoTimeout((int) left);
                try {
                    channel.socket().receive(packet);
                } catch (SocketTimeoutException e) {
                    break;
                }
                StunCodec.Response response = StunCodec.parse(buf, 0, packet.getLength());
                if (response != null && Arrays.equals(response.transaction(), transaction)) {
                    return response;
                }
            }
        }
        throw new IOException("no response from the TURN server after 5 tries");
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
