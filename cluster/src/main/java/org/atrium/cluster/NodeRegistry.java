package org.atrium.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's entry in the cluster's Redis, and the other nodes' entries as this node sees
 * them. Every {@link ClusterConfig#heartbeat()} it rewrites its own entry and its room
 * members with a TTL of {@link ClusterConfig#ttl()}, then lists the live nodes: a node
 * whose entry expired is reported dead to the {@link NodeListener}. After an outage of
 * Redis (even one that lost every key) the next successful beat registers the node again.
 *
 * <p>Threads: Lettuce's Netty threads only complete futures; every continuation, the
 * heartbeat and the listener run on this registry's single scheduler thread.
 */
public final class NodeRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistry.class);

    /** HSET KEYS[1] ARGV[2..] and PEXPIRE KEYS[1] ARGV[1] at once, so that no entry is left without a TTL. */
    static final String HSET_WITH_TTL =
            "redis.call('HSET', KEYS[1], unpack(ARGV, 2)) return redis.call('PEXPIRE', KEYS[1], ARGV[1])";

    private static final Duration RECONNECT_DELAY = Duration.ofMillis(500);
    private static final int REQUEST_QUEUE_SIZE = 1024;
    private static final long CLOSE_TIMEOUT_MS = 2000;
    private static final int MAX_WARNED = 1000;

    private final ClusterConfig config;
    private final NodeInfo self;
    private final IntSupplier load;
    private final NodeListener listener;
    private final ClusterStats stats = new ClusterStats();
    private final ScheduledExecutorService executor;
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisRoomDirectory rooms;
    private final AtomicBoolean beatInFlight = new AtomicBoolean();
    /** The malformed entries already logged as warnings. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /** The nodes the last successful listing found, by id; scheduler thread only. */
    private final Map<String, NodeInfo> live = new HashMap<>();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile ScheduledFuture<?> beats;
    private volatile boolean reachable = true;
    /** Written into this node's entry from {@link #drain()} on, so that placement sends no join here. */
    private volatile boolean draining;
    /** The live nodes as the last successful beat listed them, this one first. */
    private volatile List<NodeInfo> known = List.of();
    /** Until then (System.nanoTime) no node is declared dead: Redis has just returned. Scheduler thread only. */
    private long noDeathsUntil;

    private NodeRegistry(ClusterConfig config, NodeInfo self, IntSupplier load, NodeListener listener) {
        this.config = config;
        this.self = self;
        this.load = load;
        this.listener = listener;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "atrium-cluster-" + self.id());
            t.setDaemon(true);
            return t;
        });
        this.resources = DefaultClientResources.builder().reconnectDelay(Delay.constant(RECONNECT_DELAY)).build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While Redis is away, commands fail at once instead of queueing without bound.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE_SIZE)
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                // Redis Enterprise's maintenance events: Debian's Redis 7.0 rejects the handshake for them.
                .maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .build());
        this.rooms = new RedisRoomDirectory(this);
        this.noDeathsUntil = System.nanoTime();
    }

    /**
     * Connects to Redis and registers {@code self}; the stage completes after the first
     * heartbeat reached Redis, and fails (with everything released) when it did not.
     *
     * @param load participants on this node now; called on the registry's thread
     */
    public static CompletionStage<NodeRegistry> start(ClusterConfig config, NodeInfo self, IntSupplier load,
            NodeListener listener) {
        NodeRegistry registry = new NodeRegistry(config, self, load, listener);
        return registry.client.connectAsync(StringCodec.UTF8, config.redis())
                .thenComposeAsync(c -> {
                    registry.connection = c;
                    return registry.beat();
                }, registry.executor)
                .handleAsync((v, error) -> {
                    if (error != null) {
                        registry.release();
                        throw new ClusterUnavailableException("cannot register node " + self.id() + " in Redis at "
                                + config.redis().getHost() + ":" + config.redis().getPort(), unwrap(error));
                    }
                    long period = config.heartbeat().toMillis();
                    registry.beats = registry.executor.scheduleAtFixedRate(registry::beatQuietly, period, period,
                            TimeUnit.MILLISECONDS);
                    return registry;
                }, registry.executor);
    }

    public NodeInfo self() {
        return self;
    }

    public ClusterStats stats() {
        return stats;
    }

    /**
     * Marks this node as draining in its entry, at once (a heartbeat is run now) and at
     * every beat after: the other nodes' placement no longer sends joins here.
     */
    public void drain() {
        draining = true;
        try {
            executor.execute(this::beatQuietly);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: its entry is gone anyway
        }
    }

    public boolean isDraining() {
        return draining;
    }

    /** Whether the last heartbeat reached Redis. */
    public boolean isReachable() {
        return reachable;
    }

    /**
     * The live nodes as the last heartbeat that reached Redis listed them, this node first;
     * no Redis command, so it may be one beat old (older while Redis is away).
     */
    public List<NodeInfo> knownNodes() {
        return known;
    }

    /** The room directory of this node, refreshed by this registry's heartbeat. */
    public RedisRoomDirectory rooms() {
        return rooms;
    }

    /** The live nodes, this one included; fails with {@link ClusterUnavailableException} when Redis is away. */
    public CompletionStage<List<NodeInfo>> liveNodes() {
        return CompletableFuture.supplyAsync(() -> listLive(commands()), executor)
                .thenCompose(stage -> stage)
                .handleAsync((nodes, error) -> {
                    if (error != null) {
                        throw unavailable("listing nodes", error);
                    }
                    return nodes;
                }, executor);
    }

    /**
     * Stops beating and removes this node's entries from Redis (waiting at most 2 s), then
     * releases everything. Blocks: never call it on an I/O thread or a listener.
     */
    @Override
    public void close() {
        stopHeartbeat();
        StatefulRedisConnection<String, String> c = connection;
        if (c != null && c.isOpen() && !executor.isShutdown()) {
            try {
                // Issued on the scheduler thread, after any heartbeat that is under way, so none rewrites them.
                CompletableFuture.supplyAsync(this::removeEntries, executor)
                        .thenCompose(removed -> removed)
                        .get(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("node {}: could not remove its entries from Redis ({}); they expire in {}", self.id(),
                        unwrap(e).toString(), config.ttl());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        release();
    }

    private CompletableFuture<Void> removeEntries() {
        RedisAsyncCommands<String, String> commands = commands();
        return CompletableFuture.allOf(
                commands.del(RedisEntries.nodeKey(self.id())).toCompletableFuture(),
                commands.zrem(RedisEntries.NODES, self.id()).toCompletableFuture(),
                rooms.removeAll(commands).toCompletableFuture());
    }

    /** Closes the connection and stops every thread, leaving this node's entries to expire. */
    private void release() {
        stopHeartbeat();
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        executor.shutdownNow();
        client.shutdown(Duration.ZERO, Duration.ofMillis(CLOSE_TIMEOUT_MS));
        resources.shutdown(0, CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** Stops the heartbeat and leaves the entries to expire: what the other nodes see of a crash. */
    void stopHeartbeat() {
        ScheduledFuture<?> b = beats;
        if (b != null) {
            b.cancel(false);
        }
    }

    ScheduledExecutorService executor() {
        return executor;
    }

    RedisAsyncCommands<String, String> commands() {
        return connection.async();
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            // A throw here would end the schedule: count it, and beat again next time.
            stats.redisFailures.incrementAndGet();
            LOG.warn("node {}: heartbeat failed", self.id(), e);
        }
    }

    /** One heartbeat: rewrite this node's entries, then list the live nodes. Scheduler thread only. */
    private CompletionStage<Void> beat() {
        if (!beatInFlight.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null); // the last one still waits for Redis
        }
        RedisAsyncCommands<String, String> commands = commands();
        NodeInfo now = self.withLoad(Math.max(0, load.getAsInt())).withDraining(draining);
        CompletableFuture<Object> entry = hsetWithTtl(commands, RedisEntries.nodeKey(self.id()),
                RedisEntries.nodeFields(now));
        CompletableFuture<Long> index = commands.zadd(RedisEntries.NODES, (double) System.currentTimeMillis(),
                self.id()).toCompletableFuture();
        CompletableFuture<Void> members = rooms.refresh(commands).toCompletableFuture();
        return CompletableFuture.allOf(entry, index, members)
                .thenComposeAsync(v -> listLive(commands), executor)
                .handleAsync((nodes, error) -> {
                    beatInFlight.set(false);
                    if (error != null) {
                        stats.redisFailures.incrementAndGet();
                        if (reachable) {
                            reachable = false;
                            LOG.warn("node {}: Redis unreachable, will register again when it returns: {}", self.id(),
                                    unwrap(error).toString());
                        }
                        throw unavailable("heartbeat", error);
                    }
                    stats.heartbeats.incrementAndGet();
                    if (!reachable) {
                        reachable = true;
                        // A Redis that restarted empty lists only the nodes that beat since: give the
                        // others one TTL to register again before any is declared dead.
                        noDeathsUntil = System.nanoTime() + config.ttl().toNanos();
                        LOG.info("node {}: Redis reachable again, node registered", self.id());
                    }
                    update(nodes);
                    return null;
                }, executor);
    }

    CompletableFuture<Object> hsetWithTtl(RedisAsyncCommands<String, String> commands, String key,
            Map<String, String> fields) {
        String[] args = new String[1 + 2 * fields.size()];
        args[0] = Long.toString(config.ttl().toMillis());
        int i = 1;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            args[i++] = field.getKey();
            args[i++] = field.getValue();
        }
        return commands.eval(HSET_WITH_TTL, ScriptOutputType.INTEGER, new String[] {key}, args).toCompletableFuture();
    }

    /** The nodes whose entries exist and parse; ids left in the index by expired nodes are removed from it. */
    private CompletionStage<List<NodeInfo>> listLive(RedisAsyncCommands<String, String> commands) {
        return commands.zrange(RedisEntries.NODES, 0, RedisEntries.MAX_NODES - 1)
                .thenComposeAsync(ids -> {
                    List<String> valid = new ArrayList<>(ids.size());
                    List<CompletableFuture<Map<String, String>>> entries = new ArrayList<>(ids.size());
                    for (String id : ids) {
                        if (!NodeInfo.isValidId(id)) {
                            malformed(RedisEntries.NODES, id, "invalid node id");
                            continue;
                        }
                        valid.add(id);
                        entries.add(commands.hgetall(RedisEntries.nodeKey(id)).toCompletableFuture()
                                .exceptionallyAsync(error -> wrongTypeAs(error, RedisEntries.nodeKey(id), null), executor));
                    }
                    return CompletableFuture.allOf(entries.toArray(CompletableFuture[]::new)).thenApplyAsync(v -> {
                        List<NodeInfo> nodes = new ArrayList<>(valid.size());
                        for (int i = 0; i < valid.size(); i++) {
                            String id = valid.get(i);
                            Map<String, String> fields = entries.get(i).join();
                            if (fields == null) {
                                continue; // not a hash, counted
                            }
                            if (fields.isEmpty()) {
                                if (!id.equals(self.id())) {
                                    commands.zrem(RedisEntries.NODES, id); // expired; best effort
                                }
                                continue;
                            }
                            RedisEntries.Parsed<NodeInfo> node = RedisEntries.parseNode(id, fields);
                            if (node.value() == null) {
                                malformed(RedisEntries.nodeKey(id), null, node.reason());
                            } else {
                                nodes.add(node.value());
                            }
                        }
                        return nodes;
                    }, executor);
                }, executor);
    }

    /** The value for a Redis key of the wrong type (counted and logged); any other error is rethrown. */
    <T> T wrongTypeAs(Throwable error, String key, T value) {
        Throwable cause = unwrap(error);
        if (cause instanceof RedisCommandExecutionException && String.valueOf(cause.getMessage()).contains("WRONGTYPE")) {
            malformed(key, null, "wrong key type");
            return value;
        }
        throw error instanceof CompletionException ce ? ce : new CompletionException(cause);
    }

    void malformed(String key, String field, String reason) {
        stats.malformedEntries.incrementAndGet();
        String where = field == null ? key : key + " field " + field;
        // Each beat meets the same bad entry again: a warning for the first time, then debug.
        if (warned.size() < MAX_WARNED && warned.add(where)) {
            LOG.warn("node {}: skipped malformed Redis entry {}: {}", self.id(), where, reason);
        } else {
            LOG.debug("node {}: skipped malformed Redis entry {}: {}", self.id(), where, reason);
        }
    }

    private void update(List<NodeInfo> nodes) {
        Map<String, NodeInfo> now = new HashMap<>();
        for (NodeInfo node : nodes) {
            now.put(node.id(), node);
        }
        boolean mayDie = System.nanoTime() - noDeathsUntil >= 0;
        for (String id : List.copyOf(live.keySet())) {
            if (mayDie && !now.containsKey(id) && !id.equals(self.id())) {
                live.remove(id);
                LOG.info("node {}: node {} is dead (its entry expired)", self.id(), id);
                notify(() -> listener.onNodeDead(id));
            }
        }
        for (NodeInfo node : nodes) {
            if (live.put(node.id(), node) == null) {
                notify(() -> listener.onNodeUp(node));
            }
        }
        List<NodeInfo> ordered = new ArrayList<>(live.size());
        NodeInfo me = live.get(self.id());
        if (me != null) {
            ordered.add(me);
        }
        live.values().stream().filter(n -> !n.id().equals(self.id()))
                .sorted(java.util.Comparator.comparing(NodeInfo::id)).forEach(ordered::add);
        known = List.copyOf(ordered);
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("node {}: node listener threw", self.id(), e);
        }
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        for (int i = 0; i < 8 && (t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null; i++) {
            t = t.getCause();
        }
        return t;
    }

    static CompletionException unavailable(String what, Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof ClusterUnavailableException) {
            return new CompletionException(cause);
        }
        return new CompletionException(new ClusterUnavailableException(what + ": Redis unreachable: " + cause, cause));
    }
}
