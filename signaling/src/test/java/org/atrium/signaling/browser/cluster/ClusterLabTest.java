package org.atrium.signaling.browser.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.atrium.signaling.browser.cluster.ClusterLab.Node;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster lab itself, without browsers: two nodes register in the lab's Redis and see each
 * other; {@link ClusterLab#kill} ends a node at once (the other declares it dead), {@link
 * ClusterLab#stop} lets a node leave in order (its entry leaves Redis); {@link ClusterLab#close}
 * leaves no process and no namespace behind. Runs where the browser tests run ({@code unshare -n},
 * as root); skipped elsewhere.
 */
@Tag("browser")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterLabTest {

    @Test
    void nodesRegisterAKilledNodeIsDeclaredDeadAStoppedNodeLeavesAndCloseRemovesEverything() {
        List<Node> nodes;
        Process redis;
        try (ClusterLab cluster = ClusterLab.start(2, List.of())) {
            nodes = cluster.nodes();
            redis = cluster.redisProcess();
            Node node1 = cluster.node(1);
            Node node2 = cluster.node(2);
            // Scored by their last beat: in either order.
            assertEquals(Set.of("node1", "node2"),
                    Set.of(cluster.redisCli("ZRANGE", "atrium:nodes", "0", "-1").split("\n")));
            assertEquals(node1.origin().toString(), cluster.redisCli("HGET", "atrium:node:node1", "url"));

            long killed = System.nanoTime();
            cluster.kill(node2);
            assertFalse(node2.alive(), "SIGKILL ends the node's JVM itself");
            await("node1 declares node2 dead", Duration.ofSeconds(15),
                    () -> cluster.metric(node1, "atrium_cluster_nodes", "") == 1);
            System.out.printf("node2 killed: node1 sees one node %d ms later%n", millisSince(killed));

            long stopping = System.nanoTime();
            cluster.stop(node1);
            assertFalse(node1.alive());
            System.out.printf("node1 stopped in %d ms with exit code %d%n", millisSince(stopping),
                    node1.process().exitValue());
            assertTrue(ClusterLab.tail(node1.log(), 20).contains("Stopped in"), ClusterLab.tail(node1.log(), 20));
            assertEquals("0", cluster.redisCli("EXISTS", "atrium:node:node1"), "node1 removed its entry");
        }
        for (Node node : nodes) {
            assertFalse(node.alive(), node.toString());
            assertFalse(Files.exists(Path.of("/run/netns", node.host().namespace())), node.host().namespace());
        }
        assertFalse(redis.isAlive(), "redis-server stopped");
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not " + what + " after " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
