package org.atrium.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A participant of the raw relay baseline: one UDP socket, one receive thread as each
 * WebRTC peer has, the same synthetic streams as an SFU publisher (plain RTP with
 * {@link #TAG_BYTES} more bytes standing for the SRTP tag), and the same receive
 * statistics, without RTCP.
 *
 * <p>With simulcast, the top encoding goes out on the participant's socket, which the relay
 * forwards to the room, and each lower encoding on a socket of its own, which the relay
 * receives and forwards to nobody: the relay gets everything the SFU gets and forwards one
 * encoding per receiver, as the SFU does with every receiver on the top encoding, without
 * having to parse a packet to tell the encodings apart.
 */
final class RelayParticipant implements AutoCloseable {

    /** The AEAD_AES_128_GCM tag the SFU's packets carry: same sizes on the wire. */
    static final int TAG_BYTES = 16;

    private final String name;
    private final DatagramChannel channel;
    private final Thread receiver;
    private final ReceiveStats stats = new ReceiveStats(null, Map.of(), TAG_BYTES);
    private AudioStream audio;
    private final List<VideoStream> videos = new ArrayList<>();
    /** The sockets of the lower simulcast encodings, which the relay does not forward. */
    private final List<DatagramChannel> lowerEncodings = new ArrayList<>();

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

    /** Starts this participant's streams on the pacer; the relay forwards the lower simulcast encodings to nobody. */
    void publish(Pacer pacer, SfuParticipant.Role role, LoadOptions options, RawUdpRelay relay) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        SyntheticStream.TransportSequence sequence = new SyntheticStream.TransportSequence();
        if (role.audio()) {
            audio = new AudioStream(random.nextLong(1, 1L << 32), "0", ExtensionIds.SFU_DEFAULTS, sequence,
                    new UdpSink(channel), random.nextLong(), 20 + random.nextInt(60));
            pacer.add(audio, random.nextLong(AudioStream.INTERVAL_NANOS));
        }
        if (role.video()) {
            long phase = random.nextLong(1_000_000_000L / options.frameRate());
            if (!options.simulcast()) {
                videos.add(new VideoStream(random.nextLong(1, 1L << 32), "1", null, ExtensionIds.SFU_DEFAULTS,
                        sequence, new UdpSink(channel), random.nextLong(), options.videoKbps(), options.frameRate()));
            } else {
                List<String> rids = LoadOptions.SIMULCAST_RIDS;
                for (int i = 0; i < rids.size(); i++) {
                    DatagramChannel socket = channel;
                    if (i < rids.size() - 1) {
                        socket = DatagramChannel.open();
                        socket.bind(new InetSocketAddress("127.0.0.1", 0));
                        socket.connect(channel.getRemoteAddress());
                        lowerEncodings.add(socket);
                        relay.route((InetSocketAddress) socket.getLocalAddress(), new InetSocketAddress[0]);
                    }
                    videos.add(new VideoStream(random.nextLong(1, 1L << 32), "1", rids.get(i),
                            ExtensionIds.SFU_DEFAULTS, sequence, new UdpSink(socket), random.nextLong(),
                            options.simulcastKbps().get(i), options.frameRate()));
                }
            }
            for (VideoStream video : videos) {
                pacer.add(video, phase);
            }
        }
    }

    /** Sends a stream's packet to the relay, with room for the stand-in tag; allocates once per stream. */
    private final class UdpSink implements PacketSink {
        private final DatagramChannel channel;
        private ByteBuffer wrapped;

        UdpSink(DatagramChannel channel) {
            this.channel = channel;
        }

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
        if (audio != null || !videos.isEmpty()) {
            snapshot.publishers++;
        } else {
            snapshot.subscribers++;
        }
        if (audio != null) {
            snapshot.addSent(audio);
        }
        for (VideoStream video : videos) {
            snapshot.addSent(video);
        }
        stats.addTo(snapshot);
    }

    @Override
    public void close() {
        try {
            for (DatagramChannel socket : lowerEncodings) {
                socket.close();
            }
            channel.close();
            receiver.join(1000);
        } catch (IOException e) {
            // closing: nothing left to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
