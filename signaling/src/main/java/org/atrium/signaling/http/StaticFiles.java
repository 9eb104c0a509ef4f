package org.atrium.signaling.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The web client's files, read once from the class path ({@code web/}) and served from
 * memory. Only plain file names are looked up, so no request can reach outside.
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
            "json", "application/json");

    /** A file's bytes and content type. */
    public record File(byte[] content, String contentType) {
    }

    private final Map<String, File> files = new HashMap<>();

    /** Loads the named files from {@code web/} on the class path. */
    public static StaticFiles load(String... names) throws IOException {
        StaticFiles result = new StaticFiles();
        for (String name : names) {
            try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream("web/" + name)) {
                if (in == null) {
                    throw new IOException("missing web client file web/" + name);
                }
                result.files.put(name, new File(in.readAllBytes(), contentType(name)));
            }
        }
        return result;
    }

    /** The file of that name, or null (also for names that are not plain file names). */
    public File get(String name) {
        if (!FILE_NAME.matcher(name).matches()) {
            return null;
        }
        return files.get(name);
    }

    private static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
        return type == null ? "application/octet-stream" : type;
    }
}
