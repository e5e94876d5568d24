package io.fashionspark.pictures;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.util.Arrays;

/**
 * Turns a picture of one piece of clothing (any size, grey or colour) into a 28x28 image that looks like
 * FashionMNIST's, following Zalando's published conversion: grey levels, the garment trimmed and its longer side
 * resized to 28 pixels, centred on a 28x28 canvas, white on black.
 *
 * <ol>
 *   <li>Luminance (Rec. 601: 0.299 R + 0.587 G + 0.114 B) in [0, 1]; transparent pixels are laid over white.</li>
 *   <li>If the picture's border is light on average (mean above {@value #LIGHT_BACKGROUND}), a dark garment on a
 *       light background as photographs usually are, the grey levels are inverted.</li>
 *   <li>The background level (the median of the border pixels) becomes black and the rest is stretched to keep
 *       white at 1.</li>
 *   <li>The garment's bounding box (pixels above {@value #OBJECT_THRESHOLD}) is cut out and resized by area
 *       averaging so that its longer side is 28 pixels, keeping the aspect ratio, and centred; the rest is
 *       background (black).</li>
 *   <li>Rounded to 8-bit grey levels, as the idx files store them (the network sees them divided by 255).</li>
 * </ol>
 */
public final class ImageConverter {
    public static final int SIZE = 28;
    /** Border mean above which the picture is taken to be dark-on-light and inverted. */
    static final double LIGHT_BACKGROUND = 0.5;
    /** Grey level (after inversion and background removal) above which a pixel belongs to the garment. */
    static final double OBJECT_THRESHOLD = 0.1;

    private ImageConverter() {
    }

    /** The 28x28 FashionMNIST-style grey levels (row-major, 0 black background .. 255 white) of a decoded picture. */
    public static byte[] toFashionMnist(BufferedImage image) {
        return convert(luminance(image), image.getWidth(), image.getHeight());
    }

    /**
     * The 28x28 FashionMNIST-style grey levels of a {@code w x h} picture given as luminance in [0, 1], row-major
     * (for pictures that arrive decoded, such as rows of Spark's image data source).
     */
    public static byte[] fromLuminance(double[] lum, int w, int h) {
        return convert(lum, w, h);
    }

    /**
     * Luminance in [0, 1], row-major. Grey images are read from their samples: {@link BufferedImage#getRGB} would
     * pass them through a colour conversion that brightens mid-greys.
     */
    static double[] luminance(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double[] lum = new double[w * h];
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && raster.getNumBands() <= 2) {
            double greyMax = (1L << cm.getComponentSize(0)) - 1;
            boolean alpha = cm.hasAlpha() && raster.getNumBands() == 2;
            double alphaMax = alpha ? (1L << cm.getComponentSize(1)) - 1 : 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double grey = raster.getSample(x, y, 0) / greyMax;
                    double a = alpha ? raster.getSample(x, y, 1) / alphaMax : 1;
                    lum[y * w + x] = overWhite(grey, a);
                }
            }
            return lum;
        }
        if (isPlainSrgb(cm, raster) && raster.getDataBuffer() instanceof DataBufferByte buffer
                && buffer.getNumBanks() == 1 && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm) {
            // Interleaved 8-bit sRGB, as ImageIO decodes PNG and JPEG photos: getRGB's values, read straight from
            // the bytes (getRGB's per-pixel colour-model calls took most of a conversion's time).
            int[] band = sm.getBandOffsets();
            boolean alpha = raster.getNumBands() == 4;
            int pixelStride = sm.getPixelStride();
            int scanline = sm.getScanlineStride();
            byte[] data = buffer.getData();
            int base = buffer.getOffset() - raster.getSampleModelTranslateX() * pixelStride
                    - raster.getSampleModelTranslateY() * scanline;
            for (int y = 0; y < h; y++) {
                int o = base + y * scanline;
                for (int x = 0; x < w; x++, o += pixelStride) {
                    double grey = (0.299 * (data[o + band[0]] & 0xFF) + 0.587 * (data[o + band[1]] & 0xFF)
                            + 0.114 * (data[o + band[2]] & 0xFF)) / 255.0;
                    lum[y * w + x] = overWhite(grey, alpha ? (data[o + band[3]] & 0xFF) / 255.0 : 1);
                }
            }
            return lum;
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            double a = ((p >>> 24) & 0xFF) / 255.0;
            double grey = (0.299 * ((p >> 16) & 0xFF) + 0.587 * ((p >> 8) & 0xFF) + 0.114 * (p & 0xFF)) / 255.0;
            lum[i] = overWhite(grey, a);
        }
        return lum;
    }

    /** 8-bit sRGB samples (R, G, B and perhaps straight alpha), whose values getRGB would return unchanged. */
    private static boolean isPlainSrgb(ColorModel cm, Raster raster) {
        if (!(cm instanceof ComponentColorModel || cm instanceof DirectColorModel) || !cm.getColorSpace().isCS_sRGB()
                || cm.isAlphaPremultiplied()) {
            return false;
        }
        int bands = raster.getNumBands();
        if (bands != cm.getNumComponents() || !(bands == 3 || bands == 4 && cm.hasAlpha())) {
            return false;
        }
        for (int b = 0; b < bands; b++) {
            if (cm.getComponentSize(b) != 8) {
                return false;
            }
        }
        return true;
    }

    private static double overWhite(double grey, double alpha) {
        return grey * alpha + (1 - alpha);
    }

    /** Steps 2 to 5 on luminance values in [0, 1] of a {@code w x h} picture. */
    static byte[] convert(double[] lum, int w, int h) {
        if (w <= 0 || h <= 0 || lum.length != w * h) {
            throw new IllegalArgumentException(lum.length + " values for a " + w + "x" + h + " picture");
        }
        double[] border = border(lum, w, h);
        double[] v = lum.clone();
        if (mean(border) > LIGHT_BACKGROUND) {
            for (int i = 0; i < v.length; i++) {
                v[i] = 1 - v[i];
            }
            for (int i = 0; i < border.length; i++) {
                border[i] = 1 - border[i];
            }
        }
        double background = median(border);
        double range = 1 - background;
        for (int i = 0; i < v.length; i++) {
            v[i] = range <= 1e-9 ? 0 : Math.min(1, Math.max(0, (v[i] - background) / range));
        }
        int left = w;
        int right = -1;
        int top = h;
        int bottom = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (v[y * w + x] > OBJECT_THRESHOLD) {
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        byte[] out = new byte[SIZE * SIZE];
        if (right < 0) {
            return out; // nothing but background: a black image
        }
        int cw = right - left + 1;
        int ch = bottom - top + 1;
        double[] crop = new double[cw * ch];
        for (int y = 0; y < ch; y++) {
            System.arraycopy(v, (top + y) * w + left, crop, y * cw, cw);
        }
        double scale = (double) SIZE / Math.max(cw, ch);
        int tw = Math.max(1, Math.min(SIZE, (int) Math.round(cw * scale)));
        int th = Math.max(1, Math.min(SIZE, (int) Math.round(ch * scale)));
        double[] small = resize(crop, cw, ch, tw, th);
        int x0 = (SIZE - tw) / 2;
        int y0 = (SIZE - th) / 2;
        for (int y = 0; y < th; y++) {
            for (int x = 0; x < tw; x++) {
                out[(y0 + y) * SIZE + x0 + x] = (byte) Math.round(255 * Math.min(1, Math.max(0, small[y * tw + x])));
            }
        }
        return out;
    }

    /** The outermost ring of pixels. */
    private static double[] border(double[] v, int w, int h) {
        if (w <= 2 || h <= 2) {
            return v.clone();
        }
        double[] ring = new double[2 * w + 2 * (h - 2)];
        int k = 0;
        for (int x = 0; x < w; x++) {
            ring[k++] = v[x];
            ring[k++] = v[(h - 1) * w + x];
        }
        for (int y = 1; y < h - 1; y++) {
            ring[k++] = v[y * w];
            ring[k++] = v[y * w + w - 1];
        }
        return ring;
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x;
        }
        return s / a.length;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    /** Area-averaging resize (each target pixel is the mean of the source area it covers), rows then columns. */
    static double[] resize(double[] src, int w, int h, int tw, int th) {
        Span[] sx = spans(w, tw);
        double[] rows = new double[tw * h];
        for (int y = 0; y < h; y++) {
            for (int tx = 0; tx < tw; tx++) {
                Span span = sx[tx];
                double s = 0;
                for (int i = 0; i < span.weights.length; i++) {
                    s += span.weights[i] * src[y * w + span.first + i];
                }
                rows[y * tw + tx] = s;
            }
        }
        Span[] sy = spans(h, th);
        double[] out = new double[tw * th];
        for (int ty = 0; ty < th; ty++) {
            Span span = sy[ty];
            for (int i = 0; i < span.weights.length; i++) {
                int y = span.first + i;
                for (int tx = 0; tx < tw; tx++) {
                    out[ty * tw + tx] += span.weights[i] * rows[y * tw + tx];
                }
            }
        }
        return out;
    }

    /** The source cells a target cell covers, from {@code first} on, with their shares of it (summing to 1). */
    private record Span(int first, double[] weights) {
    }

    private static Span[] spans(int n, int tn) {
        Span[] spans = new Span[tn];
        double step = (double) n / tn;
        for (int t = 0; t < tn; t++) {
            double from = t * step;
            double to = Math.min(n, (t + 1) * step);
            int first = (int) Math.floor(from);
            int last = Math.min(n - 1, (int) Math.ceil(to) - 1);
            double[] weights = new double[last - first + 1];
            for (int s = first; s <= last; s++) {
                weights[s - first] = Math.max(0, Math.min(to, s + 1) - Math.max(from, s)) / step;
            }
            spans[t] = new Span(first, weights);
        }
        return spans;
    }
}
