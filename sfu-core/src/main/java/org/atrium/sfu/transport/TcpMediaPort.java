package org.atrium.sfu.transport;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one TCP port for ICE-TCP (RFC 6544): passive candidates for clients whose network
 * drops UDP. Chromium gathers only active TCP candidates, so it connects here; every
 * packet then travels in RFC 4571 frames (a 16-bit length, then the packet).
 *
 * <p>A connection belongs to the session named by the local ufrag in the USERNAME of its
 * first frame, which must be a STUN Binding request; anything else closes it. Until that
 * frame is read a connection is pending: at most {@link #MAX_PENDING} at a time, each for at
 * most {@link #FIRST_FRAME_TIMEOUT_MILLIS}, so idle connections cannot use up threads or
 * file descriptors. After it, ice4j's STUN stack reads the connection (one thread of
 * ice4j's per connection) and {@link TcpPairReader} takes the media once the pair is
 * validated.
 */
public final class TcpMediaPort implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpMediaPort.class);

    /** Connections that have not sent their first frame yet, each on a thread of its own. */
    static final int MAX_PENDING = 128;
    /** Time for a new connection to send its first frame (a browser sends it at once). */
    static final int FIRST_FRAME_TIMEOUT_MILLIS = 5000;
    /** A Binding request with USERNAME, PRIORITY, MESSAGE-INTEGRITY and FINGERPRINT is ~100-200 bytes. */
    static final int MAX_FIRST_FRAME = 1500;
    private static final int STUN_HEADER = 20;

    /** RFC 6544 4.2 direction preferences of a passive candidate: host 4, behind a NAT 2. */
    private static final int HOST_TYPE_PREFERENCE = 90;
    private static final int SRFLX_TYPE_PREFERENCE = 70;

    private final ServerSocketChannel server;
    private final IceTcpHarvester harvester;
    private final InetSocketAddress localAddress;
    private final List<IceCandidate> candidates;
    private final Thread acceptThread;
    private final Set<SocketChannel> pending = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pendingThreads = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean closed;

    /**
     * Binds the port and starts accepting.
     *
     * @param bindAddress a concrete local address, the UDP media port's
     * @param port the TCP port, 0 for an ephemeral one (tests)
     * @param announcedAddresses public addresses that map to bindAddress:port, announced as
     *        server-reflexive candidates; may be empty
     */
    public TcpMediaPort(InetAddress bindAddress, int port, List<InetAddress> announcedAddresses) throws IOException {
        if (bindAddress.isAnyLocalAddress()) {
            throw new IllegalArgumentException(
                    "the ICE-TCP port needs a concrete bind address, not " + bindAddress.getHostAddress());
        }
        server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(bindAddress, port), MAX_PENDING);
            localAddress = (InetSocketAddress) server.getLocalAddress();
            harvester = new IceTcpHarvester(
                    new TransportAddress(bindAddress, localAddress.getPort(), Transport.TCP));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        String host = bindAddress.getHostAddress();
        List<IceCandidate> list = new ArrayList<>();
        list.add(new IceCandidate("t1", 1, "tcp",
                IceCandidate.priority(HOST_TYPE_PREFERENCE, IceCandidate.tcpLocalPreference(4, 8191), 1),
                host, localAddress.getPort(), "host", null, -1, IceCandidate.TCP_PASSIVE));
        int foundation = 2;
        for (InetAddress announced : announcedAddresses) {
            harvester.addMappedAddress(announced, bindAddress);
            list.add(new IceCandidate("t" + foundation++, 1, "tcp",
                    IceCandidate.priority(SRFLX_TYPE_PREFERENCE, IceCandidate.tcpLocalPreference(2, 8191), 1),
                    announced.getHostAddress(), localAddress.getPort(), "srflx", host, localAddress.getPort(),
                    IceCandidate.TCP_PASSIVE));
        }
        candidates = List.copyOf(list);
        acceptThread = new Thread(this::acceptLoop, "atrium-ice-tcp-accept-" + localAddress.getPort());
        acceptThread.setDaemon(true);
        acceptThread.start();
    }

    IceTcpHarvester harvester() {
        return harvester;
    }

    /** The address and port actually bound. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The passive candidates every session announces: host, then any public ones. */
    public List<IceCandidate> candidates() {
        return candidates;
    }

    /** Connections handed to a session since the port opened. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** Connections closed before reaching a session: over the bound, silent, or not ICE. */
    public long refusedConnections() {
        return refused.get();
    }

    /** Connections waiting for their first frame. */
    public int pendingConnections() {
        return pending.size();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // Out of file descriptors, for one: keep the port, try again shortly.
                LOG.warn("ICE-TCP accept failed: {}", e.toString());
                sleepQuietly(100);
                continue;
            }
            if (pendingThreads.incrementAndGet() > MAX_PENDING) {
                pendingThreads.decrementAndGet();
                refuse(channel);
                continue;
            }
            pending.add(channel);
            Thread greeter = new Thread(() -> readFirstFrame(channel), "atrium-ice-tcp-first-frame");
            greeter.setDaemon(true);
            greeter.start();
        }
    }

    private void readFirstFrame(SocketChannel channel) {
        try {
            Socket socket = channel.socket();
            socket.setTcpNoDelay(true);
            // The adaptor's stream honours SO_TIMEOUT; the channel stays blocking for ice4j.
            socket.setSoTimeout(FIRST_FRAME_TIMEOUT_MILLIS);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int length = in.readUnsignedShort();
            if (length < STUN_HEADER || length > MAX_FIRST_FRAME) {
                refuse(channel);
                return;
            }
            byte[] frame = new byte[length];
            in.readFully(frame);
            socket.setSoTimeout(0);
            String ufrag = localUfrag(frame);
            if (ufrag == null || closed) {
                refuse(channel);
                return;
            }
            DatagramPacket first = new DatagramPacket(frame, length);
            first.setAddress(socket.getInetAddress());
            first.setPort(socket.getPort());
            pending.remove(channel);
            harvester.accept(socket, ufrag, first);
            accepted.incrementAndGet();
        } catch (SocketTimeoutException e) {
            refuse(channel);
        } catch (IOException | RuntimeException e) {
            // No session with that ufrag (IllegalStateException), or the peer went away.
            LOG.debug("ICE-TCP connection refused: {}", e.toString());
            refuse(channel);
        } finally {
            pending.remove(channel);
            pendingThreads.decrementAndGet();
        }
    }

    /** The local ufrag (before the colon) of a STUN Binding request's USERNAME, or null. */
    static String localUfrag(byte[] frame) {
        try {
            Message message = Message.decode(frame, 0, frame.length);
            if (message.getMessageType() != Message.BINDING_REQUEST) {
                return null;
            }
            UsernameAttribute username = (UsernameAttribute) message.getAttribute(Attribute.USERNAME);
            if (username == null) {
                return null;
            }
            String text = new String(username.getUsername(), java.nio.charset.StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            return colon <= 0 ? null : text.substring(0, colon);
        } catch (Exception e) {
            // ice4j's decoder throws StunException and runtime exceptions alike on bad input.
            return null;
        }
    }

    private void refuse(SocketChannel channel) {
        refused.incrementAndGet();
        pending.remove(channel);
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing more to do for it.
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops accepting and closes the pending connections; connections already handed to
     * sessions close with their sessions.
     */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("Closing the ICE-TCP port: {}", e.toString());
        }
        for (SocketChannel channel : pending) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
        harvester.close();
    }
}
