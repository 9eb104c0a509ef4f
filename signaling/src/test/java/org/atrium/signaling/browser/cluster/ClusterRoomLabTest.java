package org.atrium.signaling.browser.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.atrium.signaling.browser.BrowserPage;
import org.atrium.signaling.browser.LabChromium;
import org.atrium.signaling.browser.Page;
import org.atrium.signaling.browser.WebRtcStats;
import org.atrium.signaling.browser.cluster.ClusterLab.Node;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One room across three nodes: in a {@link ClusterLab} of three Atrium nodes (separate JVMs) and
 * Redis, page A joins room "across" on node1, B on node2 and C on node3. Each node takes one
 * participant ({@code --node-max-participants 1}), so placement keeps every page on the node it
 * opened (the room spills over) instead of sending it to node1. Then every page lists the two others,
 * decodes their video and receives their audio, all of which crosses the relay links between the
 * nodes; a chat message from A on the data channel reaches B and C; and each node's {@code /metrics}
 * shows a relay link up and relayed packets sent and received. Then Redis stops for 10 s: the room
 * goes on over the links, and every node registers again when Redis returns.
 *
 * <p>Three JVM nodes, Redis and three Chromium pages share two cores: the pages publish 320x240 at
 * 15 fps. On failure the test prints the tail of every node's log (kept in {@code
 * target/cluster-lab/<prefix>/}) and each page's own log.
 */
@Tag("browser")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ClusterRoomLabTest {

    private static final String ROOM = "across";
    private static final LabChromium.Camera CAMERA = LabChromium.Camera.pattern(320, 240, 15);
    private static final Duration CONNECT = Duration.ofSeconds(60);
    /** From the last page connected to every page receiving from both others. */
    private static final Duration MEDIA = Duration.ofSeconds(60);
    private static final Duration ADVANCING = Duration.ofSeconds(15);
    private static final Duration CHAT = Duration.ofSeconds(15);
    private static final Duration BEAT = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oneRoomAcrossThreeNodes() {
        long start = System.nanoTime();
        try (ClusterLab cluster = ClusterLab.start(3, List.of("--node-max-participants", "1"))) {
            System.out.printf("cluster of 3 nodes and redis up in %d ms (logs in %s)%n", millisSince(start),
                    cluster.logs());
            Map<String, BrowserPage> pages = new LinkedHashMap<>();
            Map<Page, String> ids = new LinkedHashMap<>();
            Map<String, Node> nodeOfPage = new LinkedHashMap<>();
            try {
                String[] names = {"A", "B", "C"};
                for (int i = 0; i < names.length; i++) {
                    Node node = cluster.node(i + 1);
                    long opening = System.nanoTime();
                    BrowserPage page = cluster.openRoom(node, ROOM, names[i], CAMERA);
                    pages.put(names[i], page);
                    nodeOfPage.put(names[i], node);
                    page.waitUntilTrue("window.atrium && window.atrium.state === 'connected'"
                            + " && window.atrium.participantId", CONNECT);
                    String id = (String) page.eval("return window.atrium.participantId;");
                    ids.put(page, id);
                    assertEquals(node.id(), membersOf(cluster, node).get(id),
                            names[i] + " stays on " + node.id() + ", where its page is (no redirect)");
                    System.out.printf("%s joined %s on %s in %d ms%n", names[i], id, node.id(), millisSince(opening));
                    // Placement reads the other nodes' loads from their last heartbeat: before the next
                    // page joins elsewhere, that node must know this one is full.
                    awaitLoadInRedis(cluster, node, 1);
                    sleep(BEAT.plusMillis(500));
                }
                long joined = System.nanoTime();

                // The room directory: each node's stats API lists all three, each on its own node.
                Map<String, String> expected = new LinkedHashMap<>();
                for (Map.Entry<String, BrowserPage> e : pages.entrySet()) {
                    expected.put(ids.get(e.getValue()), nodeOfPage.get(e.getKey()).id());
                }
                for (Node node : cluster.nodes()) {
                    assertEquals(expected, membersOf(cluster, node), node.id() + "'s /api/rooms/" + ROOM);
                }

                for (Map.Entry<String, BrowserPage> e : pages.entrySet()) {
                    BrowserPage page = e.getValue();
                    List<String> others = others(ids, page);
                    page.waitUntil(e.getKey() + " lists the two others " + others, CONNECT, () -> Boolean.TRUE.equals(
                            page.eval("return arguments[0].every(id => window.atrium.remote.has(id));", others)));
                }
                System.out.printf("every page lists the two others %d ms after the last join%n", millisSince(joined));

                for (Map.Entry<String, BrowserPage> e : pages.entrySet()) {
                    BrowserPage page = e.getValue();
                    List<String> others = others(ids, page);
                    long remaining = Math.max(0, MEDIA.toNanos() - (System.nanoTime() - joined));
                    page.waitUntil(e.getKey() + " decoding video and receiving audio from " + others,
                            Duration.ofNanos(remaining), () -> receivesFromAll(media(page), others, Map.of()));
                }
                System.out.printf("every page decoding both others %d ms after the last join%n", millisSince(joined));

                Map<Page, Map<?, ?>> before = new LinkedHashMap<>();
                for (BrowserPage page : pages.values()) {
                    before.put(page, media(page));
                }
                for (Map.Entry<String, BrowserPage> e : pages.entrySet()) {
                    BrowserPage page = e.getValue();
                    List<String> others = others(ids, page);
                    page.waitUntil(e.getKey() + " frames and audio advancing from " + others, ADVANCING,
                            () -> receivesFromAll(media(page), others, before.get(page)));
                    System.out.printf("%s on %s: frames/audio packets by participant %s%n", e.getKey(),
                            nodeOfPage.get(e.getKey()).id(), media(page));
                }

                chat(pages.get("A"), "A", "hello from node1", List.of(pages.get("B"), pages.get("C")));
                System.out.printf("A's chat message reached B and C%n");

                for (Node node : cluster.nodes()) {
                    String metrics = cluster.metrics(node);
                    double links = ClusterLab.metric(metrics, "atrium_relay_links", "");
                    double sent = ClusterLab.metric(metrics, "atrium_relay_packets_total", "direction=\"sent\"");
                    double received = ClusterLab.metric(metrics, "atrium_relay_packets_total",
                            "direction=\"received\"");
                    double published = ClusterLab.metric(metrics, "atrium_rtp_packets_received_total",
                            "kind=\"audio\"") + ClusterLab.metric(metrics, "atrium_rtp_packets_received_total",
                            "kind=\"video\"");
                    System.out.printf("%s: atrium_relay_links %.0f, relay packets sent %.0f, received %.0f;"
                            + " RTP from its own page %.0f (sent/links/received %.2f)%n", node.id(), links, sent,
                            received, published, sent / links / published);
                    assertTrue(links > 0, node.id() + " has a relay link up: atrium_relay_links " + links);
                    assertTrue(sent > 0, node.id() + " counts relay packets sent: " + sent);
                    assertTrue(received > 0, node.id() + " counts relay packets received: " + received);
                    // Each packet of its own page's tracks crosses each of its links at most once (only the
                    // encodings the other node asked for cross at all): never more than links x packets.
                    assertTrue(sent <= links * published, node.id() + " sent " + sent + " relay packets for "
                            + published + " packets of its page over " + links + " links");
                }
                redisOutage(cluster, pages, ids);
                System.out.printf("test %d ms in all%n", millisSince(start));
            } catch (RuntimeException | AssertionError e) {
                for (Map.Entry<String, BrowserPage> p : pages.entrySet()) {
                    System.out.println("----- page " + p.getKey() + "'s log (tail)");
                    System.out.println(String.join("\n", tail(pageLog(p.getValue()), 40)));
                }
                System.out.println(cluster.nodeLogTails(60));
                throw e;
            }
        }
    }

    /**
     * Redis stops for 10 s: every node says so in its metrics, the room goes on (frames and audio
     * keep arriving on every page, across the links, and chat crosses them); when Redis returns,
     * every node registers again and sees the three.
     */
    private static void redisOutage(ClusterLab cluster, Map<String, BrowserPage> pages, Map<Page, String> ids) {
        cluster.stopRedis();
        long stopped = System.nanoTime();
        for (Node node : cluster.nodes()) {
            awaitMetric(cluster, node, "atrium_cluster_redis_up", 0.0);
        }
        Map<Page, Map<?, ?>> before = new LinkedHashMap<>();
        for (BrowserPage page : pages.values()) {
            before.put(page, media(page));
        }
        sleep(Duration.ofSeconds(10).minusNanos(System.nanoTime() - stopped));
        for (Map.Entry<String, BrowserPage> e : pages.entrySet()) {
            BrowserPage page = e.getValue();
            List<String> others = others(ids, page);
            page.waitUntil(e.getKey() + " still receiving from " + others + " with Redis away", ADVANCING,
                    () -> receivesFromAll(media(page), others, before.get(page)));
        }
        chat(pages.get("B"), "B", "said while Redis is away", List.of(pages.get("A"), pages.get("C")));
        System.out.printf("Redis away %d ms: every page still receives both others, chat crosses%n",
                millisSince(stopped));

        cluster.restartRedis();
        long restarted = System.nanoTime();
        for (Node node : cluster.nodes()) {
            awaitMetric(cluster, node, "atrium_cluster_redis_up", 1.0);
            awaitMetric(cluster, node, "atrium_cluster_nodes", 3.0);
        }
        System.out.printf("Redis back: every node registered and sees three, %d ms after the restart%n",
                millisSince(restarted));
    }

    private static void awaitMetric(ClusterLab cluster, Node node, String name, double value) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        double seen;
        while ((seen = cluster.metric(node, name, "")) != value) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(node.id() + ": " + name + " is " + seen + ", not " + value);
            }
            sleep(Duration.ofMillis(250));
        }
    }

    /** Participant id -> node, as {@code node}'s stats API lists the room (its own and the directory's). */
    private static Map<String, String> membersOf(ClusterLab cluster, Node node) {
        HttpResponse<String> r = cluster.get(node, "/api/rooms/" + ROOM);
        Map<String, String> members = new LinkedHashMap<>();
        try {
            for (JsonNode participant : JSON.readTree(r.body()).path("participants")) {
                members.put(participant.path("id").asText(), participant.path("node").asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("/api/rooms/" + ROOM + " of " + node + ": " + r.body(), e);
        }
        return members;
    }

    private static void awaitLoadInRedis(ClusterLab cluster, Node node, int load) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (cluster.loadInRedis(node) != load) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(node.id() + "'s load in Redis is not " + load + ": "
                        + cluster.redisCli("HGETALL", "atrium:node:" + node.id()));
            }
            sleep(Duration.ofMillis(200));
        }
    }

    /**
     * Types {@code text} into the sender's Message box and presses Send, once every page's chat
     * channel is open; each receiver shows "NAME: TEXT" in its Chat log.
     */
    private static void chat(Page sender, String name, String text, List<Page> receivers) {
        List<Page> all = new ArrayList<>(receivers);
        all.add(sender);
        for (Page page : all) {
            page.waitUntilTrue("[...document.querySelectorAll('button')].some(b => b.textContent.trim() === 'Send'"
                    + " && !b.disabled)", CONNECT);
        }
        sender.eval("""
                const input = document.querySelector('input[aria-label="Message"]');
                input.value = arguments[0];
                input.dispatchEvent(new Event('input', {bubbles: true}));
                [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Send').click();
                """, text);
        String line = name + ": " + text;
        for (Page page : receivers) {
            page.waitUntil("'" + line + "' in the Chat log", CHAT, () -> Boolean.TRUE.equals(page.eval("""
                    const log = document.querySelector('[role="log"][aria-label="Chat"]');
                    return !!log && [...log.children].some(item => item.textContent.includes(arguments[0]));
                    """, line)));
        }
    }

    private static List<String> others(Map<Page, String> ids, Page page) {
        List<String> others = new ArrayList<>(ids.values());
        others.remove(ids.get(page));
        return others;
    }

    /** Every participant's frames and audio packets above {@code floor}'s (an empty floor: above 0). */
    private static boolean receivesFromAll(Map<?, ?> media, List<String> participants, Map<?, ?> floor) {
        for (String id : participants) {
            Map<?, ?> is = (Map<?, ?>) media.get(id);
            Map<?, ?> was = (Map<?, ?>) floor.get(id);
            if (is == null || number(is, "frames") <= number(was, "frames")
                    || number(is, "audioPackets") <= number(was, "audioPackets")) {
                return false;
            }
        }
        return true;
    }

    private static Map<?, ?> media(Page page) {
        return WebRtcStats.mediaByParticipant(page);
    }

    private static long number(Map<?, ?> map, String key) {
        Object value = map == null ? null : map.get(key);
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static List<String> pageLog(Page page) {
        try {
            List<String> log = new ArrayList<>();
            for (Object line : (List<?>) page.eval("return window.atrium ? window.atrium.log : [];")) {
                log.add(String.valueOf(line));
            }
            return log;
        } catch (RuntimeException e) {
            return List.of("(cannot read the page's log: " + e + ")");
        }
    }

    private static List<String> tail(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(0, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
