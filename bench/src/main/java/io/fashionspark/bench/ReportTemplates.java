package io.fashionspark.bench;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hand-written prose of the generated reports: markdown templates in the bench jar
 * ({@code io/fashionspark/bench/templates/}), filled in with JMustache. The code computes the numbers and the
 * tables; the sentences around them are edited as text. JMustache because it is one small jar without
 * dependencies, drops a line that holds only a section tag (so a template reads as the markdown it makes), and
 * fails on a name the context lacks instead of writing nothing.
 */
final class ReportTemplates {
    private static final Mustache.Compiler COMPILER = Mustache.compiler().escapeHTML(false);
    private static final Map<String, Template> COMPILED = new ConcurrentHashMap<>();

    private ReportTemplates() {
    }

    /** The template {@code name} filled in from {@code context} (names to values, sections to lists or booleans). */
    static String render(String name, Map<String, ?> context) {
        return COMPILED.computeIfAbsent(name, ReportTemplates::compile).execute(context);
    }

    private static Template compile(String name) {
        String path = "templates/" + name;
        try (InputStream in = ReportTemplates.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the bench jar lacks its report template " + path);
            }
            return COMPILER.compile(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the report template " + path, e);
        }
    }
}
