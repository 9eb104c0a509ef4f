package org.atrium.signaling.browser;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/**
 * A camera that films a face, for {@code --use-file-for-fake-video-capture}: scikit-image's
 * {@code astronaut.png} (Eileen Collins' NASA portrait, public domain; Debian package
 * {@code python3-skimage}, which test.sh installs) scaled into a 640x480 frame, written as a few
 * identical frames of 4:2:0 y4m that Chromium loops.
 */
public final class FaceVideo {

    public static final Path PHOTO = Path.of("/usr/lib/python3/dist-packages/skimage/data/astronaut.png");
    public static final int WIDTH = 640;
    public static final int HEIGHT = 480;
    private static final int FPS = 10;
    private static final int FRAMES = 10;
    /** The 512x512 photo is scaled to the frame's height and centred, with grey bars either side. */
    private static final int PHOTO_SIDE = 512;
    private static final double SCALE = (double) HEIGHT / PHOTO_SIDE;
    private static final int OFFSET_X = (WIDTH - HEIGHT) / 2;
    /** The face in the photo (forehead to chin, ear to ear), in the photo's pixels: x, y, width, height. */
    private static final int[] FACE_IN_PHOTO = {170, 60, 110, 120};

    private static Path made;

    private FaceVideo() {}

    /** The y4m file, written once per JVM into a temporary directory deleted at exit; skips the test without the photo. */
    public static synchronized Path file() {
        Assumptions.assumeTrue(Files.isReadable(PHOTO),
                () -> PHOTO + " missing: install Debian's python3-skimage (./test.sh does)");
        if (made == null) {
            made = write();
        }
        return made;
    }

    /** Where the face is in the video frame: x, y, width, height in frame pixels. */
    public static double[] faceInFrame() {
        return new double[] {
            OFFSET_X + FACE_IN_PHOTO[0] * SCALE, FACE_IN_PHOTO[1] * SCALE,
            FACE_IN_PHOTO[2] * SCALE, FACE_IN_PHOTO[3] * SCALE};
    }

    private static Path write() {
        try {
            BufferedImage photo = ImageIO.read(PHOTO.toFile());
            BufferedImage frame = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = frame.createGraphics();
            g.setColor(Color.GRAY);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(photo, OFFSET_X, 0, HEIGHT, HEIGHT, null);
            g.dispose();
            Path dir = Files.createTempDirectory("atrium-face-camera-");
            Path file = dir.resolve("astronaut-640x480.y4m");
            dir.toFile().deleteOnExit();
            file.toFile().deleteOnExit(); // deleted before its directory (reverse order)
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                writeY4m(out, frame);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the face camera's video", e);
        }
    }

    /** The frame as {@link #FRAMES} identical y4m frames: full-range BT.601 Y'CbCr (C420jpeg), chroma averaged over 2x2. */
    static void writeY4m(OutputStream out, BufferedImage frame) throws IOException {
        int w = frame.getWidth();
        int h = frame.getHeight();
        byte[] y = new byte[w * h];
        byte[] cb = new byte[(w / 2) * (h / 2)];
        byte[] cr = new byte[cb.length];
        double[] cbSum = new double[cb.length];
        double[] crSum = new double[cb.length];
        for (int row = 0; row < h; row++) {
            for (int col = 0; col < w; col++) {
                int rgb = frame.getRGB(col, row);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                y[row * w + col] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
                int c = (row / 2) * (w / 2) + col / 2;
                cbSum[c] += 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
                crSum[c] += 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
            }
        }
        for (int c = 0; c < cb.length; c++) {
            cb[c] = clamp(cbSum[c] / 4);
            cr[c] = clamp(crSum[c] / 4);
        }
        out.write(("YUV4MPEG2 W" + w + " H" + h + " F" + FPS + ":1 Ip A1:1 C420jpeg\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (int f = 0; f < FRAMES; f++) {
            out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
            out.write(y);
            out.write(cb);
            out.write(cr);
        }
    }

    private static byte clamp(double value) {
        return (byte) Math.max(0, Math.min(255, (int) Math.round(value)));
    }
}
