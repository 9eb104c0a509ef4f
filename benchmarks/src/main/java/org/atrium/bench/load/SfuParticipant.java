package org.atrium.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.atrium.dtls.Fingerprint;
import org.atrium.rtp.Fir;
import org.atrium.rtp.Nack;
import org.atrium.rtp.Pli;
import org.atrium.rtp.ReceiverReport;
import org.atrium.rtp.RtcpFeedback;
import org.atrium.rtp.RtcpIterator;
import org.atrium.rtp.RtcpPacketType;
import org.atrium.rtp.SenderReport;
import org.atrium.sfu.client.PeerDataChannels;
import org.atrium.sfu.client.WebRtcPeer;
import org.atrium.sfu.rtcp.NtpTime;
import org.atrium.sfu.transport.IceCandidate;
import org.atrium.signaling.sdp.CandidateParser;
import org.atrium.signaling.sdp.SdpException;
import org.atrium.srtp.SrtpSession;

/**
 * One synthetic participant of an Atrium room, as a browser would be: it joins over the
 * signaling WebSocket, answers every offer, connects ICE, DTLS and SRTP with a
 * {@link WebRtcPeer}, publishes synthetic audio and video if it is a publisher, measures
 * everything it receives, and sends the RTCP a browser sends (Sender and Receiver Reports
 * about once a second, NACK, PLI). With {@code --data-rate}, it also sends and receives
 * data-channel messages ({@link DataTraffic}).
 */
final class SfuParticipant implements WebRtcPeer.PacketHandler, ReceiveStats.Feedback, AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    /** What a participant sends: nothing (a subscriber), audio, video, or both. */
    record Role(boolean audio, boolean video) {
        static final Role SUBSCRIBER = new Role(false, false);

        boolean publishes() {
            return audio || video;
        }
    }

    private final String name;
    private final Role role;
    private final Pacer pacer;
    private final LoadOptions options;
    /** The association timers of every participant's data channels; null without data. */
    private final ScheduledExecutorService dataTimers;
    private final WebRtcPeer peer;
    private final SignalingConnection signaling;
    private final Map<Long, Long> rtxToMedia = new ConcurrentHashMap<>();
    private final ReceiveStats stats;
    private final long ownSsrc;
    private final AnswerWriter.Publishing publishing;
    private final SyntheticStream.TransportSequence transportSequence = new SyntheticStream.TransportSequence();
    private final RtcpIterator rtcp = new RtcpIterator();
    private final byte[] feedbackBuf = new byte[1500];
    private final byte[] reportBuf = new byte[1500];
    private volatile ExtensionIds extensionIds = ExtensionIds.NONE;
    private volatile AudioStream audio;
    /** The single stream, or the simulcast encodings lowest first; empty before connecting. */
    private volatile VideoStream[] videos = new VideoStream[0];
    /** The data-channel traffic once connected; null without data. */
    private volatile DataTraffic data;
    /** The RIDs our answer sends video as; empty for one stream. */
    private volatile List<String> simulcastRids = List.of();
    private volatile boolean iceStarted;
    private volatile String lastError;
    private volatile long plisReceived;
    private volatile long nacksReceived;

    private SfuParticipant(URI webSocketUri, String name, Role role, Pacer pacer, LoadOptions options,
            HttpClient client, ScheduledExecutorService dataTimers) throws Exception {
        this.name = name;
        this.role = role;
        this.pacer = pacer;
        this.options = options;
        this.dataTimers = dataTimers;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        this.ownSsrc = random.nextLong(1, 1L << 32);
        this.publishing = new AnswerWriter.Publishing(role.audio() ? ownSsrc : -1,
                role.video() ? random.nextLong(1, 1L << 32) : -1,
                role.video() ? random.nextLong(1, 1L << 32) : -1, name, role.video() && options.simulcast());
        this.stats = new ReceiveStats(this, rtxToMedia);
        this.peer = WebRtcPeer.create(name, InetAddress.getLoopbackAddress(), this);
        SignalingConnection connection;
        try {
            connection = new SignalingConnection(client, webSocketUri, this::onMessage);
        } catch (Exception e) {
            peer.close();
            throw e;
        }
        this.signaling = connection;
    }

    /**
     * Opens the WebSocket to one node and sends {@code join}; the rest happens as the server's
     * messages arrive.
     *
     * @param webSocketUri the node's signaling WebSocket, one of {@code --url}
     * @param dataTimers runs the data channels' timers when {@code --data-rate} is on, else null
     */
    static SfuParticipant join(URI webSocketUri, String room, String name, Role role, Pacer pacer,
            LoadOptions options, HttpClient client, ScheduledExecutorService dataTimers) throws Exception {
        SfuParticipant participant = new SfuParticipant(webSocketUri, name, role, pacer, options, client,
                dataTimers);
        participant.signaling.send(joinMessage(room, name, options.cluster()));
        return participant;
    }

    /**
     * The {@code join} message; in a cluster with {@code "noRedirect": true}, so that the node
     * the load generator chose takes the participant even when placement would send it elsewhere.
     */
    static ObjectNode joinMessage(String room, String name, boolean cluster) {
        ObjectNode join = SignalingConnection.JSON.createObjectNode().put("type", "join").put("room", room)
                .put("name", name);
        return cluster ? join.put("noRedirect", true) : join;
    }

    String name() {
        return name;
    }

    Role role() {
        return role;
    }

    /** Waits until SRTP (and the data channels' association, with data) is up, then starts publishing. */
    void awaitConnected() throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        while (!iceStarted) {
            String refusal = lastError;
            if (refusal != null) {
                // Before its offer a participant has sent only "join": an error refuses it.
                throw new IllegalStateException(name + ": join refused (" + refusal + ")");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException(name + ": no offer within " + CONNECT_TIMEOUT
                        + (lastError != null ? " (" + lastError + ")" : ""));
            }
            Thread.sleep(10);
        }
        peer.awaitConnected(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (options.dataRate() > 0) {
            PeerDataChannels channels = peer.dataChannels(dataTimers);
            DataTraffic traffic = new DataTraffic(channels, options.dataRate(), options.dataSize());
            channels.setListener(traffic);
            if (!traffic.open()
                    || !channels.awaitConnected(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                throw new TimeoutException(name + ": no data-channel association within " + CONNECT_TIMEOUT);
            }
            traffic.startAt(System.nanoTime() + random.nextLong(1_000_000_000L / options.dataRate()));
            data = traffic;
        }
        if (role.audio()) {
            AudioStream stream = new AudioStream(publishing.audioSsrc(), "0", extensionIds, transportSequence,
                    this::sendRtp, random.nextLong(), 20 + random.nextInt(60));
            audio = stream;
            pacer.add(stream, random.nextLong(AudioStream.INTERVAL_NANOS));
        }
        if (role.video()) {
            List<String> rids = simulcastRids;
            VideoStream[] streams = new VideoStream[Math.max(1, rids.size())];
            if (rids.isEmpty()) {
                streams[0] = new VideoStream(publishing.videoSsrc(), "1", null, extensionIds, transportSequence,
                        this::sendRtp, random.nextLong(), options.videoKbps(), options.frameRate());
            } else {
                // SSRCs appear in no SDP: the SFU learns them from the RID extension.
                for (int i = 0; i < streams.length; i++) {
                    streams[i] = new VideoStream(random.nextLong(1, 1L << 32), "1", rids.get(i), extensionIds,
                            transportSequence, this::sendRtp, random.nextLong(), options.simulcastKbps().get(i),
                            options.frameRate());
                }
            }
            videos = streams;
            // The encodings of one frame are captured, and sent, at the same time.
            long phase = random.nextLong(1_000_000_000L / options.frameRate());
            for (VideoStream stream : streams) {
                pacer.add(stream, phase);
            }
        }
    }

    /** Sends the data messages due at {@code now}; called by one thread. */
    void sendData(long now) {
        DataTraffic traffic = data;
        if (traffic != null) {
            traffic.sendDue(now);
        }
    }

    private boolean sendRtp(byte[] b, int off, int len) {
        return peer.sendRtpInPlace(b, off, len) > 0;
    }

    private void onMessage(JsonNode message) {
        switch (message.path("type").asText()) {
            case "offer" -> onOffer(message);
            case "error" -> lastError = message.path("code").asText() + ": " + message.path("message").asText();
            // Only a join without noRedirect (a single --url, a node of a cluster) can be redirected.
            case "redirect" -> lastError = "redirected to node " + message.path("node").asText() + " at "
                    + message.path("url").asText() + " (give every node in --url)";
            default -> {
                // joined, participant-joined/left, active-speaker: nothing to do for a synthetic client.
            }
        }
    }

    private void onOffer(JsonNode offer) {
        String sdp = offer.path("sdp").asText();
        readOffer(sdp);
        if (!iceStarted) {
            // The first offer fixes how video is sent; later offers ask for the same encodings.
            simulcastRids = publishing.simulcast() ? AnswerWriter.offeredRids(sdp) : List.of();
        }
        String answer = AnswerWriter.answer(sdp, peer.localUfrag(), peer.localPassword(),
                peer.fingerprint().value(), peer.localCandidates(), publishing);
        signaling.send(signaling.message("answer").put("version", offer.path("version").asInt()).put("sdp", answer));
        if (!iceStarted) {
            try {
                startIce(sdp);
            } catch (SdpException | RuntimeException e) {
                lastError = "cannot connect to the offer's transport: " + e.getMessage();
            }
        }
    }

    /** Notes the negotiated extension ids (from mids 0 and 1) and the RTX SSRCs of what we receive. */
    private void readOffer(String sdp) {
        int audioLevel = 0;
        int transportCc = 0;
        int mid = 0;
        int rid = 0;
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=extmap:")) {
                String[] fields = line.substring("a=extmap:".length()).split(" ");
                int id = Integer.parseInt(fields[0].split("/")[0]);
                switch (fields[1]) {
                    case "urn:ietf:params:rtp-hdrext:ssrc-audio-level" -> audioLevel = id;
                    case org.atrium.rtp.TransportCcExtension.URI -> transportCc = id;
                    case "urn:ietf:params:rtp-hdrext:sdes:mid" -> mid = id;
                    case "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id" -> rid = id;
                    default -> {
                    }
                }
            } else if (line.startsWith("a=ssrc-group:FID ")) {
                String[] fields = line.split(" ");
                rtxToMedia.put(Long.parseLong(fields[2]), Long.parseLong(fields[1]));
            }
        }
        extensionIds = new ExtensionIds(audioLevel, transportCc, mid, rid);
    }

    private void startIce(String sdp) throws SdpException {
        String ufrag = null;
        String password = null;
        String fingerprint = null;
        List<IceCandidate> candidates = new ArrayList<>();
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=ice-ufrag:") && ufrag == null) {
                ufrag = line.substring("a=ice-ufrag:".length());
            } else if (line.startsWith("a=ice-pwd:") && password == null) {
                password = line.substring("a=ice-pwd:".length());
            } else if (line.startsWith("a=fingerprint:") && fingerprint == null) {
                fingerprint = line.substring("a=fingerprint:".length());
            } else if (line.startsWith("a=candidate:") && candidates.isEmpty()) {
                IceCandidate candidate = CandidateParser.parse(line);
                if (candidate != null) {
                    candidates.add(candidate);
                }
            }
        }
        if (ufrag == null || password == null || fingerprint == null || candidates.isEmpty()) {
            throw new SdpException("the offer lacks ICE credentials, fingerprint or candidates");
        }
        for (IceCandidate candidate : candidates) {
            if (!Loopback.isLoopback(candidate.address())) {
                throw new SdpException("the server's candidate " + candidate.address()
                        + " is not on loopback; the load generator sends only to 127.0.0.1");
            }
        }
        peer.connect(ufrag, password, Fingerprint.parse(fingerprint), candidates);
        iceStarted = true;
    }

    @Override
    public void onRtp(byte[] b, int off, int len, long receivedNanos) {
        stats.onRtp(b, off, len, receivedNanos);
    }

    @Override
    public void onRtcp(byte[] b, int off, int len) {
        long now = System.nanoTime();
        rtcp.reset(b, off, len);
        while (rtcp.next()) {
            int at = rtcp.offset();
            int type = rtcp.packetType();
            if (type == RtcpPacketType.SR && SenderReport.is(b, at, rtcp.length())) {
                stats.onSenderReport(SenderReport.senderSsrc(b, at), SenderReport.compactNtp(b, at), now);
            } else if (type == RtcpPacketType.PSFB && rtcp.format() == RtcpPacketType.FMT_PLI
                    && Pli.is(b, at, rtcp.length())) {
                requestKeyframe(RtcpFeedback.mediaSsrc(b, at));
                plisReceived++;
            } else if (type == RtcpPacketType.PSFB && rtcp.format() == RtcpPacketType.FMT_FIR
                    && Fir.is(b, at, rtcp.length())) {
                for (int i = 0; i < Fir.entryCount(b, at); i++) {
                    requestKeyframe(Fir.entrySsrc(b, at, i));
                }
                plisReceived++;
            } else if (type == RtcpPacketType.RTPFB && rtcp.format() == RtcpPacketType.FMT_NACK) {
                // A browser would retransmit; the synthetic publisher keeps no history and counts them.
                nacksReceived++;
            }
        }
    }

    /** A keyframe of the stream (the simulcast encoding) the request names. */
    private void requestKeyframe(long mediaSsrc) {
        for (VideoStream stream : videos) {
            if (stream.ssrc == mediaSsrc) {
                stream.requestKeyframe();
            }
        }
    }

    @Override
    public void nack(long mediaSsrc, int[] sequences, int count) {
        int length = Nack.write(feedbackBuf, 0, ownSsrc, mediaSsrc, sequences, count);
        if (length > 0) {
            sendRtcp(feedbackBuf, length);
        }
    }

    @Override
    public void pli(long mediaSsrc) {
        int length = Pli.write(feedbackBuf, 0, ownSsrc, mediaSsrc);
        sendRtcp(feedbackBuf, length);
    }

    /**
     * Sends this participant's periodic RTCP: a Sender Report for each stream it sends and
     * a Receiver Report with a block for each stream it receives. Called by one thread.
     */
    void sendReports() {
        if (!peer.isConnected()) {
            return;
        }
        long now = System.nanoTime();
        int pos = 0;
        long ntp = NtpTime.now();
        List<SyntheticStream> sent = new ArrayList<>(List.of(videos));
        if (audio != null) {
            sent.add(0, audio);
        }
        for (SyntheticStream stream : sent) {
            int length = SenderReport.write(reportBuf, pos, stream.ssrc, ntp, stream.rtpTimestamp,
                    stream.packetsSent(), stream.bytesSent(), 0);
            pos += Math.max(0, length);
        }
        int blocks = Math.min(31, stats.streamCount());
        if (blocks > 0 || pos == 0) {
            int length = ReceiverReport.write(reportBuf, pos, ownSsrc, blocks);
            for (int i = 0; i < blocks; i++) {
                stats.stream(i).writeReportBlock(reportBuf, ReceiverReport.reportBlockOffset(reportBuf, pos, i), now);
            }
            pos += length;
        }
        sendRtcp(reportBuf, pos);
    }

    private void sendRtcp(byte[] b, int length) {
        if (length <= 0 || length + SrtpSession.MAX_TRAILER > b.length) {
            return;
        }
        try {
            peer.sendRtcpInPlace(b, 0, length);
        } catch (IllegalStateException e) {
            // Not connected yet or closing: a browser drops its RTCP then too.
        }
    }

    void addTo(LoadSnapshot.Builder snapshot) {
        if (role.publishes()) {
            snapshot.publishers++;
        } else {
            snapshot.subscribers++;
        }
        AudioStream a = audio;
        if (a != null) {
            snapshot.addSent(a);
        }
        for (VideoStream v : videos) {
            snapshot.addSent(v);
        }
        snapshot.undecryptable += peer.undecryptableCount();
        stats.addTo(snapshot);
        DataTraffic traffic = data;
        if (traffic != null) {
            traffic.addTo(snapshot);
        }
    }

    long plisReceived() {
        return plisReceived;
    }

    long nacksReceived() {
        return nacksReceived;
    }

    String lastError() {
        return lastError;
    }

    /** Stops sending, leaves the room (WebSocket {@code leave}) and closes the peer. */
    @Override
    public void close() {
        AudioStream a = audio;
        if (a != null) {
            pacer.remove(a);
        }
        for (VideoStream v : videos) {
            pacer.remove(v);
        }
        try {
            signaling.close();
        } finally {
            peer.close();
        }
    }
}
