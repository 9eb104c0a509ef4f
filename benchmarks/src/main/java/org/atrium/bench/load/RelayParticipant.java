package org.atrium.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.atrium.sfu.transport.ClientSocket;
import org.atrium.srtp.SrtpProfile;
import org.atrium.srtp.SrtpSession;

/**
 * A participant of the raw relay baseline: one UDP socket read on the clients' shared loops
 * ({@link ClientSocket}), as each WebRTC peer's is ({@code ClientIce}), the same synthetic
 * streams as an SFU publisher, protected with SRTP ({@link #PROFILE}, what the SFU negotiates)
 * under its room's fixed {@link RoomKey}, and the same receive statistics after unprotecting
 * each packet, without RTCP. The receiver so does the SFU receiver's work per packet: a packet
 * that does not unprotect counts as undecryptable and goes no further, as in the WebRTC peer.
 *
 * <p>With simulcast, the top encoding goes out on the participant's socket, which the relay
 * forwards to the room, and each lower encoding on a socket of its own, which the relay
 * receives and forwards to nobody: the relay gets everything the SFU gets and forwards one
 * encoding per receiver, as the SFU does with every receiver on the top encoding, without
 * having to parse a packet to tell the encodings apart.
 */
final class RelayParticipant implements AutoCloseable {

    /** The profile the SFU negotiates with the load generator's peers: same work, same sizes on the wire. */
    static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;

    /**
     * The SRTP master key and salt of a relay room, fixed for a test: every publisher of the
     * room protects with it and every receiver unprotects with it, each SSRC in its own context.
     */
    record RoomKey(byte[] key, byte[] salt) {

        /** A key and salt of the profile's lengths, the same for the same room in every run. */
        static RoomKey forRoom(int room) {
            byte[] key = new byte[PROFILE.keyLength()];
            byte[] salt = new byte[PROFILE.saltLength()];
            for (int i = 0; i < key.length; i++) {
                key[i] = (byte) (0x40 + 7 * room + i);
            }
            for (int i = 0; i < salt.length; i++) {
                salt[i] = (byte) (0xA0 + 3 * room + i);
            }
            return new RoomKey(key, salt);
        }
    }

    private final String name;
    private final RoomKey roomKey;
    private final InetSocketAddress relay;
    private final ClientSocket socket;
    private final ReceiveStats stats = new ReceiveStats(null, Map.of());
    private final SrtpSession in;
    /** Protects what this participant publishes (all its streams); null until it publishes. */
    private SrtpSession out;
    private volatile long undecryptable;
    private AudioStream audio;
    private final List<VideoStream> videos = new ArrayList<>();
    /** The sockets of the lower simulcast encodings, which the relay does not forward. */
    private final List<ClientSocket> lowerEncodings = new ArrayList<>();

    RelayParticipant(String name, InetSocketAddress relay, RoomKey roomKey) throws IOException {
        this.name = name;
        this.roomKey = roomKey;
        this.relay = relay;
        in = SrtpSession.forReceiving(PROFILE, roomKey.key(), roomKey.salt());
        socket = ClientSocket.open(new InetSocketAddress("127.0.0.1", 0), this::receive);
    }

    InetSocketAddress address() {
        return socket.localAddress();
    }

    /** Starts this participant's streams on the pacer; the relay forwards the lower simulcast encodings to nobody. */
    void publish(Pacer pacer, SfuParticipant.Role role, LoadOptions options, RawUdpRelay relay) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        out = SrtpSession.forSending(PROFILE, roomKey.key(), roomKey.salt());
        SyntheticStream.TransportSequence sequence = new SyntheticStream.TransportSequence();
        if (role.audio()) {
            audio = new AudioStream(random.nextLong(1, 1L << 32), "0", ExtensionIds.SFU_DEFAULTS, sequence,
                    new UdpSink(socket), firstSequenceZero(random.nextLong()), 20 + random.nextInt(60));
            pacer.add(audio, random.nextLong(AudioStream.INTERVAL_NANOS));
        }
        if (role.video()) {
            long phase = random.nextLong(1_000_000_000L / options.frameRate());
            if (!options.simulcast()) {
                videos.add(new VideoStream(random.nextLong(1, 1L << 32), "1", null, ExtensionIds.SFU_DEFAULTS,
                        sequence, new UdpSink(socket), firstSequenceZero(random.nextLong()), options.videoKbps(),
                        options.frameRate()));
            } else {
                List<String> rids = LoadOptions.SIMULCAST_RIDS;
                for (int i = 0; i < rids.size(); i++) {
                    ClientSocket encodingSocket = socket;
                    if (i < rids.size() - 1) {
                        // Sends only: what comes back to it is ignored.
                        encodingSocket = ClientSocket.open(new InetSocketAddress("127.0.0.1", 0),
                                (buf, off, len, from) -> { });
                        lowerEncodings.add(encodingSocket);
                        relay.route(encodingSocket.localAddress(), new InetSocketAddress[0]);
                    }
                    videos.add(new VideoStream(random.nextLong(1, 1L << 32), "1", rids.get(i),
                            ExtensionIds.SFU_DEFAULTS, sequence, new UdpSink(encodingSocket),
                            firstSequenceZero(random.nextLong()), options.simulcastKbps().get(i), options.frameRate()));
                }
            }
            for (VideoStream video : videos) {
                pacer.add(video, phase);
            }
        }
    }

    /**
     * A stream's seed with its first sequence number 0. A receiver that joins a stream late (the
     * next step of a capacity search) must guess the stream's SRTP rollover counter, which nothing
     * signals here (RFC 3711 3.3.1), and guesses 0: true for the stream's first 65,536 packets,
     * about six minutes of the top encoding. From a random start the counter would move within
     * minutes, and every receiver that joined after it moved would fail every packet of that stream.
     * (An SFU's receivers have no such limit: each gets its own SRTP stream from the SFU.)
     */
    private static long firstSequenceZero(long seed) {
        return seed & ~0xFFFFL;
    }

    /** Protects a stream's packet in place and sends it to the relay; allocates nothing. */
    private final class UdpSink implements PacketSink {
        private final ClientSocket socket;

        UdpSink(ClientSocket socket) {
            this.socket = socket;
        }

        @Override
        public boolean send(byte[] b, int off, int len) {
            int length = out.protectRtp(b, off, len);
            return length >= 0 && socket.send(b, off, length, relay);
        }
    }

    /** On the socket's reading thread, one at a time. */
    private void receive(byte[] buf, int off, int len, InetSocketAddress from) {
        if (!relay.equals(from)) {
            // Only the relay's datagrams, as a connected socket would take.
            return;
        }
        // As the WebRTC peer: the time before unprotecting, the statistics after.
        long receivedNanos = System.nanoTime();
        int length = in.unprotectRtp(buf, off, len);
        if (length < 0) {
            undecryptable++;
            return;
        }
        stats.onRtp(buf, off, length, receivedNanos);
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
        snapshot.undecryptable += undecryptable;
        stats.addTo(snapshot);
    }

    /** Packets that did not unprotect (wrong key, replayed, malformed). */
    long undecryptable() {
        return undecryptable;
    }

    @Override
    public String toString() {
        return "RelayParticipant[" + name + " " + address() + "]";
    }

    @Override
    public void close() {
        for (ClientSocket encodingSocket : lowerEncodings) {
            encodingSocket.close();
        }
        socket.close();
    }
}
