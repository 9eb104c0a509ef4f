package org.atrium.signaling.browser.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atrium.signaling.browser.BrowserPage;
import org.atrium.signaling.browser.LabChromium;
import org.atrium.signaling.browser.WebRtcStats;
import org.atrium.signaling.browser.cluster.ClusterLab.Node;

/**
 * Room pages A, B and C in one room of a three-node {@link ClusterLab}, A on node1, B on node2 and
 * C on node3, each decoding the two others' video: the start of the node-loss and drain tests.
 *
 * <p>Placement (docs/cluster.md) keeps each page on the node it opened and still leaves room for a
 * page to come back: node2 and node3 take one participant each ({@link #NODE_FLAGS}), node1 any
 * number. B joins first (a new room: here), then C (node2, the room's only node, is full: the room
 * spills onto node3), then A (node2 and node3 are full: onto node1). A page that loses node3 fails
 * over to node1, the first other node of its {@code joined.nodes} (sorted by id), which takes it
 * ({@code noRedirect}); a draining node2 moves B to node1, the one node of the room with room.
 */
final class RoomOfThree {

    /** node1: no limit; node2 and node3: one participant each. */
    static final List<List<String>> NODE_FLAGS = List.of(List.of(),
            List.of("--node-max-participants", "1"), List.of("--node-max-participants", "1"));
    /** As ClusterRoomLabTest: three JVM nodes, Redis and three Chromium pages share two cores. */
    static final LabChromium.Camera CAMERA = LabChromium.Camera.pattern(320, 240, 15);
    private static final Duration CONNECT = Duration.ofSeconds(60);
    private static final Duration MEDIA = Duration.ofSeconds(60);
    private static final Duration BEAT = Duration.ofSeconds(1);

    private final ClusterLab cluster;
    private final String room;
    private final Map<String, BrowserPage> pages = new LinkedHashMap<>();
    private final Map<String, String> ids = new LinkedHashMap<>();

    RoomOfThree(ClusterLab cluster, String room) {
        this.cluster = cluster;
        this.room = room;
    }

    /** Opens B on node2, C on node3, A on node1, and waits until each decodes the others' video. */
    void open() {
        String[][] order = {{"B", "2"}, {"C", "3"}, {"A", "1"}};
        for (String[] entry : order) {
            String name = entry[0];
            Node node = cluster.node(Integer.parseInt(entry[1]));
            long opening = System.nanoTime();
            BrowserPage page = cluster.openRoom(node, room, name, CAMERA);
            pages.put(name, page);
            page.waitUntilTrue("window.atrium && window.atrium.state === 'connected' && window.atrium.participantId",
                    CONNECT);
            String id = (String) page.eval("return window.atrium.participantId;");
            ids.put(name, id);
            String on = (String) page.eval("return window.atrium.node;");
            if (!node.id().equals(on)) {
                throw new AssertionError(name + " opened on " + node.id() + " but joined " + on + " (placement)");
            }
            System.out.printf("%s joined as %s on %s in %d ms%n", name, id, node.id(), millisSince(opening));
            // Placement reads the other nodes' loads from their last heartbeat: before the next page
            // joins elsewhere, that node must know this one's load.
            awaitLoadInRedis(node, 1);
            sleep(BEAT.plusMillis(500));
        }
        long joined = System.nanoTime();
        for (Map.Entry<String, BrowserPage> e : pages.entrySet()) {
            BrowserPage page = e.getValue();
            List<String> others = new ArrayList<>(ids.values());
            others.remove(ids.get(e.getKey()));
            long remaining = Math.max(0, MEDIA.toNanos() - (System.nanoTime() - joined));
            page.waitUntil(e.getKey() + " decoding video from " + others, Duration.ofNanos(remaining), () -> {
                Map<?, ?> media = WebRtcStats.mediaByParticipant(page);
                return others.stream().allMatch(id -> media.get(id) instanceof Map<?, ?> m
                        && m.get("frames") instanceof Number n && n.longValue() > 0);
            });
        }
        System.out.printf("every page decoding both others %d ms after the last join%n", millisSince(joined));
    }

    BrowserPage page(String name) {
        return pages.get(name);
    }

    Map<String, BrowserPage> pages() {
        return pages;
    }

    /** The participant id the page first joined as. */
    String firstId(String name) {
        return ids.get(name);
    }

    /** Every page's log (tail) and every node's, for a failure. */
    void dump() {
        for (Map.Entry<String, BrowserPage> p : pages.entrySet()) {
            System.out.println("----- page " + p.getKey() + "'s log (tail)");
            System.out.println(String.join("\n", pageLog(p.getValue(), 60)));
        }
        System.out.println(cluster.nodeLogTails(80));
    }

    /** The last {@code lines} lines of the room page's own log ({@code window.atrium.log}). */
    static List<String> pageLog(BrowserPage page, int lines) {
        try {
            List<String> log = new ArrayList<>();
            for (Object line : (List<?>) page.eval("return window.atrium ? window.atrium.log : [];")) {
                log.add(String.valueOf(line));
            }
            return log.subList(Math.max(0, log.size() - lines), log.size());
        } catch (RuntimeException e) {
            return List.of("(cannot read the page's log: " + e + ")");
        }
    }

    private void awaitLoadInRedis(Node node, int load) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (cluster.loadInRedis(node) != load) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(node.id() + "'s load in Redis is not " + load + ": "
                        + cluster.redisCli("HGETALL", "atrium:node:" + node.id()));
            }
            sleep(Duration.ofMillis(200));
        }
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
