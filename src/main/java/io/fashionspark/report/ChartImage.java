package io.fashionspark.report;

/**
 * One finished chart: its PNG and how the page shows it.
 *
 * @param fileName where the PNG goes under the page's charts folder ({@code loss.png})
 * @param title    the heading it appears under
 * @param altText  what the chart shows, for readers that cannot see it
 * @param png      the encoded image
 */
public record ChartImage(String fileName, String title, String altText, byte[] png) {
}
