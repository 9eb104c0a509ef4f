package org.atrium.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.atrium.signaling.AtriumServer;
import org.atrium.signaling.ServerConfig;
import org.atrium.sfu.SfuConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Short runs of the load generator against an Atrium server in this JVM, on loopback. */
@Timeout(60)
class LoadGeneratorTest {

    @TempDir
    Path dir;

    private AtriumServer server;
    private String port;

    @BeforeEach
    void startServer() throws Exception {
        SfuConfig sfu = SfuConfig.defaults().withMedia(InetAddress.getByName("127.0.0.1"), 0, List.of());
        server = new AtriumServer(new ServerConfig("127.0.0.1", 0, null, null, false, sfu));
        port = String.valueOf(server.httpAddress().getPort());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aShortRunForwardsEveryPacketToEachSubscriberWithoutLossAndWithSaneDelay() throws Exception {
        Path output = dir.resolve("result.json");
        String[] args = {"--url", "ws://127.0.0.1:" + port + "/ws", "--rooms", "1", "--publishers", "1",
            "--subscribers", "2", "--duration", "3", "--ramp-up", "0", "--video-kbps", "500",
            "--simulcast", "off", "--output", output.toString()};
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LoadGenerator generator = new LoadGenerator(LoadOptions.parse(args),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        generator.run(args);

        WindowResult r = generator.results().get(0);
        assertEquals("sfu", r.target());
        assertEquals(1, r.publishers());
        assertEquals(2, r.subscribers());
        // 50 audio packets/s and 30 frames/s of one or more packets each.
        assertTrue(r.sentPps() > 70 && r.sentPps() < 200, "sent " + r.sentPps());
        // One publisher, two subscribers: each packet reaches both, and nothing else is forwarded.
        assertEquals(2 * r.sentPps(), r.forwardedPps(), 0.1 * r.sentPps(), "forwarded");
        assertEquals(r.forwardedPps(), r.serverForwardedPps(), 0.1 * r.forwardedPps(), "the server's count");
        assertEquals(0.0, r.lossPercent(), "loss on loopback");
        assertTrue(r.delayP50Ms() > 0 && r.delayP99Ms() < 1000, "delay " + r.delayP50Ms() + " / " + r.delayP99Ms());
        assertTrue(r.delayMaxMs() < 1000, "max delay " + r.delayMaxMs());
        assertTrue(r.bitrateInMbps() > 0.3 && r.bitrateOutMbps() > 2 * 0.3, "bitrates " + r.bitrateInMbps());
        assertEquals(0, r.undecryptable());
        assertTrue(r.serverCpuPercent() > 0, "server CPU " + r.serverCpuPercent());

        // RTCP went the other way too: the subscribers' reports and the server's own.
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(ServerProbe.sum(metrics, "atrium_rtcp_packets_received_total") >= 2 * 3, "RTCP to the server");
        assertTrue(ServerProbe.sum(metrics, "atrium_rtcp_packets_sent_total") > 0, "RTCP from the server");

        JsonNode json = SignalingConnection.JSON.readTree(output.toFile());
        assertEquals(1, json.path("results").size());
        assertEquals(r.subscribers(), json.path("results").get(0).path("subscribers").asInt());
        assertTrue(json.path("results").get(0).path("delayP99Ms").asDouble() > 0);
        assertTrue(json.path("results").get(0).path("generatorCpuPercent").isNumber(), "the generator's CPU");
        assertTrue(json.path("results").get(0).path("generatorCpuPercent").asDouble() >= 0);
        assertTrue(json.path("results").get(0).has("limitedBy"), "who limited the run, null for nobody");
        assertTrue(r.generatorCpuPercent() >= 0, "generator CPU " + r.generatorCpuPercent());
        // The server's own forwarding delay, from its histogram: a bucket's bound in ms (infinite past 20 ms).
        assertTrue(r.serverDelayP99Ms() > 0, "server p99 " + r.serverDelayP99Ms());
        assertTrue(json.path("results").get(0).path("serverDelayP99Ms").isNumber(), "the server's own delay");
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("[   1s] sfu"), "a progress line each second:\n" + text);
        assertTrue(text.contains("p99.9 ms") && text.contains("srv relay pps") && text.contains("gen cpu %")
                && text.contains("gen thr %") && text.contains("srv p99 ms"),
                "the table:\n" + text);
        assertTrue(!text.contains("relay="), "no relay rate on a single node's progress lines:\n" + text);
        assertEquals(0.0, r.relayedPps(), "a single node relays nothing");
        assertEquals(0.0, json.path("results").get(0).path("relayedPacketsPerSecond").asDouble(-1));
        assertTrue(json.path("nodes").isMissingNode(), "no node list for a single node");
    }

    @Test
    void oneServerGivenTwiceIsAClusterOfTwoNodesEndToEnd() throws Exception {
        Path output = dir.resolve("nodes.json");
        String ws = "ws://127.0.0.1:" + port + "/ws";
        String[] args = {"--url", ws + "," + ws, "--rooms", "1", "--publishers", "1", "--subscribers", "2",
            "--duration", "3", "--ramp-up", "0", "--settle", "1", "--video-kbps", "500", "--simulcast", "off",
            "--output", output.toString()};
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LoadGenerator generator = new LoadGenerator(LoadOptions.parse(args),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        generator.run(args);

        WindowResult r = generator.results().get(0);
        assertEquals(2, r.subscribers());
        assertEquals(0.0, r.lossPercent(), "loss on loopback");
        // Every join carried noRedirect and was taken: the same forwarding as with one URL.
        assertEquals(2 * r.sentPps(), r.forwardedPps(), 0.1 * r.sentPps(), "forwarded");
        // The node is read once, not once per mention.
        assertEquals(r.forwardedPps(), r.serverForwardedPps(), 0.1 * r.forwardedPps(), "the server's count");
        assertEquals(0.0, r.relayedPps(), "one node relays nothing");
        assertTrue(r.serverCpuPercent() > 0 && r.cpuMicrosPerPacket() > 0, "server CPU " + r.serverCpuPercent());

        JsonNode json = SignalingConnection.JSON.readTree(output.toFile());
        // Members 0 (pub0), 1 (sub0), 2 (sub1) of room 0: nodes 0, 1, 0.
        assertEquals("[2,1]", json.path("sfuParticipantsPerNode").toString());
        assertEquals(2, json.path("nodes").size());
        assertEquals(0, json.path("sfuJoinFailures").size());
        assertEquals(0.0, json.path("results").get(0).path("relayedPacketsPerSecond").asDouble(-1));
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("srv relay pps"), "the table's relay column:\n" + text);
        assertTrue(text.contains(" relay=0 pps"), "the relay rate on each progress line:\n" + text);
    }

    @Test
    void dataChannelMessagesReachEveryOtherParticipantInTheRoomWithoutLoss() throws Exception {
        Path output = dir.resolve("data.json");
        String[] args = {"--url", "ws://127.0.0.1:" + port + "/ws", "--rooms", "1", "--publishers", "1",
            "--subscribers", "2", "--media", "audio", "--duration", "3", "--ramp-up", "0", "--settle", "1",
            "--data-rate", "20", "--data-size", "300", "--output", output.toString()};
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LoadGenerator generator = new LoadGenerator(LoadOptions.parse(args),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        generator.run(args);

        WindowResult r = generator.results().get(0);
        // Three participants send 20 messages/s each, every one for the two others.
        double sent = 3 * 20 * r.seconds();
        assertEquals(sent, r.dataSent(), 0.15 * sent, "sent");
        assertEquals(2.0 * r.dataSent(), r.dataReceived(), 0.1 * 2 * r.dataSent(), "received");
        assertEquals(0, r.dataLost(), "reliable channels on loopback");
        assertEquals(0, r.dataSendRefused());
        assertEquals(300L * r.dataReceived(), r.dataReceivedBytes(), "payload bytes, envelopes not counted");
        assertTrue(r.dataDelayP50Ms() > 0 && r.dataDelayP99Ms() < 1000,
                "delay " + r.dataDelayP50Ms() + " / " + r.dataDelayP99Ms());
        assertTrue(r.dataDelayMaxMs() < 2000, "max delay " + r.dataDelayMaxMs());
        // The media went on beside the data.
        assertEquals(2 * r.sentPps(), r.forwardedPps(), 0.1 * r.sentPps(), "forwarded audio");

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        // The server counts each message once in and once per receiver out, over the whole run.
        assertTrue(ServerProbe.sum(metrics, "atrium_data_messages_total") >= r.dataSent() + r.dataReceived(),
                "the server's count");
        // Only while the others join can a message find a receiver whose association is not up yet.
        double droppedOtherwise = metrics.lines()
                .filter(line -> line.startsWith("atrium_data_dropped_messages_total{")
                        && !line.contains("reason=\"receiver_not_connected\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        assertEquals(0.0, droppedOtherwise, "nothing dropped for any other reason");

        JsonNode result = SignalingConnection.JSON.readTree(output.toFile()).path("results").get(0);
        assertEquals(r.dataReceived(), result.path("dataMessagesReceived").asLong());
        assertTrue(result.path("dataDelayP99Ms").asDouble() > 0);
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("dat rcvd") && text.contains("d p99 ms"), "the table's data columns:\n" + text);
        assertTrue(text.contains("data 20 msg/s of 300 B"), "the load described:\n" + text);
    }

    @Test
    void dataOptionsAreBoundedAndOffByDefault() {
        LoadOptions defaults = LoadOptions.parse(new String[0]);
        assertEquals(0, defaults.dataRate());
        assertEquals(200, defaults.dataSize());
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"--data-rate", "1001"}));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"--data-size", "15"}));
        assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {"--data-size", "65537"}));
        assertEquals(1000, LoadOptions.parse(new String[] {"--data-rate", "1000"}).dataRate());
    }

    @Test
    void aSimulcastPublisherSendsThreeEncodingsAndEachSubscriberGetsTheTopOne() throws Exception {
        Path output = dir.resolve("simulcast.json");
        String[] args = {"--url", "ws://127.0.0.1:" + port + "/ws", "--rooms", "1", "--publishers", "1",
            "--subscribers", "2", "--duration", "3", "--ramp-up", "0", "--simulcast-kbps", "150,500,1700",
            "--output", output.toString()};
        LoadGenerator generator = new LoadGenerator(LoadOptions.parse(args),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        generator.run(args);

        WindowResult r = generator.results().get(0);
        // Audio 50/s; video 30 frames/s of 1 (q), 2 (h) and 7 (f) packets, and keyframes.
        double top = 50 + 30 * 7;
        assertEquals(50 + 30 * 10, r.sentPps(), 0.1 * r.sentPps(), "sent");
        // The server learnt the three SSRCs from the RID extension and forwards f alone.
        assertEquals(2 * top, r.forwardedPps(), 0.1 * 2 * top, "forwarded");
        assertEquals(r.forwardedPps(), r.serverForwardedPps(), 0.1 * r.forwardedPps(), "the server's count");
        assertEquals(0.0, r.lossPercent(), "loss on loopback");
        assertEquals(0, r.undecryptable());
    }

    @Test
    void theRawRelayForwardsOneSimulcastEncodingPerReceiver() throws Exception {
        LoadOptions options = LoadOptions.parse(new String[] {"--mode", "relay", "--publishers", "1",
            "--subscribers", "2"});
        try (RelayLoad load = new RelayLoad(options)) {
            load.start();
            Thread.sleep(500);
            LoadSnapshot start = load.snapshot();
            Thread.sleep(2000);
            WindowResult r = WindowResult.between("relay", start, load.snapshot());
            double top = 50 + 30 * 7;
            assertEquals(50 + 30 * 10, r.sentPps(), 0.1 * r.sentPps(), "sent");
            assertEquals(2 * top, r.forwardedPps(), 0.1 * 2 * top, "forwarded");
            assertEquals(0.0, r.lossPercent());
            assertEquals(0, r.undecryptable(), "every receiver unprotects every packet with its room's key");
            assertEquals(0, load.relay().unroutedPackets());
        }
    }

    @Test
    void theRawRelayDeliversTheSameLoadToEveryReceiver() throws Exception {
        LoadOptions options = LoadOptions.parse(new String[] {"--mode", "relay", "--publishers", "2",
            "--subscribers", "3", "--video-kbps", "500", "--simulcast", "off"});
        try (RelayLoad load = new RelayLoad(options)) {
            load.start();
            Thread.sleep(500);
            LoadSnapshot start = load.snapshot();
            Thread.sleep(2000);
            WindowResult r = WindowResult.between("relay", start, load.snapshot());
            assertEquals(2, r.publishers());
            assertEquals(3, r.subscribers());
            // Each publisher's packets go to the other publisher and the three subscribers.
            assertEquals(4 * r.sentPps(), r.forwardedPps(), 0.1 * r.forwardedPps(), "forwarded");
            assertEquals(r.forwardedPps(), r.serverForwardedPps(), 0.1 * r.forwardedPps(), "the relay's count");
            assertEquals(0.0, r.lossPercent());
            assertTrue(r.delayP50Ms() > 0 && r.delayP99Ms() < 1000, "delay " + r.delayP99Ms());
            assertTrue(r.cpuMicrosPerPacket() > 0, "relay CPU per packet " + r.cpuMicrosPerPacket());
            assertTrue(r.forwardedPps() > 0);
            assertEquals(0, r.undecryptable(), "every receiver unprotects every packet with its room's key");
            // The relay thread's CPU is the server's, not the generator's: the rest of the process is.
            assertTrue(r.generatorCpuPercent() > 0, "generator CPU " + r.generatorCpuPercent());
            // Per thread too, without the relay's own thread.
            assertNotNull(r.generatorBusiestThread(), "the generator's busiest thread");
            assertNotEquals("raw-relay", r.generatorBusiestThread());
            assertTrue(r.generatorBusiestThreadPercent() >= 0, "busiest " + r.generatorBusiestThreadPercent());
            assertEquals(0, load.relay().unroutedPackets());
        }
    }

    @Test
    void aRelayReceiverWithAnotherKeyUnprotectsNothingAndCountsEveryPacketUndecryptable() throws Exception {
        LoadOptions options = LoadOptions.parse(new String[] {"--mode", "relay", "--media", "audio"});
        try (RawUdpRelay relay = new RawUdpRelay(); Pacer pacer = new Pacer();
                RelayParticipant publisher = new RelayParticipant("pub", relay.address(),
                        RelayParticipant.RoomKey.forRoom(0));
                RelayParticipant sameKey = new RelayParticipant("same", relay.address(),
                        RelayParticipant.RoomKey.forRoom(0));
                RelayParticipant otherKey = new RelayParticipant("other", relay.address(),
                        RelayParticipant.RoomKey.forRoom(1))) {
            relay.route(publisher.address(), new InetSocketAddress[] {sameKey.address(), otherKey.address()});
            publisher.publish(pacer, new SfuParticipant.Role(true, false), options, relay);
            Thread.sleep(1000);
            LoadSnapshot.Builder same = new LoadSnapshot.Builder();
            sameKey.addTo(same);
            LoadSnapshot.Builder other = new LoadSnapshot.Builder();
            otherKey.addTo(other);
            assertTrue(same.receivedPackets > 20, "received " + same.receivedPackets);
            assertEquals(0, same.undecryptable);
            assertTrue(other.undecryptable > 20, "undecryptable " + other.undecryptable);
            assertEquals(0, other.receivedPackets, "nothing reaches the statistics undecrypted");
        }
    }

    @Test
    void capacityModeStepsUpSubscribersAndReportsTheLastGoodStepBesideTheRelay() throws Exception {
        Path output = dir.resolve("capacity.json");
        String[] args = {"--mode", "capacity", "--url", "ws://127.0.0.1:" + port + "/ws", "--publishers", "1",
            "--media", "audio", "--subscribers", "1", "--step", "1", "--max-subscribers", "2",
            "--step-duration", "2", "--settle", "0", "--ramp-up", "0", "--baseline", "--output", output.toString()};
        LoadGenerator generator = new LoadGenerator(LoadOptions.parse(args),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        generator.run(args);

        JsonNode json = SignalingConnection.JSON.readTree(output.toFile());
        assertEquals(2, json.path("capacity").path("sfu").path("lastGoodSubscribersPerRoom").asInt());
        assertEquals(2, json.path("capacity").path("relay").path("lastGoodSubscribersPerRoom").asInt());
        assertEquals(4, json.path("results").size(), "two steps each");
        for (JsonNode result : json.path("results")) {
            assertTrue(result.path("generatorCpuPercent").asDouble(-1) >= 0, "the generator's CPU: " + result);
            assertEquals(0, result.path("undecryptable").asLong(-1), "every packet unprotected: " + result);
            assertTrue(result.path("forwardedPacketsPerSecond").asDouble() > 0, "received: " + result);
        }
        assertTrue(json.path("capacity").path("relay").has("limitedBy"));
        double ratio = json.path("sfuToRelayForwardedRatio").asDouble();
        assertTrue(ratio > 0.9 && ratio < 1.1, "same load, same forwarded rate: " + ratio);
    }

    @Test
    void capacityModeStopsAtTheStepTheServerRefusesInsteadOfWaitingOnIt() throws Exception {
        server.close();
        SfuConfig sfu = SfuConfig.defaults().withMedia(InetAddress.getByName("127.0.0.1"), 0, List.of())
                .withLimits(3, 10);
        server = new AtriumServer(new ServerConfig("127.0.0.1", 0, null, null, false, sfu));
        port = String.valueOf(server.httpAddress().getPort());
        Path output = dir.resolve("refused.json");
        String[] args = {"--mode", "capacity", "--url", "ws://127.0.0.1:" + port + "/ws", "--publishers", "1",
            "--media", "audio", "--subscribers", "1", "--step", "1", "--max-subscribers", "5",
            "--step-duration", "2", "--settle", "0", "--ramp-up", "0", "--output", output.toString()};
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LoadGenerator generator = new LoadGenerator(LoadOptions.parse(args),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        generator.run(args);

        // 1 publisher + 2 subscribers fill the room of 3; the third subscriber is refused
        // at once (room-full), and the search ends at the last step the server accepted.
        JsonNode json = SignalingConnection.JSON.readTree(output.toFile());
        assertEquals(2, json.path("capacity").path("sfu").path("lastGoodSubscribersPerRoom").asInt());
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("could not join at 3 subscribers per room") && text.contains("room-full"),
                "the refusal and its reason:\n" + text);
    }
}
