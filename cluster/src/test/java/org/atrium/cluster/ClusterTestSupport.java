package org.atrium.cluster;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Nodes and bounded waits for the tests that run against a real redis-server. */
final class ClusterTestSupport {

    private ClusterTestSupport() {
    }

    /** A running redis-server; skips the test (an assumption) when it is not installed. */
    static RedisServerProcess startRedis() throws Exception {
        assumeTrue(RedisServerProcess.available(),
                "/usr/bin/redis-server or redis-cli missing (apt-get install redis-server)");
        RedisServerProcess redis = new RedisServerProcess();
        redis.start();
        return redis;
    }

    /** Closes the nodes, then stops Redis; nulls are skipped. */
    static void closeAll(NodeRegistry a, NodeRegistry b, RedisServerProcess redis) throws Exception {
        for (NodeRegistry node : new NodeRegistry[] {a, b}) {
            if (node != null) {
                node.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    static NodeInfo node(String id, int index) {
        return new NodeInfo(id, URI.create("http://127.0.0.1:" + (8080 + index)), "127.0.0.1:" + (10000 + index),
                "127.0.0.1:" + (11000 + index), 0);
    }

    static NodeRegistry start(RedisServerProcess redis, NodeInfo self, AtomicInteger load, NodeListener listener)
            throws Exception {
        return get(NodeRegistry.start(ClusterConfig.of(redis.uri()), self, load::get, listener));
    }

    static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    static List<String> ids(List<NodeInfo> nodes) {
        return nodes.stream().map(NodeInfo::id).sorted().toList();
    }

    interface Check {
        boolean holds() throws Exception;
    }

    /** Polls {@code check} every 100 ms until it holds; fails after {@code timeout}. */
    static void await(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        fail(what + " within " + timeout + (last == null ? "" : " (last error: " + last + ")"));
    }
}
