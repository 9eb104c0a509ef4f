package org.atrium.signaling.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing a served directory (the SDK's modules) from disk and from a jar, as atrium.jar holds it. */
class StaticFilesTest {

    /** Files around web/sdk/: only the plain names directly in it are listed. */
    private static final List<String> ENTRIES = List.of("web/sdk/session.js", "web/sdk/atrium-client.js",
            "web/sdk/nested/deeper.js", "web/sdk/bad name.js", "web/sdkx/other.js", "web/client.js");
    private static final List<String> LISTED = List.of("atrium-client.js", "session.js");

    @Test
    void listsADirectoryOnDisk(@TempDir Path root) throws IOException {
        for (String entry : ENTRIES) {
            Path file = root.resolve(entry);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "export {};\n");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            assertEquals(LISTED, StaticFiles.list(loader, "web/sdk/"));
        }
    }

    @Test
    void listsADirectoryInAJar(@TempDir Path root) throws IOException {
        Path jar = root.resolve("atrium.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("web/sdk/"));
            out.closeEntry();
            for (String entry : ENTRIES) {
                out.putNextEntry(new JarEntry(entry));
                out.write("export {};\n".getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertEquals(LISTED, StaticFiles.list(loader, "web/sdk/"));
        }
    }

    @Test
    void aMissingDirectoryIsAnError(@TempDir Path root) throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            assertThrows(IOException.class, () -> StaticFiles.list(loader, "web/sdk/"));
        }
    }

    @Test
    void namesInADirectoryAreLookedUpOnlyAsPlainNames() throws IOException {
        StaticFiles files = StaticFiles.load().loadDirectory("sdk");
        assertEquals("text/javascript; charset=utf-8", files.get("sdk", "atrium-client.js").contentType());
        assertNull(files.get("sdk", "../client.js"));
        assertNull(files.get("..", "sdk"));
        assertNull(files.get("sdk/atrium-client.js"), "directory files are not top-level names");
    }

    /** The face overlay's directory as the build fills it: its module, the detector and the types browsers need. */
    @Test
    void theFaceOverlayIsServedWithItsDetectorModelAndLicences() throws IOException {
        StaticFiles files = StaticFiles.load().loadDirectory("face");
        assertEquals("text/javascript; charset=utf-8", files.get("face", "face-overlay.js").contentType());
        assertEquals("text/javascript; charset=utf-8", files.get("face", "face-detector-worker.js").contentType());
        assertEquals("text/javascript; charset=utf-8", files.get("face", "face-api.esm.js").contentType());
        assertEquals("image/svg+xml", files.get("face", "face-glasses.svg").contentType());
        assertEquals("application/wasm", files.get("face", "tfjs-backend-wasm-simd.wasm").contentType());
        assertEquals("application/wasm", files.get("face", "tfjs-backend-wasm.wasm").contentType());
        assertEquals("application/json",
                files.get("face", "tiny_face_detector_model-weights_manifest.json").contentType());
        assertEquals("application/octet-stream", files.get("face", "tiny_face_detector_model.bin").contentType());
        for (String licence : List.of("face-api.LICENSE.txt", "tensorflow-js.LICENSE.txt", "THIRD-PARTY-NOTICES.txt")) {
            assertEquals("text/plain; charset=utf-8", files.get("face", licence).contentType(), licence);
        }
    }
}
