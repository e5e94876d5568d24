package io.fashionspark.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Base64;
import java.util.Map;

/** The pieces both report pages are made of: the self-contained page frame, escaping, tables, embedded images. */
final class Html {
    /**
     * Nothing may be fetched: images are data URIs, style and script inline. The policy makes the browser refuse
     * (and report) anything else, so a stray external reference fails the browser test instead of going unseen.
     */
    private static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

    private static final String STYLE = """
            body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #222;
                   margin: 0; background: #f6f7f9; }
            main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 48px; }
            h1 { font-size: 26px; margin: 0 0 4px; }
            h2 { font-size: 20px; margin: 36px 0 10px; padding-top: 8px; border-top: 1px solid #dde1e6; }
            .sub { color: #555; margin: 0 0 16px; word-break: break-all; }
            nav a { margin-right: 14px; color: #2b5d9a; text-decoration: none; }
            nav { margin: 8px 0 4px; }
            .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 18px 0 4px; }
            .card { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 10px 16px;
                    min-width: 130px; }
            .card .v { font-size: 22px; font-weight: 600; }
            .card .k { color: #666; font-size: 13px; }
            figure { margin: 0; background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 8px; }
            figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
            figcaption { color: #555; font-size: 13px; margin-top: 6px; }
            table { border-collapse: collapse; background: #fff; margin: 8px 0; font-size: 14px; }
            th, td { border: 1px solid #dde1e6; padding: 4px 10px; text-align: left; vertical-align: top; }
            th { background: #eef1f4; font-weight: 600; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            table.confusion td { text-align: right; min-width: 34px; }
            .note { background: #fff8e1; border: 1px solid #f0d58c; border-radius: 6px; padding: 10px 14px; }
            .right { color: #1b7f3b; } .wrong { color: #c62828; }
            footer { color: #777; font-size: 13px; margin-top: 40px; }
            code { font-size: 13px; } h1 code { font-size: inherit; }
            """;

    /**
     * Marks the document once the page has loaded: how many images there are and how many decoded. The browser test
     * reads these attributes from the DOM; a reader never sees them.
     */
    private static final String READY_SCRIPT = """
            window.addEventListener('load', function () {
              var images = Array.prototype.slice.call(document.images);
              var loaded = images.filter(function (img) { return img.complete && img.naturalWidth > 0; });
              var root = document.documentElement;
              root.setAttribute('data-images-total', String(images.length));
              root.setAttribute('data-images-loaded', String(loaded.length));
              root.setAttribute('data-report-ready',
                  loaded.length === images.length ? 'all-images-loaded' : 'images-missing');
            });
            """;

    private Html() {
    }

    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + CONTENT_SECURITY_POLICY + "\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                // An empty icon: the browser asks for none.
                + "<link rel=\"icon\" href=\"data:,\">\n"
                + "<title>" + escape(title) + "</title>\n<style>\n" + STYLE + "</style>\n"
                + "<script>\n" + READY_SCRIPT + "</script>\n</head>\n<body>\n<main>\n" + body + "</main>\n</body>\n"
                + "</html>\n";
    }

    static String escape(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A chart embedded as a data URI under its own heading: the page carries its images. */
    static String figure(String id, ChartImage chart, String caption) {
        StringBuilder b = new StringBuilder();
        b.append("<section id=\"").append(id).append("\">\n<h2>").append(escape(chart.title())).append("</h2>\n");
        b.append("<figure><img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(chart.png()))
                .append("\" alt=\"").append(escape(chart.altText())).append("\" data-chart=\"")
                .append(escape(chart.fileName())).append("\">");
        if (caption != null && !caption.isEmpty()) {
            b.append("\n<figcaption>").append(caption).append("</figcaption>");
        }
        b.append("</figure>\n</section>\n");
        return b.toString();
    }

    /** A two-column table of names and values. */
    static String keyValueTable(Map<String, ?> rows) {
        StringBuilder b = new StringBuilder("<table>\n");
        rows.forEach((k, v) -> b.append("<tr><th>").append(escape(k)).append("</th><td>")
                .append(escape(v == null ? "" : v)).append("</td></tr>\n"));
        return b.append("</table>\n").toString();
    }

    static String card(String value, String name) {
        return "<div class=\"card\"><div class=\"v\">" + escape(value) + "</div><div class=\"k\">" + escape(name)
                + "</div></div>";
    }

    /** Four significant digits without exponent or trailing zeros: timings and rates, not configuration. */
    static String number(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                return String.valueOf(d);
            }
            return new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        }
        return value == null ? "" : String.valueOf(value);
    }

    static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(java.util.Locale.ROOT, "%.2f%%", 100 * fraction) : "n/a";
    }
}
