package io.fashionspark.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * Draws the test images in a grid, each with its true label and the model's answer (green when right, red when
 * wrong), like the reference's grid of 20. Plain Java2D: this is pixels and text, not a chart.
 */
public final class SampleGridRenderer {
    static {
        Headless.ensure();
    }

    public static final int COLUMNS = 5;
    private static final int SCALE = 4;
    private static final int TILE_WIDTH = 176;
    private static final int LABEL_HEIGHT = 40;
    private static final int PAD = 10;
    static final Color RIGHT = new Color(0x1B7F3B);
    static final Color WRONG = new Color(0xC62828);

    private SampleGridRenderer() {
    }

    /** The grid as PNG; a grid with no samples is the caller's to avoid (it shows the reason instead). */
    public static byte[] render(SampleGrid grid) {
        if (!grid.available() || grid.samples().isEmpty()) {
            throw new IllegalArgumentException("no test images to draw");
        }
        int n = grid.samples().size();
        int imageSide = grid.samples().get(0).rows() * SCALE;
        int tileHeight = imageSide + LABEL_HEIGHT + PAD;
        int rows = (n + COLUMNS - 1) / COLUMNS;
        BufferedImage img = new BufferedImage(COLUMNS * TILE_WIDTH + PAD, rows * tileHeight + PAD,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            // Nearest neighbour: each pixel of the 28x28 image stays a crisp square, as in the data.
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
            Font bold = font.deriveFont(Font.BOLD);
            for (int i = 0; i < n; i++) {
                SamplePrediction s = grid.samples().get(i);
                int x = PAD + (i % COLUMNS) * TILE_WIDTH;
                int y = PAD + (i / COLUMNS) * tileHeight;
                int imageX = x + (TILE_WIDTH - PAD - imageSide) / 2;
                g.drawImage(grey(s), imageX, y, imageSide, imageSide, null);
                g.setColor(s.correct() ? RIGHT : WRONG);
                g.drawRect(imageX - 1, y - 1, imageSide + 1, imageSide + 1);
                g.setFont(font);
                g.setColor(new Color(0x444444));
                centred(g, "true: " + grid.className(s.trueLabel()), x, TILE_WIDTH - PAD, y + imageSide + 16);
                g.setFont(bold);
                g.setColor(s.correct() ? RIGHT : WRONG);
                String answer = String.format(Locale.ROOT, "pred: %s (%.0f%%)", grid.className(s.predictedLabel()),
                        100 * s.confidence());
                centred(g, answer, x, TILE_WIDTH - PAD, y + imageSide + 32);
            }
        } finally {
            g.dispose();
        }
        return ChartRenderer.png(img);
    }

    private static BufferedImage grey(SamplePrediction s) {
        BufferedImage img = new BufferedImage(s.cols(), s.rows(), BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, s.cols(), s.rows(), s.pixels());
        return img;
    }

    private static void centred(Graphics2D g, String text, int x, int width, int baseline) {
        FontMetrics m = g.getFontMetrics();
        g.drawString(text, x + Math.max(0, (width - m.stringWidth(text)) / 2), baseline);
    }
}
