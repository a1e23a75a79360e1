package org.ipstrial.etl.write;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The linkage report: JSON for programs and an HTML page for people, both from the same content.
 * It holds counts only (never a row, an identifier or a value from the inputs) and names the
 * restricted outputs that do hold identifiers.
 */
public final class LinkageReport {
    public static final String JSON = "linkage-report.json";
    public static final String HTML = "linkage-report.html";

    private LinkageReport() {}

    public static void write(Path folder, Map<String, Object> report) {
        DataDictionary.Json.write(folder.resolve(JSON), report);
        try {
            Files.writeString(folder.resolve(HTML), html(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(HTML), e);
        }
    }

    static String html(Map<String, Object> report) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Linkage report</title>\n");
        sb.append("<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:.3em 0}")
                .append("td,th{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}")
                .append("th{background:#f0f0f0}.restricted{background:#fee;border:2px solid #c00;padding:.5em}</style>\n");
        sb.append("</head>\n<body>\n<h1>Linkage report</h1>\n");
        for (Map.Entry<String, Object> section : report.entrySet()) {
            String title = section.getKey().replace('_', ' ');
            boolean restricted = section.getKey().startsWith("restricted");
            sb.append(restricted ? "<section class=\"restricted\">\n" : "<section>\n");
            sb.append("<h2>").append(escape(Character.toUpperCase(title.charAt(0)) + title.substring(1))).append("</h2>\n");
            render(sb, section.getValue());
            sb.append("</section>\n");
        }
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static void render(StringBuilder sb, Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                sb.append("<p>none</p>\n");
                return;
            }
            sb.append("<table>\n");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append("<tr><th>").append(escape(String.valueOf(e.getKey()).replace('_', ' '))).append("</th><td>");
                render(sb, e.getValue());
                sb.append("</td></tr>\n");
            }
            sb.append("</table>\n");
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                sb.append("none");
                return;
            }
            sb.append("<ul>\n");
            for (Object item : list) {
                sb.append("<li>");
                render(sb, item);
                sb.append("</li>\n");
            }
            sb.append("</ul>\n");
        } else {
            sb.append(escape(value == null ? "" : String.valueOf(value)));
        }
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
