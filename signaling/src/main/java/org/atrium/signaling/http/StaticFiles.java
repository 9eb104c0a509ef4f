package org.atrium.signaling.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The web client's files, read once from the class path ({@code web/}) and served from
 * memory. Only plain file names are looked up, so no request can reach outside: a name
 * directly in {@code web/}, or a name in one of the directories loaded whole (such as
 * {@code web/sdk/}, the client SDK's modules, and {@code web/face/}, the face overlay's).
 */
public final class StaticFiles {

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json",
            // The face overlay's files (web/face/): browsers compile .wasm while it streams in only
            // when it comes as application/wasm; model weights (.bin) fall to application/octet-stream.
            "wasm", "application/wasm",
            "txt", "text/plain; charset=utf-8");

    /** A file's bytes and content type. */
    public record File(byte[] content, String contentType) {
    }

    private final Map<String, File> files = new HashMap<>();

    /** Loads the named files from {@code web/} on the class path. */
    public static StaticFiles load(String... names) throws IOException {
        StaticFiles result = new StaticFiles();
        for (String name : names) {
            result.files.put(name, read("web/" + name, name));
        }
        return result;
    }

    /**
     * Also loads every file directly in {@code web/<directory>/} whose name is a plain file
     * name, from a directory of the class path or from the jar; see {@link #get(String, String)}.
     *
     * @return this
     */
    public StaticFiles loadDirectory(String directory) throws IOException {
        if (!FILE_NAME.matcher(directory).matches()) {
            throw new IllegalArgumentException("not a plain directory name: " + directory);
        }
        String prefix = "web/" + directory + "/";
        for (String name : list(StaticFiles.class.getClassLoader(), prefix)) {
            files.put(directory + "/" + name, read(prefix + name, name));
        }
        return this;
    }

    /** The file of that name in {@code web/}, or null (also for names that are not plain file names). */
    public File get(String name) {
        if (!FILE_NAME.matcher(name).matches()) {
            return null;
        }
        return files.get(name);
    }

    /** The file of that name in a directory loaded with {@link #loadDirectory}, or null. */
    public File get(String directory, String name) {
        if (!FILE_NAME.matcher(directory).matches() || !FILE_NAME.matcher(name).matches()) {
            return null;
        }
        return files.get(directory + "/" + name);
    }

    private static File read(String resource, String name) throws IOException {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing web client file " + resource);
            }
            return new File(in.readAllBytes(), contentType(name));
        }
    }

    /**
     * The plain file names directly under a class-path directory ({@code prefix} ends with
     * '/'), sorted, whether the directory is on disk (tests, IDE) or in a jar (atrium.jar).
     */
    static List<String> list(ClassLoader loader, String prefix) throws IOException {
        URL url = loader.getResource(prefix);
        if (url == null) {
            throw new IOException("missing web client directory " + prefix);
        }
        List<String> names = new ArrayList<>();
        if (url.getProtocol().equals("jar")) {
            JarURLConnection connection = (JarURLConnection) url.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (JarEntry entry : Collections.list(jar.entries())) {
                    String entryName = entry.getName();
                    if (!entry.isDirectory() && entryName.startsWith(prefix)) {
                        names.add(entryName.substring(prefix.length()));
                    }
                }
            }
        } else {
            try (Stream<Path> paths = Files.list(Path.of(url.toURI()))) {
                paths.filter(Files::isRegularFile).forEach(path -> names.add(path.getFileName().toString()));
            } catch (URISyntaxException e) {
                throw new IOException("unreadable web client directory " + url, e);
            }
        }
        names.removeIf(name -> !FILE_NAME.matcher(name).matches());
        names.sort(null);
        return names;
    }

    private static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
        return type == null ? "application/octet-stream" : type;
    }
}
