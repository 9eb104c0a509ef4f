package org.atrium.signaling.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atrium.signaling.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pages the server serves, and every file they load, over real HTTP. */
class WebClientFilesTest {

    private static final Pattern ASSET = Pattern.compile("\"(/assets/[^\"]+)\"");
    /** A relative import or re-export of an ES module: {@code from './session.js'}. */
    private static final Pattern IMPORT = Pattern.compile("\\bfrom '\\./([A-Za-z0-9_-]+\\.js)'");
    private static TestServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.http(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/room/demo", "/room/demo?name=Ada"})
    void pagesAndEveryFileTheyLoadAreServed(String page) throws Exception {
        HttpResponse<String> response = get(page);
        assertEquals(200, response.statusCode());
        assertEquals("text/html; charset=utf-8", response.headers().firstValue("content-type").orElse(""));
        List<String> assets = new ArrayList<>();
        Matcher matcher = ASSET.matcher(response.body());
        while (matcher.find()) {
            assets.add(matcher.group(1));
        }
        assertFalse(assets.isEmpty(), "the page loads script and style");
        for (String asset : assets) {
            HttpResponse<String> file = get(asset);
            assertEquals(200, file.statusCode(), asset);
            String type = file.headers().firstValue("content-type").orElse("");
            assertTrue(type.startsWith(asset.endsWith(".js") ? "text/javascript" : "text/css"), asset + ": " + type);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/assets/../pom.xml", "/assets/%2e%2e/pom.xml", "/assets/nope.js", "/room/", "/room/a/b",
            "/etc/passwd", "/assets/"})
    void anythingElseIsNotFound(String path) throws Exception {
        assertEquals(404, get(path).statusCode(), path);
    }

    @Test
    void theClientSdkAndEveryModuleItImportsAreServed() throws Exception {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> toFetch = new ArrayDeque<>(List.of("atrium-client.js"));
        while (!toFetch.isEmpty()) {
            String module = toFetch.removeFirst();
            if (!seen.add(module)) {
                continue;
            }
            HttpResponse<String> file = get("/sdk/" + module);
            assertEquals(200, file.statusCode(), module);
            assertEquals("text/javascript; charset=utf-8", file.headers().firstValue("content-type").orElse(""), module);
            assertEquals("no-cache", file.headers().firstValue("cache-control").orElse(""), module);
            assertEquals("nosniff", file.headers().firstValue("x-content-type-options").orElse(""), module);
            Matcher matcher = IMPORT.matcher(file.body());
            while (matcher.find()) {
                toFetch.add(matcher.group(1));
            }
        }
        assertTrue(seen.containsAll(List.of("session.js", "negotiation.js", "publisher.js", "subscriptions.js",
                "data.js", "events.js", "stats.js")), seen.toString());
        assertTrue(get("/sdk/atrium-client.js").body().contains("export class AtriumClient"));
    }

    /** An import of the room page's modules: relative, or of the SDK at its served path. */
    private static final Pattern PAGE_IMPORT = Pattern.compile("\\bfrom '(\\./[A-Za-z0-9_-]+\\.js|/sdk/[A-Za-z0-9_-]+\\.js)'");

    @Test
    void theRoomPageModulesAndEverythingTheyImportAreServed() throws Exception {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> toFetch = new ArrayDeque<>(List.of("/assets/room/main.js"));
        while (!toFetch.isEmpty()) {
            String path = toFetch.removeFirst();
            if (!seen.add(path)) {
                continue;
            }
            HttpResponse<String> file = get(path);
            assertEquals(200, file.statusCode(), path);
            assertTrue(file.headers().firstValue("content-type").orElse("").startsWith("text/javascript"), path);
            if (!path.startsWith("/assets/room/")) {
                continue; // the SDK's own imports are the test above
            }
            Matcher matcher = PAGE_IMPORT.matcher(file.body());
            while (matcher.find()) {
                String target = matcher.group(1);
                toFetch.add(target.startsWith("./") ? "/assets/room/" + target.substring(2) : target);
            }
            assertFalse(file.body().matches("(?s).*\\b(https?|wss?)://.*"), path + " names no external URL");
        }
        assertTrue(seen.containsAll(List.of("/assets/room/tiles.js", "/assets/room/chat.js", "/assets/room/face.js",
                "/sdk/atrium-client.js")), seen.toString());
        assertEquals(404, get("/assets/room/../room.html").statusCode());
        assertEquals(404, get("/assets/room/nope.js").statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sdk/", "/sdk/../pom.xml", "/sdk/%2e%2e/pom.xml", "/sdk/nope.js", "/sdk/a/session.js",
            "/sdk/client.js", "/assets/atrium-client.js", "/assets/sdk/atrium-client.js"})
    void nothingElseUnderSdkIsServed(String path) throws Exception {
        assertEquals(404, get(path).statusCode(), path);
    }

    /**
     * The face overlay's module and every file it and its worker name beside them ({@code new
     * URL('face-api.esm.js', BASE)}, {@code from './face-api.esm.js'}), with the model's weights
     * that its manifest names, and the types browsers need (a .wasm compiles while it streams only
     * as application/wasm).
     */
    @Test
    void theFaceOverlayAndEveryFileItLoadsAreServed() throws Exception {
        Pattern sibling = Pattern.compile("(?:new URL\\('|from '\\./)([A-Za-z0-9_.-]+)'");
        Set<String> named = new LinkedHashSet<>();
        for (String module : List.of("face-overlay.js", "face-detector.js", "face-detector-worker.js")) {
            Matcher matcher = sibling.matcher(get("/face/" + module).body());
            while (matcher.find()) {
                named.add(matcher.group(1));
            }
        }
        assertEquals(Set.of("face-api.esm.js", "face-glasses.svg", "face-detector.js", "face-detector-worker.js",
                "tiny_face_detector_model-weights_manifest.json"), Set.copyOf(named));
        named.addAll(List.of("face-overlay.js", "tiny_face_detector_model.bin", "tfjs-backend-wasm-simd.wasm",
                "tfjs-backend-wasm.wasm", "face-api.LICENSE.txt", "tensorflow-js.LICENSE.txt", "THIRD-PARTY-NOTICES.txt"));
        assertTrue(get("/face/tiny_face_detector_model-weights_manifest.json").body()
                .contains("\"tiny_face_detector_model.bin\""), "the manifest names the weights served beside it");
        for (String name : named) {
            HttpResponse<byte[]> file = HTTP.send(HttpRequest.newBuilder(server.http("/face/" + name)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, file.statusCode(), name);
            assertTrue(file.body().length > 0, name);
            String type = file.headers().firstValue("content-type").orElse("");
            String expected = name.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : name.endsWith(".wasm") ? "application/wasm"
                    : name.endsWith(".json") ? "application/json"
                    : name.endsWith(".svg") ? "image/svg+xml"
                    : name.endsWith(".txt") ? "text/plain; charset=utf-8"
                    : "application/octet-stream";
            assertEquals(expected, type, name);
        }
        for (String absent : List.of("/face/", "/face/../pom.xml", "/face/face-api.esm.js.map",
                "/face/ssd_mobilenetv1_model.bin", "/face/tfjs-backend-wasm-threaded-simd.wasm")) {
            assertEquals(404, get(absent).statusCode(), absent + ": only the files the overlay needs are served");
        }
    }

    @Test
    void healthAndFavicon() throws Exception {
        assertEquals(200, get("/health/live").statusCode());
        assertEquals(200, get("/health/ready").statusCode());
        assertEquals(204, get("/favicon.ico").statusCode());
    }
}
