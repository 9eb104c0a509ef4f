package org.atrium.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a JMH JSON result file ({@code -rf json}) as Markdown tables: every benchmark with its
 * time and allocation per operation, then SrtpBenchmark's atriumX / jitsiX pairs with the ratio
 * Atrium/jitsi (below 1 means Atrium is faster), plus unprotect estimated as round trip minus
 * protect.
 */
public final class JmhTable {
    private static final String SRTP = SrtpBenchmark.class.getName() + ".";
    private static final String[] OPERATIONS = {"RtpProtect", "RtpRoundTrip", "RtcpProtect", "RtcpRoundTrip"};

    /**
     * One result: wall-clock ns/op with its 99.9% error, CPU ns/op (NaN without CpuTimeProfiler)
     * and bytes allocated per op (NaN without -prof gc).
     */
    private record Result(double ns, double error, double cpu, double bytes) {
        /** CPU time when measured: on a shared machine it is the steadier of the two. */
        double cost() {
            return Double.isNaN(cpu) ? ns : cpu;
        }
    }

    private JmhTable() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: JmhTable result.json");
            System.exit(2);
        }
        JsonNode root = new ObjectMapper().readTree(new File(args[0]));
        Map<String, Result> results = new LinkedHashMap<>();
        System.out.println("| benchmark | params | ns/op | ± (99.9%) | CPU ns/op | B/op |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (JsonNode run : root) {
            String name = run.get("benchmark").asText();
            String params = params(run.get("params"));
            JsonNode primary = run.get("primaryMetric");
            Result r = new Result(primary.get("score").asDouble(), primary.get("scoreError").asDouble(),
                    secondary(run, "cpu.time.norm"), secondary(run, "gc.alloc.rate.norm"));
            results.put(name + "|" + params, r);
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %s | %s |%n", shortName(name), params, r.ns,
                    r.error, Double.isNaN(r.cpu) ? "-" : String.format(Locale.ROOT, "%.1f", r.cpu), bytes(r.bytes));
        }

        List<String> paramSets = new ArrayList<>();
        for (String key : results.keySet()) {
            if (key.startsWith(SRTP + "atrium")) {
                String params = key.substring(key.indexOf('|') + 1);
                if (!paramSets.contains(params)) {
                    paramSets.add(params);
                }
            }
        }
        if (paramSets.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("Times are CPU ns/op when CpuTimeProfiler ran, else wall-clock ns/op.");
        System.out.println();
        System.out.println("| operation | params | Atrium ns/op | jitsi ns/op | Atrium/jitsi | Atrium B/op | jitsi B/op |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (String params : paramSets) {
            for (String op : OPERATIONS) {
                Result atrium = results.get(SRTP + "atrium" + op + "|" + params);
                Result jitsi = results.get(SRTP + "jitsi" + op + "|" + params);
                if (atrium != null && jitsi != null) {
                    System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.2f | %s | %s |%n", op, params,
                            atrium.cost(), jitsi.cost(), atrium.cost() / jitsi.cost(), bytes(atrium.bytes),
                            bytes(jitsi.bytes));
                }
            }
            for (String kind : new String[] {"Rtp", "Rtcp"}) {
                Result ap = results.get(SRTP + "atrium" + kind + "Protect|" + params);
                Result ar = results.get(SRTP + "atrium" + kind + "RoundTrip|" + params);
                Result jp = results.get(SRTP + "jitsi" + kind + "Protect|" + params);
                Result jr = results.get(SRTP + "jitsi" + kind + "RoundTrip|" + params);
                if (ap != null && ar != null && jp != null && jr != null) {
                    double a = ar.cost() - ap.cost();
                    double j = jr.cost() - jp.cost();
                    System.out.printf(Locale.ROOT, "| %sUnprotect (round trip - protect) | %s | %.0f | %.0f | %.2f | %s | %s |%n",
                            kind, params, a, j, a / j, bytes(ar.bytes - ap.bytes), bytes(jr.bytes - jp.bytes));
                }
            }
        }
    }

    private static double secondary(JsonNode run, String metric) {
        JsonNode node = run.path("secondaryMetrics").path(metric);
        return node.isMissingNode() ? Double.NaN : node.get("score").asDouble();
    }

    private static String params(JsonNode params) {
        if (params == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, JsonNode> e : params.properties()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(e.getKey()).append('=').append(e.getValue().asText());
        }
        return sb.toString();
    }

    private static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    private static String bytes(double b) {
        return Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.0f", Math.max(0, b));
    }
}
