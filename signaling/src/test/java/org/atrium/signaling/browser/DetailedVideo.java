package org.atrium.signaling.browser;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A camera for Chromium that makes its video encoder work: a detailed, moving y4m clip made at test
 * time, for {@code --use-file-for-fake-video-capture}. Chromium's own fake camera (a flat test
 * pattern) encodes to only about 200 kbit/s, too little to fill a shaped link.
 *
 * <p>Each frame is a texture of smooth value noise in two octaves scrolling sideways (bands of 90
 * rows alternately left and right, 8 pixels a frame) and down, a brightness wave and a bright bar
 * moving across, colour waves, and a little fresh noise. Chromium's VP8 encoder spends its whole
 * target on it (measured: 1.7 Mbit/s, the most it allows at 640x360, within a few seconds of
 * connecting, average QP under 40), while its motion stays predictable enough that the encoder
 * does not fall to the smallest resolutions (a harder clip of per-pixel noise was encoded at 320x180
 * and QP near 100, because its detail turns into unpredictable aliasing once scaled down). The
 * texture and the waves repeat exactly every {@code frames} frames, so Chromium's looping of the file
 * shows no jump. Uncompressed 4:2:0: a 1280x720 frame is 1.38 MB, so 60 frames (2 s at 30 fps,
 * 83 MB) take about a second to write. Files are made once per JVM for each format, in a temporary
 * directory deleted at exit.
 */
public final class DetailedVideo {

    /** Pixels the texture moves per frame, across and down (bands alternate across). */
    private static final int STEP_X = 8;
    private static final int STEP_Y = 4;
    /** Feature sizes of the texture's two octaves of value noise, in pixels. */
    private static final int COARSE = 80;
    private static final int FINE = 20;
    /** Fresh noise per pixel and frame, +-this many levels. */
    private static final int NOISE_AMPLITUDE = 1;
    private static final Map<String, Path> MADE = new ConcurrentHashMap<>();

    private DetailedVideo() {}

    /** A 2 s clip of 1280x720 at 30 fps. */
    public static Path hd() {
        return file(1280, 720, 30, 60);
    }

    /**
     * A y4m clip of {@code frames} frames of {@code width}x{@code height} at {@code fps}; the same
     * file for the same arguments within one JVM.
     */
    public static Path file(int width, int height, int fps, int frames) {
        if (width % 2 != 0 || height % 2 != 0 || width < 16 || height < 16 || fps < 1 || frames < 1) {
            throw new IllegalArgumentException(width + "x" + height + " at " + fps + " fps, " + frames + " frames");
        }
        return MADE.computeIfAbsent(width + "x" + height + "@" + fps + "x" + frames,
                key -> write(width, height, fps, frames));
    }

    private static Path write(int width, int height, int fps, int frames) {
        try {
            Path dir = Files.createTempDirectory("atrium-camera-");
            Path file = dir.resolve("detailed-" + width + "x" + height + "-" + fps + "fps.y4m");
            dir.toFile().deleteOnExit();
            file.toFile().deleteOnExit(); // deleted before its directory (reverse order)
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                writeTo(out, width, height, fps, frames);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fake camera's video", e);
        }
    }

    static void writeTo(OutputStream out, int width, int height, int fps, int frames) throws IOException {
        out.write(("YUV4MPEG2 W" + width + " H" + height + " F" + fps + ":1 Ip A1:1 C420jpeg\n")
                .getBytes(StandardCharsets.US_ASCII));
        // A texture tile that the scroll crosses exactly once per loop, so that the loop is seamless:
        // value noise in two octaves (features of about 80 and 20 pixels): detailed, and still
        // predictable from frame to frame when the encoder scales the picture down.
        int tileW = STEP_X * frames;
        int tileH = STEP_Y * frames;
        long[] seed = {0x9E3779B97F4A7C15L};
        double[] coarse = valueNoise(tileW, tileH, COARSE, seed);
        double[] fine = valueNoise(tileW, tileH, FINE, seed);
        byte[] tile = new byte[tileW * tileH];
        for (int i = 0; i < tile.length; i++) {
            tile[i] = (byte) (24 + (int) ((0.65 * coarse[i] + 0.35 * fine[i]) * 208));
        }
        byte[] luma = new byte[width * height];
        int cw = width / 2;
        int ch = height / 2;
        byte[] cb = new byte[cw * ch];
        byte[] cr = new byte[cw * ch];
        byte[] frameHeader = "FRAME\n".getBytes(StandardCharsets.US_ASCII);
        int[] wave = new int[width];
        int barWidth = Math.max(8, width / 16);
        for (int f = 0; f < frames; f++) {
            double phase = 2 * Math.PI * f / frames;
            int shiftX = STEP_X * f;
            int shiftY = STEP_Y * f;
            for (int x = 0; x < width; x++) {
                wave[x] = (int) (40 * Math.sin(2 * Math.PI * x / width * 3 + phase));
            }
            int barX = (int) ((long) width * f / frames);
            for (int y = 0; y < height; y++) {
                // Bands of 90 rows scroll alternately right and left.
                boolean right = (y / 90) % 2 == 0;
                int row = ((y + shiftY) % tileH) * tileW;
                int dx = right ? tileW - shiftX % tileW : shiftX % tileW;
                int base = y * width;
                for (int x = 0; x < width; x += 8) {
                    seed[0] = xorshift(seed[0]);
                    long r = seed[0];
                    int end = Math.min(width, x + 8);
                    for (int i = x; i < end; i++) {
                        int noise = (int) (r & 0xff) * (2 * NOISE_AMPLITUDE + 1) / 256 - NOISE_AMPLITUDE;
                        r >>>= 8;
                        int v = (tile[row + (i + dx) % tileW] & 0xff) * 3 / 4 + 32 + wave[i] / 2 + noise;
                        int d = i - barX;
                        if (d >= 0 && d < barWidth || d + width >= 0 && d + width < barWidth) {
                            v = 235 - noise;
                        }
                        luma[base + i] = (byte) Math.max(16, Math.min(235, v));
                    }
                }
            }
            for (int y = 0; y < ch; y++) {
                double vy = Math.cos(2 * Math.PI * y / ch * 2 - phase);
                for (int x = 0; x < cw; x++) {
                    double ux = Math.sin(2 * Math.PI * x / cw * 2 + phase);
                    cb[y * cw + x] = (byte) (128 + (int) (60 * ux));
                    cr[y * cw + x] = (byte) (128 + (int) (60 * vy * ux));
                }
            }
            out.write(frameHeader);
            out.write(luma);
            out.write(cb);
            out.write(cr);
        }
    }

    /**
     * A {@code w}x{@code h} tile of values in [0, 1): random values on a grid of {@code cell} pixels
     * (which must divide both sizes, so the tile wraps around seamlessly), smoothly interpolated.
     */
    private static double[] valueNoise(int w, int h, int cell, long[] seed) {
        int gw = Math.max(1, w / cell);
        int gh = Math.max(1, h / cell);
        double[] grid = new double[gw * gh];
        for (int i = 0; i < grid.length; i++) {
            seed[0] = xorshift(seed[0]);
            grid[i] = (seed[0] >>> 11) / (double) (1L << 53);
        }
        double[] out = new double[w * h];
        for (int y = 0; y < h; y++) {
            double fy = (double) y * gh / h;
            int y0 = (int) fy;
            double ty = smooth(fy - y0);
            int y1 = (y0 + 1) % gh;
            for (int x = 0; x < w; x++) {
                double fx = (double) x * gw / w;
                int x0 = (int) fx;
                double tx = smooth(fx - x0);
                int x1 = (x0 + 1) % gw;
                double top = grid[y0 * gw + x0] * (1 - tx) + grid[y0 * gw + x1] * tx;
                double bottom = grid[y1 * gw + x0] * (1 - tx) + grid[y1 * gw + x1] * tx;
                out[y * w + x] = top * (1 - ty) + bottom * ty;
            }
        }
        return out;
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }

    private static long xorshift(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }
}
