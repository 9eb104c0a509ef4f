package org.atrium.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A participant of the raw relay baseline: one UDP socket, one receive thread as each
 * WebRTC peer has, the same synthetic streams as an SFU publisher (plain RTP with
 * {@link #TAG_BYTES} more bytes standing for the SRTP tag), and the same receive
 * statistics, without RTCP.
 */
final class RelayParticipant implements AutoCloseable {

    /** The AEAD_AES_128_GCM tag the SFU's packets carry: same sizes on the wire. */
    static final int TAG_BYTES = 16;

    private final String name;
    private final DatagramChannel channel;
    private final Thread receiver;
    private final ReceiveStats stats = new ReceiveStats(null, Map.of(), TAG_BYTES);
    private AudioStream audio;
    private VideoStream video;

    RelayParticipant(String name, InetSocketAddress relay) throws IOException {
        this.name = name;
        channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        channel.connect(relay);
        receiver = new Thread(this::receive, "relay-" + name + "-receive");
        receiver.setDaemon(true);
        receiver.start();
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Starts this participant's streams on the pacer. */
    void publish(Pacer pacer, SfuParticipant.Role role, LoadOptions options) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        SyntheticStream.TransportSequence sequence = new SyntheticStream.TransportSequence();
        if (role.audio()) {
            audio = new AudioStream(random.nextLong(1, 1L << 32), "0", ExtensionIds.SFU_DEFAULTS, sequence,
                    new UdpSink(), random.nextLong(), 20 + random.nextInt(60));
            pacer.add(audio, random.nextLong(AudioStream.INTERVAL_NANOS));
        }
        if (role.video()) {
            video = new VideoStream(random.nextLong(1, 1L << 32), "1", ExtensionIds.SFU_DEFAULTS, sequence,
                    new UdpSink(), random.nextLong(), options.videoKbps(), options.frameRate());
            pacer.add(video, random.nextLong(1_000_000_000L / options.frameRate()));
        }
    }

    /** Sends a stream's packet to the relay, with room for the stand-in tag; allocates once per stream. */
    private final class UdpSink implements PacketSink {
        private ByteBuffer wrapped;

        @Override
        public boolean send(byte[] b, int off, int len) {
            if (wrapped == null || wrapped.array() != b) {
                wrapped = ByteBuffer.wrap(b);
            }
            wrapped.limit(off + len + TAG_BYTES).position(off);
            try {
                return channel.write(wrapped) > 0;
            } catch (IOException e) {
                return false;
            }
        }
    }

    private void receive() {
        byte[] array = new byte[2048];
        ByteBuffer buf = ByteBuffer.wrap(array);
        try {
            while (true) {
                buf.clear();
                channel.receive(buf);
                stats.onRtp(array, 0, buf.position(), System.nanoTime());
            }
        } catch (ClosedChannelException e) {
            // close(): done
        } catch (IOException e) {
            System.err.println("relay participant " + name + " stopped receiving: " + e);
        }
    }

    void addTo(LoadSnapshot.Builder snapshot) {
        if (audio != null || video != null) {
            snapshot.publishers++;
        } else {
            snapshot.subscribers++;
        }
        if (audio != null) {
            snapshot.addSent(audio);
        }
        if (video != null) {
            snapshot.addSent(video);
        }
        stats.addTo(snapshot);
    }

    @Override
    public void close() {
        try {
            channel.close();
            receiver.join(1000);
        } catch (IOException e) {
            // closing: nothing left to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
