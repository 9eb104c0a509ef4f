package org.atrium.signaling.browser;

import static org.atrium.signaling.admin.PrometheusTextParser.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.stats.SfuMetrics;
import org.atrium.signaling.TestServer;
import org.atrium.signaling.admin.DashboardQueries;
import org.atrium.signaling.admin.PrometheusServer;
import org.atrium.signaling.admin.PrometheusTextParser;
import org.atrium.signaling.admin.PrometheusTextParser.Sample;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees while three browsers share a room: {@code /metrics} read by the
 * Prometheus project's own parser and linted by {@code promtool}, consistent with what
 * the browsers' {@code getStats()} report; the stats API showing live transports and
 * tracks; and a real Prometheus server scraping Atrium on loopback and answering a
 * query for the forwarding counter.
 */
@Tag("browser")
class MetricsBrowserTest extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(30);
    private static final String ADMIN_TOKEN = "metrics-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected TestServer startServer() throws Exception {
        return TestServer.startWithAdminToken(ADMIN_TOKEN, true);
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.http(path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    @Test
    void metricsApiAndPrometheusAgreeWithTheBrowsers() throws Exception {
        List<BrowserPage> pages = new ArrayList<>();
        for (String name : List.of("Ada", "Bo", "Cy")) {
            pages.add(chromium.open(server.http("/room/observed?name=" + name).toString()));
        }
        for (BrowserPage page : pages) {
            page.waitUntil("video and audio from both others", CONNECT, () -> {
                WebRtcStats stats = WebRtcStats.read(page, "window.atrium.pc");
                return stats.inbound("video").stream().filter(s -> s.framesDecoded() > 0).count() == 2
                        && stats.inbound("audio").stream().filter(s -> s.packetsReceived() > 0).count() == 2;
            });
        }
        // A few seconds of steady media: bitrates sampled, reports exchanged.
        BrowserPage.sleep(Duration.ofSeconds(3));

        // The browsers first, then the server: its counters only grow meanwhile.
        long framesDecoded = 0;
        long videoReceived = 0;
        long audioReceived = 0;
        long videoSent = 0;
        for (BrowserPage page : pages) {
            WebRtcStats stats = WebRtcStats.read(page, "window.atrium.pc");
            framesDecoded += stats.framesDecoded();
            videoReceived += stats.packetsReceived("video");
            audioReceived += stats.packetsReceived("audio");
            videoSent += stats.outbound().stream().filter(o -> o.kind().equals("video"))
                    .mapToLong(WebRtcStats.Outbound::packetsSent).sum();
        }
        // A scrape reads one meter after another while media flows: bracket it.
        SfuMetrics meters = server.server().sfu().metrics();
        long forwardedBefore = meters.forwardedPackets(MediaKind.VIDEO) + meters.forwardedPackets(MediaKind.AUDIO);
        String scrape = get("/metrics");
        long forwardedAfter = meters.forwardedPackets(MediaKind.VIDEO) + meters.forwardedPackets(MediaKind.AUDIO);
        List<Sample> samples = PrometheusTextParser.parse(scrape);

        double forwardedVideo = value(samples, "atrium_forwarded_packets_total", "kind", "video");
        double forwardedAudio = value(samples, "atrium_forwarded_packets_total", "kind", "audio");
        double sentVideo = value(samples, "atrium_rtp_packets_sent_total", "kind", "video");
        double receivedVideo = value(samples, "atrium_rtp_packets_received_total", "kind", "video");
        double latencyCount = value(samples, "atrium_forwarding_latency_seconds_count");
        System.out.printf("browsers: %d frames decoded, %d video and %d audio packets received, %d video sent%n",
                framesDecoded, videoReceived, audioReceived, videoSent);
        System.out.printf("server: %.0f video and %.0f audio packets forwarded, %.0f video received; %s%n",
                forwardedVideo, forwardedAudio, receivedVideo, latencySummary(samples));

        assertTrue(forwardedVideo >= framesDecoded, "every decoded frame came in at least one forwarded packet");
        assertTrue(sentVideo >= videoReceived, "the browsers received no video packet the SFU did not send");
        assertTrue(forwardedAudio >= audioReceived, "nor audio");
        // Each publisher's video goes to two receivers; allow for packets in flight.
        assertTrue(receivedVideo >= 0.95 * videoSent, receivedVideo + " received of " + videoSent + " sent");
        assertTrue(forwardedVideo <= 2 * receivedVideo, "at most once per receiver");
        assertTrue(latencyCount >= forwardedBefore && latencyCount <= forwardedAfter,
                "one latency sample per forwarded packet: " + latencyCount + " samples, " + forwardedBefore + " to "
                        + forwardedAfter + " packets forwarded during the scrape");
        assertEquals(latencyCount, value(samples, "atrium_forwarding_latency_seconds_bucket", "le", "+Inf"));
        assertTrue(value(samples, "atrium_forwarding_latency_seconds_sum") > 0);

        assertEquals(1, value(samples, "atrium_rooms"));
        assertEquals(3, value(samples, "atrium_participants"));
        assertEquals(3, value(samples, "atrium_published_tracks", "kind", "video"));
        assertEquals(3, value(samples, "atrium_published_tracks", "kind", "audio"));
        assertEquals(12, value(samples, "atrium_subscriptions"));
        assertEquals(3, value(samples, "atrium_ice_outcomes_total", "outcome", "connected"));
        assertEquals(3, value(samples, "atrium_dtls_handshakes_total", "outcome", "connected"));
        assertEquals(3, value(samples, "atrium_dtls_handshake_duration_seconds_count"));
        assertEquals(3, value(samples, "atrium_join_to_first_media_seconds_count"));
        assertTrue(value(samples, "atrium_rtcp_packets_received_total") > 0);
        assertTrue(value(samples, "atrium_rtcp_packets_sent_total") > 0);
        assertEquals(3, value(samples, "atrium_signaling_connections"));
        assertEquals(3, value(samples, "atrium_signaling_messages_received_total", "type", "join"));
        assertTrue(value(samples, "atrium_signaling_messages_sent_total", "type", "offer") >= 3);
        assertEquals(0, value(samples, "atrium_dropped_packets_total", "reason", "srtp_auth"));
        assertEquals(0, value(samples, "atrium_dropped_packets_total", "reason", "unknown_source"),
                "every browser datagram came from a paired address");
        assertEquals(0, value(samples, "atrium_dropped_packets_total", "reason", "rate_limited"));
        assertTrue(value(samples, "jvm_threads_live_threads") > 0);

        PrometheusServer.checkMetrics(scrape);
        assertApiShowsLiveTransports();
        assertPrometheusScrapesTheForwardingCounter();
    }

    /** Median and 99th percentile from the histogram's buckets (upper bounds), for the log. */
    private static String latencySummary(List<Sample> samples) {
        double count = value(samples, "atrium_forwarding_latency_seconds_count");
        String p50 = null;
        String p99 = null;
        for (Sample sample : samples) {
            if (!sample.name().equals("atrium_forwarding_latency_seconds_bucket")) {
                continue;
            }
            if (p50 == null && sample.value() >= 0.5 * count) {
                p50 = sample.labels().get("le");
            }
            if (p99 == null && sample.value() >= 0.99 * count) {
                p99 = sample.labels().get("le");
            }
        }
        StringBuilder buckets = new StringBuilder();
        for (Sample sample : samples) {
            if (sample.name().equals("atrium_forwarding_latency_seconds_bucket")) {
                buckets.append(' ').append(sample.labels().get("le")).append(':').append((long) sample.value());
            }
        }
        return "forwarding latency p50 <= " + p50 + " s, p99 <= " + p99 + " s over " + (long) count
                + " packets; max " + value(samples, "atrium_forwarding_latency_seconds_max") + " s; buckets" + buckets;
    }

    private void assertApiShowsLiveTransports() throws Exception {
        JsonNode room = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            room = JSON.readTree(get("/api/rooms/observed"));
            if (anyRoundTripTime(room)) {
                break;
            }
            BrowserPage.sleep(Duration.ofMillis(250));
        }
        assertTrue(anyRoundTripTime(room), "receivers' reports give round-trip times: " + room.toPrettyString());
        assertEquals(3, room.path("participants").size());
        for (JsonNode participant : room.path("participants")) {
            JsonNode transport = participant.path("transport");
            assertEquals("connected", transport.path("iceState").asText(), transport.toString());
            assertEquals("connected", transport.path("dtlsState").asText());
            assertTrue(transport.path("selectedCandidatePair").path("local").asText().startsWith("127.0.0.1:"),
                    transport.toString());
            assertTrue(transport.path("selectedCandidatePair").path("remote").asText().startsWith("127.0.0.1:"),
                    transport.toString());
            assertTrue(transport.path("srtpProfile").isTextual());
            for (JsonNode track : participant.path("published")) {
                assertTrue(track.path("packets").asLong() > 0, track.toString());
                assertTrue(track.path("bitrate").asLong() > 0, track.toString());
                assertEquals(2, track.path("receivers").asInt());
            }
            assertEquals(4, participant.path("received").size());
            for (JsonNode track : participant.path("received")) {
                assertEquals("forwarding", track.path("state").asText());
                assertTrue(track.path("packets").asLong() > 0, track.toString());
                assertTrue(track.path("bitrate").asLong() > 0, track.toString());
            }
        }
    }

    private static boolean anyRoundTripTime(JsonNode room) {
        for (JsonNode participant : room.path("participants")) {
            for (JsonNode track : participant.path("received")) {
                if (track.path("rttMs").isNumber()) {
                    return true;
                }
            }
        }
        return false;
    }

    private void assertPrometheusScrapesTheForwardingCounter() throws Exception {
        URI metrics = server.http("/metrics");
        try (PrometheusServer prometheus = new PrometheusServer(metrics.getHost() + ":" + metrics.getPort(),
                ADMIN_TOKEN)) {
            double forwarded = 0;
            double rate = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && (forwarded <= 0 || rate <= 0)) {
                forwarded = single(prometheus.query("atrium_forwarded_packets_total{kind=\"video\"}"));
                rate = single(prometheus.query("sum(rate(atrium_forwarded_packets_total[5s]))"));
                BrowserPage.sleep(Duration.ofMillis(500));
            }
            System.out.printf("Prometheus: atrium_forwarded_packets_total{kind=\"video\"} = %.0f, "
                    + "forwarding %.0f packets/s%n", forwarded, rate);
            assertTrue(forwarded > 0, "Prometheus has the forwarding counter: " + prometheus.targets()
                    + "\n" + prometheus.log());
            assertTrue(rate > 0, "and sees it grow");
            assertEquals(1, single(prometheus.query("up{job=\"atrium\"}")), "the target is up");
            // Every panel of the Grafana dashboard in docs/ is a query Prometheus accepts.
            for (String expression : DashboardQueries.expressions()) {
                prometheus.query(expression);
            }
        }
    }

    /** The value of a one-element instant vector, or 0 when it is empty. */
    private static double single(JsonNode result) {
        if (result.size() != 1) {
            return 0;
        }
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }
}
