package org.atrium.signaling.browser.cluster;

import static org.atrium.signaling.browser.cluster.RoomOfThree.millisSince;
import static org.atrium.signaling.browser.cluster.RoomOfThree.sleep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atrium.signaling.browser.BrowserPage;
import org.atrium.signaling.browser.cluster.ClusterLab.Node;
import org.atrium.signaling.browser.cluster.DecodedFrames.Gap;
import org.atrium.signaling.browser.cluster.DecodedFrames.Sample;
import org.atrium.signaling.browser.cluster.DecodedFrames.Samples;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Draining (docs/cluster.md, "Draining"; docs/client.md, "Draining: move"): pages A on node1, B on
 * node2 and C on node3 share a room ({@link RoomOfThree}); node2 gets SIGTERM. It drains: B's page
 * is told to {@code move} and makes its session on node1 before it breaks the one on node2
 * ({@code window.atrium.moves} counts it, {@code node} changes). Across the move no video stops
 * for more than 2 s: A's and C's on B's page, and B's on A's and C's pages (which switch from B's
 * old participant to its new one: frames are summed over every participant named B). node2 exits
 * within its drain bound ({@code --drain-timeout}, 30 s, plus the 10 s of the stop). Decoded frames
 * are sampled in each page every 200 ms ({@link DecodedFrames}) from 3 s before the SIGTERM until
 * 2 s after the node exited; the test prints the gaps and times it measured.
 */
@Tag("browser")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterDrainLabTest {

    private static final String ROOM = "drain";
    private static final Duration MAX_GAP = Duration.ofSeconds(2);
    /** The default --drain-timeout, plus the 10 s bound of the stop itself (docs/cluster.md). */
    private static final Duration EXIT_BOUND = Duration.ofSeconds(30 + 10);
    private static final Duration PERIOD = Duration.ofMillis(200);
    private static final Duration BEFORE = Duration.ofSeconds(3);
    private static final Duration AFTER = Duration.ofSeconds(2);
    private static final Duration MOVED = Duration.ofSeconds(20);

    @Test
    void aDrainingNodeMovesItsPageToAnotherNodeWithoutAGapInAnyVideo() {
        long start = System.nanoTime();
        try (ClusterLab cluster = ClusterLab.start(RoomOfThree.NODE_FLAGS)) {
            System.out.printf("cluster of 3 nodes and redis up in %d ms (logs in %s)%n", millisSince(start),
                    cluster.logs());
            RoomOfThree room = new RoomOfThree(cluster, ROOM);
            try {
                room.open();
                BrowserPage a = room.page("A");
                BrowserPage b = room.page("B");
                BrowserPage c = room.page("C");
                Node node2 = cluster.node(2);
                String oldUrl = (String) b.eval("return window.atrium.url;");
                for (BrowserPage page : room.pages().values()) {
                    DecodedFrames.start(page, PERIOD);
                }
                sleep(BEFORE);

                long stopping = System.currentTimeMillis();
                cluster.stop(node2);
                long exited = System.currentTimeMillis() - stopping;
                int exitCode = node2.process().exitValue();
                System.out.printf("node2 exited %d ms after SIGTERM, exit code %d%n", exited, exitCode);
                long waiting = System.nanoTime();
                while (((Number) b.eval("return window.atrium.moves;")).longValue() < 1
                        && System.nanoTime() - waiting < MOVED.toNanos()) {
                    sleep(Duration.ofMillis(250));
                }
                sleep(AFTER);
                Samples sa = DecodedFrames.stop(a);
                Samples sb = DecodedFrames.stop(b);
                Samples sc = DecodedFrames.stop(c);

                long moves = ((Number) b.eval("return window.atrium.moves;")).longValue();
                long reconnects = ((Number) b.eval("return window.atrium.reconnects;")).longValue();
                String bNode = (String) b.eval("return window.atrium.node;");
                String bUrl = (String) b.eval("return window.atrium.url;");
                String bPc = (String) b.eval("return window.atrium.pc ? window.atrium.pc.connectionState : null;");
                Long movedAt = null;
                for (Sample s : sb.samples()) {
                    if (s.moves() >= 1) {
                        movedAt = s.time();
                        break;
                    }
                }
                Gap bOfA = sb.largestGap("A");
                Gap bOfC = sb.largestGap("C");
                Gap aOfB = sa.largestGap("B");
                Gap cOfB = sc.largestGap("B");
                System.out.printf("B: node %s -> %s, url %s -> %s, moves %d, reconnects %d, peer connection %s,"
                        + " moved %s%n", node2.id(), bNode, oldUrl, bUrl, moves, reconnects, bPc,
                        movedAt == null ? "never" : (movedAt - stopping) + " ms after SIGTERM");
                System.out.printf("largest gaps (relative to SIGTERM): B's video of A %s; B's video of C %s;"
                        + " A's video of B %s; C's video of B %s%n", bOfA.describe(stopping), bOfC.describe(stopping),
                        aOfB.describe(stopping), cOfB.describe(stopping));
                System.out.printf("samples every %d ms: median tick A %d ms, B %d ms, C %d ms; %d, %d, %d samples%n",
                        PERIOD.toMillis(), sa.medianTick(), sb.medianTick(), sc.medianTick(), sa.samples().size(),
                        sb.samples().size(), sc.samples().size());
                for (Object[] view : new Object[][] {{"B", sb}, {"A", sa}, {"C", sc}}) {
                    System.out.printf("%s's page from 1 s before SIGTERM to 2 s after B moved:%n%s", view[0],
                            ((Samples) view[1]).timeline(stopping, -1000,
                                    (movedAt == null ? exited : movedAt - stopping) + 2000));
                }
                System.out.println("B's page around the move:");
                System.out.println(String.join("\n", RoomOfThree.pageLog(b, 30)));
                System.out.println("node2's log about draining:");
                for (String line : ClusterLab.tail(node2.log(), 100_000).split("\n")) {
                    if (line.contains("Drain") || line.contains("to move") || line.contains("Stopp")) {
                        System.out.println("  " + line);
                    }
                }

                List<String> failures = new ArrayList<>();
                check(failures, moves == 1, "B's page moved once (window.atrium.moves): " + moves);
                check(failures, bNode != null && !bNode.equals(node2.id()) && bUrl != null && !bUrl.equals(oldUrl),
                        "B's node and url changed: " + bNode + ", " + bUrl);
                check(failures, reconnects == 0, "B's page did not rejoin (a move, not a node loss): " + reconnects);
                check(failures, "connected".equals(bPc), "B's peer connection connected: " + bPc);
                check(failures, exited <= EXIT_BOUND.toMillis(),
                        "node2 exited within " + EXIT_BOUND.toSeconds() + " s of SIGTERM: " + exited + " ms");
                check(failures, bOfA.millis() <= MAX_GAP.toMillis(),
                        "B's video of A: no gap over " + MAX_GAP.toMillis() + " ms: " + bOfA.describe(stopping));
                check(failures, bOfC.millis() <= MAX_GAP.toMillis(),
                        "B's video of C: no gap over " + MAX_GAP.toMillis() + " ms: " + bOfC.describe(stopping));
                check(failures, aOfB.millis() <= MAX_GAP.toMillis(),
                        "A's video of B: no gap over " + MAX_GAP.toMillis() + " ms: " + aOfB.describe(stopping));
                check(failures, cOfB.millis() <= MAX_GAP.toMillis(),
                        "C's video of B: no gap over " + MAX_GAP.toMillis() + " ms: " + cOfB.describe(stopping));
                System.out.printf("test %d ms in all%n", millisSince(start));
                if (!failures.isEmpty()) {
                    throw new AssertionError(String.join("\n", failures));
                }
            } catch (RuntimeException | AssertionError e) {
                room.dump();
                throw e;
            }
        }
    }

    private static void check(List<String> failures, boolean holds, String what) {
        System.out.println((holds ? "held: " : "MISSED: ") + what);
        if (!holds) {
            failures.add(what);
        }
    }
}
