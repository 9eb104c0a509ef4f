package org.atrium.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a load did between two snapshots: rates, loss, delay percentiles and the server's
 * CPU. Rates are per second of the window; NaN where the source was not available.
 *
 * @param forwardedPps RTP packets received by all subscribers per second (what the SFU
 *     forwarded and delivered)
 * @param serverForwardedPps the server's own count ({@code atrium_forwarded_packets_total}),
 *     summed over the nodes of a cluster
 * @param relayedPps packets the nodes sent each other over relay links
 *     ({@code atrium_relay_packets_total{direction="sent"}} summed over the nodes); 0 on a
 *     single node, NaN when not known (the raw relay)
 * @param serverCpuPercent CPU time of the server (of all its nodes) per second of the window
 * @param cpuMicrosPerPacket server CPU time (all nodes) per forwarded packet (per received
 *     packet when the server's count is not available); relayed packets are not counted
 * @param dataSent data-channel messages sent in the window (each for the whole room)
 * @param dataReceived data-channel messages received by all participants in the window
 * @param dataLost gaps in each sender's sequence at each receiver: messages the SFU dropped
 * @param dataSendRefused messages the sender's association did not queue (its buffer full)
 * @param generatorCpuPercent the load generator's own CPU time per second of the window: its
 *     process's user + system time, less the server's when the server runs in its process
 *     (the raw relay, or a {@code --server-pid} that is the generator's own)
 * @param generatorBusiestThread the name of the generator's thread that used the most CPU in
 *     the window; null when not measured (an SFU running in the generator's process)
 * @param generatorBusiestThreadPercent that thread's CPU in % of one core; NaN when not measured
 * @param serverDelayP99Ms the servers' own p99 forwarding delay (receipt to send), an upper
 *     bound from the buckets of {@code atrium_forwarding_latency_seconds}; NaN when not known
 */
record WindowResult(String target, double seconds, int publishers, int subscribers, double sentPps,
        double forwardedPps, double serverForwardedPps, double relayedPps, double bitrateInMbps, double bitrateOutMbps,
        double lossPercent, double delayP50Ms, double delayP99Ms, double delayP999Ms, double delayMaxMs,
        double jitterMs, long retransmitted, long nacksSent, long plisSent, long keyframesSent, long undecryptable,
        double serverCpuPercent, double cpuMicrosPerPacket, long dataSent, long dataReceived, long dataLost,
        long dataSendRefused, long dataReceivedBytes, double dataDelayP50Ms, double dataDelayP99Ms,
        double dataDelayMaxMs, double generatorCpuPercent, String generatorBusiestThread,
        double generatorBusiestThreadPercent, double serverDelayP99Ms) {

    static WindowResult between(String target, LoadSnapshot start, LoadSnapshot end) {
        double seconds = (end.nanos() - start.nanos()) / 1e9;
        long[] delays = new long[DelayHistogram.BUCKETS];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = end.delayCounts()[i] - start.delayCounts()[i];
        }
        long[] dataDelays = new long[DelayHistogram.BUCKETS];
        for (int i = 0; i < dataDelays.length; i++) {
            dataDelays[i] = end.dataDelayCounts()[i] - start.dataDelayCounts()[i];
        }
        long received = end.receivedPackets() - start.receivedPackets();
        long expected = end.expectedPackets() - start.expectedPackets();
        long lost = end.lostPackets() - start.lostPackets();
        double cpuSeconds = end.serverCpuSeconds() - start.serverCpuSeconds();
        double serverForwarded = end.serverForwarded() >= 0 && start.serverForwarded() >= 0
                ? end.serverForwarded() - start.serverForwarded() : Double.NaN;
        double relayed = end.serverRelayed() >= 0 && start.serverRelayed() >= 0
                ? end.serverRelayed() - start.serverRelayed() : Double.NaN;
        double perPacket = cpuSeconds * 1e6 / (Double.isNaN(serverForwarded) ? received : serverForwarded);
        ThreadCpuSample.Busiest busiest = end.generatorThreads().busiestSince(start.generatorThreads(), seconds);
        return new WindowResult(target, seconds, end.publishers(), end.subscribers(),
                (end.sentPackets() - start.sentPackets()) / seconds, received / seconds,
                serverForwarded / seconds, relayed / seconds,
                (end.sentBytes() - start.sentBytes()) * 8 / seconds / 1e6,
                (end.receivedBytes() - start.receivedBytes()) * 8 / seconds / 1e6,
                expected <= 0 ? 0 : Math.max(0, 100.0 * lost / expected),
                DelayHistogram.quantile(delays, 0.50) / 1000, DelayHistogram.quantile(delays, 0.99) / 1000,
                DelayHistogram.quantile(delays, 0.999) / 1000, end.maxDelayMicros() / 1000.0,
                end.jitterMillisMean(), end.retransmittedPackets() - start.retransmittedPackets(),
                end.nacksSent() - start.nacksSent(), end.plisSent() - start.plisSent(),
                end.keyframesSent() - start.keyframesSent(), end.undecryptable() - start.undecryptable(),
                100 * cpuSeconds / seconds, perPacket, end.dataSent() - start.dataSent(),
                end.dataReceived() - start.dataReceived(), end.dataLost() - start.dataLost(),
                end.dataSendRefused() - start.dataSendRefused(), end.dataReceivedBytes() - start.dataReceivedBytes(),
                DelayHistogram.quantile(dataDelays, 0.50) / 1000, DelayHistogram.quantile(dataDelays, 0.99) / 1000,
                end.dataMaxDelayMicros() / 1000.0,
                Math.max(0, 100 * (end.generatorCpuSeconds() - start.generatorCpuSeconds()) / seconds),
                busiest == null ? null : busiest.name(), busiest == null ? Double.NaN : busiest.percent(),
                ServerLatency.quantileMs(start.serverLatency(), end.serverLatency(), 0.99));
    }

    /** Within the limits the capacity search holds a step to. */
    boolean isGood(double maxLossPercent, double maxP99Ms) {
        return lossPercent <= maxLossPercent && !(delayP99Ms > maxP99Ms) && forwardedPps > 0;
    }

    /** For the JSON file: names with units, NaN as null; {@code limitedBy} as {@code rule} says. */
    Map<String, Object> toJson(LimitRule rule) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("target", target);
        json.put("seconds", round(seconds));
        json.put("publishers", publishers);
        json.put("subscribers", subscribers);
        json.put("sentPacketsPerSecond", round(sentPps));
        json.put("forwardedPacketsPerSecond", round(forwardedPps));
        json.put("serverForwardedPacketsPerSecond", round(serverForwardedPps));
        json.put("relayedPacketsPerSecond", round(relayedPps));
        json.put("bitrateInMbps", round(bitrateInMbps));
        json.put("bitrateOutMbps", round(bitrateOutMbps));
        json.put("lossPercent", round(lossPercent));
        json.put("delayP50Ms", round(delayP50Ms));
        json.put("delayP99Ms", round(delayP99Ms));
        json.put("delayP999Ms", round(delayP999Ms));
        json.put("delayMaxMs", round(delayMaxMs));
        json.put("jitterMs", round(jitterMs));
        json.put("retransmissionsReceived", retransmitted);
        json.put("nacksSent", nacksSent);
        json.put("plisSent", plisSent);
        json.put("keyframesSent", keyframesSent);
        json.put("undecryptable", undecryptable);
        json.put("serverCpuPercent", round(serverCpuPercent));
        json.put("cpuMicrosPerForwardedPacket", round(cpuMicrosPerPacket));
        json.put("generatorCpuPercent", round(generatorCpuPercent));
        json.put("generatorBusiestThread", generatorBusiestThread);
        json.put("generatorBusiestThreadPercent", round(generatorBusiestThreadPercent));
        json.put("serverDelayP99Ms", round(serverDelayP99Ms));
        json.put("limitedBy", rule.limitedBy(this));
        json.put("dataMessagesSent", dataSent);
        json.put("dataMessagesReceived", dataReceived);
        json.put("dataMessagesLost", dataLost);
        json.put("dataSendRefused", dataSendRefused);
        json.put("dataBytesReceived", dataReceivedBytes);
        json.put("dataDelayP50Ms", round(dataDelayP50Ms));
        json.put("dataDelayP99Ms", round(dataDelayP99Ms));
        json.put("dataDelayMaxMs", round(dataDelayMaxMs));
        return json;
    }

    private static Object round(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        return Math.round(value * 1000) / 1000.0;
    }
}
