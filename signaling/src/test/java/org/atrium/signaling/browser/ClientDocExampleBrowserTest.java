package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The example of docs/client.md, as written there, in two Chromium pages of the server: it runs
 * to its end without an error, and each page shows the other's video (a playing {@code <video>}
 * the example made). Only the example's {@code import} is made absolute, since it runs as a
 * module made from the text (a blob URL), not from a file of the server. Its chat line is not
 * awaited: a message reaches only those whose data channels are up when it is sent, and the
 * example says hello once, as its own channel opens (SdkBrowserTest checks chat, saying it until
 * it arrives).
 */
@Tag("browser")
class ClientDocExampleBrowserTest extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(30);
    private static final Pattern EXAMPLE = Pattern.compile("## Example\\R.*?```js\\R(.*?)```", Pattern.DOTALL);

    private static final String RUN = """
            const url = URL.createObjectURL(new Blob([arguments[0]], { type: 'text/javascript' }));
            window.example = 'running';
            import(url).then(() => { window.example = 'done'; }, (e) => { window.example = 'failed: ' + e; });
            """;

    @Test
    void theExampleRunsInTwoPagesThatSeeEachOther() throws Exception {
        String example = example().replace("'/sdk/atrium-client.js'", "'" + server.http("/sdk/atrium-client.js") + "'");
        assertTrue(example.contains(server.http("/sdk/atrium-client.js").toString()), "the example imports the SDK");
        List<BrowserPage> pages = List.of(chromium.open(server.http("/").toString()),
                chromium.open(server.http("/").toString()));
        for (BrowserPage page : pages) {
            page.eval(RUN, example);
        }
        for (BrowserPage page : pages) {
            page.waitUntilTrue("window.example === 'done'", CONNECT);
            page.waitUntilTrue("[...document.querySelectorAll('video[data-participant]')]"
                    + ".some((v) => v.videoWidth > 0 && v.currentTime > 0)", CONNECT);
        }
    }

    /** The first {@code js} block under "## Example" in docs/client.md. */
    private static String example() throws Exception {
        Path doc = Path.of("..", "docs", "client.md");
        Matcher matcher = EXAMPLE.matcher(Files.readString(doc));
        assertTrue(matcher.find(), "docs/client.md has an Example section with a js block");
        return matcher.group(1);
    }
}
