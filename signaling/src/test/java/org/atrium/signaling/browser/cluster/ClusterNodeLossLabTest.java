package org.atrium.signaling.browser.cluster;

import static org.atrium.signaling.browser.cluster.RoomOfThree.millisSince;
import static org.atrium.signaling.browser.cluster.RoomOfThree.sleep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.atrium.signaling.browser.BrowserPage;
import org.atrium.signaling.browser.cluster.ClusterLab.Node;
import org.atrium.signaling.browser.cluster.DecodedFrames.Gap;
import org.atrium.signaling.browser.cluster.DecodedFrames.Sample;
import org.atrium.signaling.browser.cluster.DecodedFrames.Samples;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Node loss (docs/cluster.md, "Node loss"; docs/client.md, "Node loss"): pages A on node1, B on
 * node2 and C on node3 share a room ({@link RoomOfThree}); node3 is killed (SIGKILL). Within 10 s
 * of the kill C's page is back in the room through another node (its {@code window.atrium.node}
 * and URL changed, its peer connection connected, A's and B's video decoding again), and A and B
 * decode C's new video; all the while A's and B's video of each other never stops for more than
 * 1 s. C's page never shows its own old participant, which the node it rejoins through lists until
 * it declares node3 dead. Every page's decoded frames are sampled in the page every 250 ms ({@link DecodedFrames})
 * from 3 s before the kill until 2 s after C is back everywhere. The test prints the times it
 * measured; on failure, every page's and node's log.
 */
@Tag("browser")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterNodeLossLabTest {

    private static final String ROOM = "loss";
    /** docs/cluster.md: "a page has its room back within about 10 s of its node dying". */
    private static final Duration BACK = Duration.ofSeconds(10);
    /** A's and B's video of each other: no longer without a new frame than this. */
    private static final Duration MAX_GAP = Duration.ofSeconds(1);
    /** How long the test waits to measure a page coming back, beyond the bound it asserts. */
    private static final Duration MEASURE = Duration.ofSeconds(30);
    private static final Duration PERIOD = Duration.ofMillis(250);
    private static final Duration BEFORE = Duration.ofSeconds(3);
    private static final Duration AFTER = Duration.ofSeconds(2);

    @Test
    void aPageWhoseNodeDiesIsBackWithinTenSecondsAndTheOthersVideoGoesOn() {
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
                Node node3 = cluster.node(3);
                String oldC = room.firstId("C");
                String oldUrl = (String) c.eval("return window.atrium.url;");
                for (BrowserPage page : room.pages().values()) {
                    DecodedFrames.start(page, PERIOD);
                }
                sleep(BEFORE);

                long killed = System.currentTimeMillis();
                cluster.kill(node3);
                System.out.printf("node3 killed (SIGKILL), gone %d ms later%n", System.currentTimeMillis() - killed);

                // C back: on another node, connected, decoding A's and B's video again. A and B: C's new
                // participant's video decoding.
                Predicate<Sample> cBack = s -> s.node() != null && !s.node().equals(node3.id())
                        && "connected".equals(s.state());
                Long cBackAt = null;
                Long aSeesCAt = null;
                Long bSeesCAt = null;
                while (System.currentTimeMillis() - killed < MEASURE.toMillis()
                        && (cBackAt == null || aSeesCAt == null || bSeesCAt == null)) {
                    sleep(Duration.ofMillis(500));
                    cBackAt = cBackAt != null ? cBackAt : backAt(DecodedFrames.read(c), killed, cBack, "A", "B");
                    aSeesCAt = aSeesCAt != null ? aSeesCAt : seesNewAt(DecodedFrames.read(a), killed, "C", oldC);
                    bSeesCAt = bSeesCAt != null ? bSeesCAt : seesNewAt(DecodedFrames.read(b), killed, "C", oldC);
                }
                sleep(AFTER);
                Samples sa = DecodedFrames.stop(a);
                Samples sb = DecodedFrames.stop(b);
                Samples sc = DecodedFrames.stop(c);

                // The node C rejoins through lists C's old participant until it declares node3 dead.
                long ghostSamples = sc.samples().stream()
                        .filter(s -> s.time() > killed && !node3.id().equals(s.node()) && s.frames().containsKey(oldC))
                        .count();
                String cNode = (String) c.eval("return window.atrium.node;");
                String cUrl = (String) c.eval("return window.atrium.url;");
                long reconnects = ((Number) c.eval("return window.atrium.reconnects;")).longValue();
                String cState = (String) c.eval("return window.atrium.state;");
                String cPc = (String) c.eval("return window.atrium.pc ? window.atrium.pc.connectionState : null;");
                Gap aOfB = sa.largestGap("B");
                Gap bOfA = sb.largestGap("A");
                System.out.printf("C: node %s -> %s, url %s -> %s, reconnects %d, state %s, peer connection %s%n",
                        node3.id(), cNode, oldUrl, cUrl, reconnects, cState, cPc);
                System.out.printf("C back in the room (other node, connected, A's and B's video decoding) %s%n",
                        after(cBackAt, killed));
                System.out.printf("A decoding C's new video %s; B decoding C's new video %s%n", after(aSeesCAt, killed),
                        after(bSeesCAt, killed));
                System.out.printf("largest gap in A's video of B: %s; in B's video of A: %s (relative to the kill;"
                        + " samples every %d ms, median tick A %d ms, B %d ms, C %d ms; %d, %d, %d samples)%n",
                        aOfB.describe(killed), bOfA.describe(killed), PERIOD.toMillis(), sa.medianTick(),
                        sb.medianTick(), sc.medianTick(), sa.samples().size(), sb.samples().size(),
                        sc.samples().size());
                long until = Math.max(cBackAt == null ? 0 : cBackAt - killed, 0) + 1000;
                for (Object[] view : new Object[][] {{"C", sc}, {"A", sa}, {"B", sb}}) {
                    System.out.printf("%s's page from 1 s before the kill to 1 s after C was back:%n%s", view[0],
                            ((Samples) view[1]).timeline(killed, -1000, until));
                }
                System.out.println("C's page after the kill:");
                System.out.println(String.join("\n", RoomOfThree.pageLog(c, 25)));

                List<String> failures = new ArrayList<>();
                check(failures, cBackAt != null && cBackAt - killed <= BACK.toMillis(),
                        "C back in the room within " + BACK.toSeconds() + " s of the kill: " + after(cBackAt, killed));
                check(failures, cNode != null && !cNode.equals(node3.id()) && cUrl != null && !cUrl.equals(oldUrl),
                        "C's node and url changed: " + cNode + ", " + cUrl);
                check(failures, reconnects >= 1, "C's page counts a reconnect: " + reconnects);
                check(failures, "connected".equals(cPc), "C's peer connection connected: " + cPc);
                check(failures, ghostSamples == 0, "C's page never shows its own old participant " + oldC
                        + " after the rejoin: in " + ghostSamples + " samples");
                check(failures, aSeesCAt != null && aSeesCAt - killed <= BACK.toMillis(),
                        "A decodes C's new video within " + BACK.toSeconds() + " s: " + after(aSeesCAt, killed));
                check(failures, bSeesCAt != null && bSeesCAt - killed <= BACK.toMillis(),
                        "B decodes C's new video within " + BACK.toSeconds() + " s: " + after(bSeesCAt, killed));
                check(failures, aOfB.millis() <= MAX_GAP.toMillis(),
                        "A's video of B never stops longer than " + MAX_GAP.toMillis() + " ms: " + aOfB.describe(killed));
                check(failures, bOfA.millis() <= MAX_GAP.toMillis(),
                        "B's video of A never stops longer than " + MAX_GAP.toMillis() + " ms: " + bOfA.describe(killed));
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

    /**
     * The first sample after {@code since} that passes {@code back} and saw new frames of every
     * participant of {@code names}; null if none.
     */
    private static Long backAt(Samples samples, long since, Predicate<Sample> back, String... names) {
        for (Sample s : samples.samples()) {
            if (s.time() > since && back.test(s)
                    && java.util.Arrays.stream(names).allMatch(n -> samples.frames(s, n) > 0)) {
                return s.time();
            }
        }
        return null;
    }

    /** The first sample after {@code since} with new frames of a participant named {@code name} but not {@code oldId}. */
    private static Long seesNewAt(Samples samples, long since, String name, String oldId) {
        Predicate<String> fresh = samples.named(name).and(id -> !id.equals(oldId));
        for (Sample s : samples.samples()) {
            if (s.time() > since && s.frames(fresh) > 0) {
                return s.time();
            }
        }
        return null;
    }

    private static String after(Long at, long since) {
        return at == null ? "not seen" : (at - since) + " ms after the kill";
    }

    private static void check(List<String> failures, boolean holds, String what) {
        System.out.println((holds ? "held: " : "MISSED: ") + what);
        if (!holds) {
            failures.add(what);
        }
    }
}
