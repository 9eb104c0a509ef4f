package org.atrium.sfu;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * The client end of an ICE-TCP connection as Chromium's active candidate makes it: one TCP
 * connection on which every packet is an RFC 4571 frame (a 16-bit length, then the packet).
 * Answers the SFU's connectivity checks by hand (RFC 8445 7.3, RFC 5389), so that a test sees
 * every byte on the wire.
 */
final class TcpIceClient implements AutoCloseable {

    private static final int MAGIC_COOKIE = 0x2112A442;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    TcpIceClient(InetSocketAddress server) throws IOException {
        socket = new Socket();
        socket.connect(server, 2000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    Socket socket() {
        return socket;
    }

    /** Writes one RFC 4571 frame. Thread-safe: one frame per write. */
    synchronized void send(byte[] b, int off, int len) throws IOException {
        byte[] frame = new byte[len + 2];
        frame[0] = (byte) (len >> 8);
        frame[1] = (byte) len;
        System.arraycopy(b, off, frame, 2, len);
        out.write(frame);
        out.flush();
    }

    /** Writes raw bytes, framed or not. */
    synchronized void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one frame; blocks up to the socket's timeout. */
    byte[] receive() throws IOException {
        int length = in.readUnsignedShort();
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    static boolean isStun(byte[] packet) {
        return packet.length >= 20 && (packet[0] & 0xC0) == 0 && ByteBuffer.wrap(packet, 4, 4).getInt() == MAGIC_COOKIE;
    }

    static int stunType(byte[] packet) {
        return ((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF);
    }

    /**
     * A Binding success response to {@code request}: XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY
     * keyed with the responder's password (short-term credentials), FINGERPRINT.
     */
    static byte[] successResponse(byte[] request, InetSocketAddress mapped, String password) throws Exception {
        ByteBuffer message = ByteBuffer.allocate(20 + 12 + 24 + 8);
        message.putShort((short) 0x0101).putShort((short) 0).putInt(MAGIC_COOKIE);
        message.put(request, 8, 12);
        byte[] address = mapped.getAddress().getAddress();
        message.putShort((short) 0x0020).putShort((short) 8).put((byte) 0).put((byte) 1)
                .putShort((short) (mapped.getPort() ^ (MAGIC_COOKIE >>> 16)))
                .putInt(ByteBuffer.wrap(address).getInt() ^ MAGIC_COOKIE);
        return StunBindingRequest.signed(message, password);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
