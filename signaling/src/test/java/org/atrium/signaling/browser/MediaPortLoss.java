package org.atrium.signaling.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Random loss on the SFU's media port, each way, from nftables rules in the test's own
 * loopback-only network namespace (so nothing outside the test is touched). Close removes
 * the rules.
 */
final class MediaPortLoss implements AutoCloseable {

    private static final String TABLE = "atrium_loss";

    private MediaPortLoss() {
    }

    /** Skips the test where loss cannot be injected: outside the test namespace, or without nft. */
    static void assumeAvailable() throws Exception {
        Assumptions.assumeTrue(Chromium.inLoopbackOnlyNamespace(),
                "loss is injected with nftables only inside the test's own network namespace (run ./test.sh)");
        Assumptions.assumeTrue(nft("list tables") == 0, "nftables (nft) is needed to inject loss");
    }

    /** Drops {@code percent} % of the UDP datagrams to and from {@code port}, at random. */
    static MediaPortLoss start(int port, int percent) throws Exception {
        String rules = "add table inet " + TABLE + "\n"
                + "add chain inet " + TABLE + " input { type filter hook input priority 0; }\n"
                + "add rule inet " + TABLE + " input udp dport " + port + " numgen random mod 100 < " + percent
                + " drop\n"
                + "add rule inet " + TABLE + " input udp sport " + port + " numgen random mod 100 < " + percent
                + " drop\n";
        if (run(new ProcessBuilder("nft", "-f", "-"), rules) != 0) {
            throw new IllegalStateException("nft rules not added");
        }
        return new MediaPortLoss();
    }

    @Override
    public void close() throws Exception {
        nft("delete table inet " + TABLE);
    }

    private static int nft(String arguments) throws IOException, InterruptedException {
        return run(new ProcessBuilder(("nft " + arguments).split(" ")), null);
    }

    private static int run(ProcessBuilder builder, String input) throws IOException, InterruptedException {
        Process process;
        try {
            process = builder.redirectErrorStream(true).start();
        } catch (IOException e) {
            return -1;
        }
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        if (process.exitValue() != 0) {
            System.out.println("nft: " + output);
        }
        return process.exitValue();
    }
}
