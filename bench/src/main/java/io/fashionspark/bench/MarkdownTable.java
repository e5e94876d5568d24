package io.fashionspark.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A GitHub-flavoured Markdown table: columns with a header, an alignment and, for numbers, a format; then rows.
 * Text cells are written as given but for the characters that would break the table ({@code |} and line breaks);
 * numbers go through their column's format; {@code null} is a dash (a figure with no value).
 */
public final class MarkdownTable {
    /** How a column's cells line up. */
    enum Align {
        LEFT("---"),
        RIGHT("---:"),
        CENTER(":---:");

        private final String rule;

        Align(String rule) {
            this.rule = rule;
        }
    }

    private record Column(String header, Align align, Function<Number, String> format) {
    }

    private final List<Column> columns = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();

    /** A left-aligned column of text. */
    public MarkdownTable left(String header) {
        return column(header, Align.LEFT, null);
    }

    /** A right-aligned column; numbers in it are written with {@link String#valueOf}. */
    public MarkdownTable right(String header) {
        return column(header, Align.RIGHT, null);
    }

    /** A right-aligned column of numbers written by {@code format}. */
    public MarkdownTable right(String header, Function<Number, String> format) {
        return column(header, Align.RIGHT, format);
    }

    MarkdownTable column(String header, Align align, Function<Number, String> format) {
        if (!rows.isEmpty()) {
            throw new IllegalStateException("columns come before rows");
        }
        columns.add(new Column(header, align, format));
        return this;
    }

    /** One row, a cell per column. */
    public MarkdownTable row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns.size() + " columns: "
                    + Arrays.toString(cells));
        }
        List<String> row = new ArrayList<>(cells.length);
        for (int i = 0; i < cells.length; i++) {
            row.add(cell(columns.get(i), cells[i]));
        }
        rows.add(row);
        return this;
    }

    /** A row whose first cells are given and whose other cells are empty (a run that produced no figures). */
    MarkdownTable rowThenBlank(Object... leading) {
        if (leading.length > columns.size()) {
            throw new IllegalArgumentException(leading.length + " cells for " + columns.size() + " columns");
        }
        Object[] cells = Arrays.copyOf(leading, columns.size());
        Arrays.fill(cells, leading.length, cells.length, "");
        return row(cells);
    }

    /** The header, the alignment rule and the rows, each line ending with a line feed. */
    public String render() {
        if (columns.isEmpty()) {
            throw new IllegalStateException("a table needs at least one column");
        }
        StringBuilder md = new StringBuilder();
        line(md, columns.stream().map(c -> escape(c.header())).toList());
        StringBuilder rule = new StringBuilder("|");
        for (Column c : columns) {
            rule.append(c.align().rule).append('|');
        }
        md.append(rule).append('\n');
        for (List<String> row : rows) {
            line(md, row);
        }
        return md.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    private static void line(StringBuilder md, List<String> cells) {
        md.append('|');
        for (String cell : cells) {
            md.append(cell.isEmpty() ? " " : " " + cell + " ").append('|');
        }
        md.append('\n');
    }

    private static String cell(Column column, Object value) {
        if (value == null) {
            return Formats.DASH;
        }
        if (value instanceof Number n) {
            return escape(column.format() == null ? String.valueOf(n) : column.format().apply(n));
        }
        return escape(value.toString());
    }

    /** A pipe would end the cell and a line break the row: the pipe is escaped, line breaks become spaces. */
    static String escape(String text) {
        return text.replace("|", "\\|").replaceAll("\\R", " ");
    }
}
