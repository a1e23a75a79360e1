package org.ipstrial.etl.write;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.ipstrial.etl.build.Variable;

/**
 * The data dictionary (CSV and JSON) and the scripts that apply its labels and value codes in
 * Stata ({@code labels.do}) and R ({@code labels.R}).
 */
public final class DataDictionary {
    public static final String CSV = "dictionary.csv";
    public static final String JSON = "dictionary.json";
    public static final String STATA = "labels.do";
    public static final String R = "labels.R";

    private DataDictionary() {}

    public static void write(Path folder, List<Variable> variables, Map<String, Object> rulesInForce) {
        List<List<String>> rows = variables.stream()
                .map(v -> List.of(v.name(), v.label(), v.type(), v.unit(), v.codes(), v.rule())).toList();
        CsvOutput.write(folder.resolve(CSV), List.of("name", "label", "type", "unit", "codes", "rule"), rows, false);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataset", "analysis.csv");
        json.put("missing_value", "empty cell");
        json.put("rules_in_force", rulesInForce);
        List<Map<String, String>> vars = new ArrayList<>();
        for (Variable v : variables) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("name", v.name());
            m.put("label", v.label());
            m.put("type", v.type());
            m.put("unit", v.unit());
            m.put("codes", v.codes());
            m.put("rule", v.rule());
            vars.add(m);
        }
        json.put("variables", vars);
        Json.write(folder.resolve(JSON), json);
        text(folder.resolve(STATA), stata(variables));
        text(folder.resolve(R), r(variables));
    }

    /** Numeric value codes such as {@code 0=no;1=yes}; string code lists (e.g. arm) have none. */
    static Map<String, String> numericCodes(String codes) {
        Map<String, String> m = new LinkedHashMap<>();
        if (codes.isEmpty()) {
            return m;
        }
        for (String part : codes.split(";")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || !part.substring(0, eq).strip().matches("-?\\d+")) {
                return new LinkedHashMap<>();
            }
            m.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
        }
        return m;
    }

    static String stata(List<Variable> variables) {
        StringBuilder sb = new StringBuilder();
        sb.append("* Labels and value codes for analysis.csv (written by trial-etl; see dictionary.csv).\n");
        sb.append("* Run from the folder holding analysis.csv:  do labels.do\n");
        List<String> stringColumns = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            if ("string".equals(variables.get(i).type())) {
                stringColumns.add(String.valueOf(i + 1));
            }
        }
        sb.append("import delimited using \"analysis.csv\", varnames(1) case(preserve) encoding(\"utf-8\") stringcols(")
                .append(String.join(" ", stringColumns)).append(") clear\n");
        Map<String, String> labelNames = new LinkedHashMap<>();
        for (Variable v : variables) {
            sb.append("label variable ").append(v.name()).append(" \"").append(stataText(v.label())).append("\"\n");
        }
        for (Variable v : variables) {
            Map<String, String> codes = numericCodes(v.codes());
            if (codes.isEmpty()) {
                continue;
            }
            String key = codes.toString();
            String name = labelNames.get(key);
            if (name == null) {
                name = "codes" + (labelNames.size() + 1);
                labelNames.put(key, name);
                sb.append("label define ").append(name);
                codes.forEach((code, label) -> sb.append(' ').append(code).append(" \"").append(stataText(label)).append('"'));
                sb.append('\n');
            }
            sb.append("label values ").append(v.name()).append(' ').append(name).append('\n');
        }
        return sb.toString();
    }

    static String r(List<Variable> variables) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Labels and value codes for analysis.csv (written by trial-etl; see dictionary.csv).\n");
        sb.append("# source(\"labels.R\") from the folder holding analysis.csv gives the data frame `analysis`.\n");
        sb.append("# Labels follow the haven/labelled convention: attributes \"label\" and \"labels\".\n");
        String classes = variables.stream()
                .map(v -> v.name() + " = \"" + ("string".equals(v.type()) ? "character" : "numeric") + "\"")
                .collect(Collectors.joining(",\n  "));
        sb.append("analysis <- read.csv(\"analysis.csv\", na.strings = \"\", encoding = \"UTF-8\",\n  colClasses = c(\n  ")
                .append(classes).append("))\n");
        for (Variable v : variables) {
            sb.append("attr(analysis$").append(v.name()).append(", \"label\") <- \"").append(rText(v.label())).append("\"\n");
            Map<String, String> codes = numericCodes(v.codes());
            if (!codes.isEmpty()) {
                sb.append("attr(analysis$").append(v.name()).append(", \"labels\") <- c(")
                        .append(codes.entrySet().stream().map(e -> "\"" + rText(e.getValue()) + "\" = " + e.getKey())
                                .collect(Collectors.joining(", ")))
                        .append(")\n");
            }
        }
        return sb.toString();
    }

    private static String stataText(String s) {
        String t = s.replace("\"", "'");
        return t.length() > 80 ? t.substring(0, 80) : t;
    }

    private static String rText(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static void text(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Deterministic, pretty JSON with LF line ends. */
    public static final class Json {
        private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        private Json() {}

        public static void write(Path file, Object value) {
            try {
                String text = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value).replace("\r\n", "\n") + "\n";
                Files.writeString(file, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }
}
