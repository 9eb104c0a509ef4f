package org.atrium.signaling.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Parses a scrape with the Prometheus project's own text-format parser (the official
 * Python client's {@code prometheus_client.parser}, Debian's python3-prometheus-client,
 * which ./test.sh installs), so that what Atrium serves is read the way the ecosystem
 * reads it rather than by a parser of ours.
 */
public final class PrometheusTextParser {

    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private static final String SCRIPT = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for family in text_string_to_metric_families(sys.stdin.read()):
                for sample in family.samples:
                    out.append({"family": family.name, "type": family.type, "name": sample.name,
                                "labels": sample.labels, "value": sample.value})
            json.dump(out, sys.stdout)
            """;

    /** One sample: its name (with _total, _bucket...), labels and value. */
    public record Sample(String family, String type, String name, Map<String, String> labels, double value) {
    }

    private PrometheusTextParser() {
    }

    public static List<Sample> parse(String text) throws IOException, InterruptedException {
        Path input = Files.createTempFile("scrape", ".txt");
        try {
            Files.writeString(input, text);
            Process process = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT)
                    .redirectInput(input.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
            byte[] output = process.getInputStream().readAllBytes();
            String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("the Prometheus parser did not finish");
            }
            if (process.exitValue() != 0) {
                throw new IOException("the Prometheus parser refused the scrape (is python3-prometheus-client "
                        + "installed? ./test.sh installs it): " + errors);
            }
            List<Sample> samples = new ArrayList<>();
            for (JsonNode node : new ObjectMapper().readTree(output)) {
                Map<String, String> labels = new TreeMap<>();
                node.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                samples.add(new Sample(node.path("family").asText(), node.path("type").asText(),
                        node.path("name").asText(), labels, node.path("value").asDouble()));
            }
            return samples;
        } finally {
            Files.deleteIfExists(input);
        }
    }

    /** The value of the one sample with this name and these labels (a subset), or NaN. */
    public static double value(List<Sample> samples, String name, String... labels) {
        double found = Double.NaN;
        for (Sample sample : samples) {
            if (!sample.name().equals(name)) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                matches &= labels[i + 1].equals(sample.labels().get(labels[i]));
            }
            if (matches) {
                if (!Double.isNaN(found)) {
                    throw new AssertionError("more than one sample " + name + " " + List.of(labels));
                }
                found = sample.value();
            }
        }
        return found;
    }
}
