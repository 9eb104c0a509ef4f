package org.atrium.sfu.allocation;

/**
 * The largest size at which a receiver displays a video, in CSS-free device pixels. The
 * video is assumed shown "contain" (scaled to fit inside the box, as a video element does by
 * default), so an encoding covers the box when it is at least as wide <em>or</em> at least
 * as high as the box. Both 0: the receiver does not render it at all.
 */
public record RenderHint(int maxWidth, int maxHeight) {

    public static final RenderHint NOT_VISIBLE = new RenderHint(0, 0);
    /** No size limit: the largest encoding is wanted. */
    public static final RenderHint UNLIMITED = new RenderHint(Integer.MAX_VALUE, Integer.MAX_VALUE);

    public RenderHint {
        boolean bothZero = maxWidth == 0 && maxHeight == 0;
        if (!bothZero && (maxWidth <= 0 || maxHeight <= 0)) {
            throw new IllegalArgumentException("render hint " + maxWidth + "x" + maxHeight
                    + ": both sizes positive, or both 0 when not rendered");
        }
    }

    public boolean visible() {
        return maxWidth > 0;
    }

    /** Whether a frame of this size is at least as large as the box in one dimension. */
    public boolean coveredBy(int width, int height) {
        return width >= maxWidth || height >= maxHeight;
    }
}
