package org.ipstrial.etl.build;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ipstrial.etl.read.CsvSource;
import org.ipstrial.etl.read.InputFileException;
import org.ipstrial.etl.read.Progress;

/**
 * Scoring tables the analyst supplies as data (never typed in from memory): an EQ-5D-5L value set
 * ({@code profile,value}, e.g. {@code 11111,1.000}) and the SWEMWBS Rasch conversion
 * ({@code raw,metric}). A row that does not read stops the run: a wrong table is a wrong result.
 */
public record ValueTables(Optional<Map<String, BigDecimal>> eq5dValueSet, Optional<Map<Integer, BigDecimal>> swemwbsConversion) {

    public static ValueTables none() {
        return new ValueTables(Optional.empty(), Optional.empty());
    }

    public static ValueTables load(Optional<Path> eq5d, Optional<Path> swemwbs) {
        return new ValueTables(eq5d.map(ValueTables::eq5d), swemwbs.map(ValueTables::swemwbs));
    }

    private static Map<String, BigDecimal> eq5d(Path file) {
        Map<String, BigDecimal> table = new HashMap<>();
        new CsvSource(file, "EQ-5D value set", Set.of("profile", "value"), c -> false).read(Progress.silent(), c -> {}, row -> {
            String profile = row.get("profile");
            if (!profile.matches("[1-5]{5}")) {
                throw new InputFileException("EQ-5D value set " + file + " line " + row.line() + ": column 'profile' must be five digits 1-5");
            }
            if (table.put(profile, number(file, "EQ-5D value set", row.line(), "value", row.get("value"))) != null) {
                throw new InputFileException("EQ-5D value set " + file + " line " + row.line() + ": profile listed twice");
            }
        });
        return Map.copyOf(table);
    }

    private static Map<Integer, BigDecimal> swemwbs(Path file) {
        Map<Integer, BigDecimal> table = new HashMap<>();
        new CsvSource(file, "SWEMWBS conversion table", Set.of("raw", "metric"), c -> false).read(Progress.silent(), c -> {}, row -> {
            int raw;
            try {
                raw = Integer.parseInt(row.get("raw"));
            } catch (NumberFormatException e) {
                raw = -1;
            }
            if (raw < 7 || raw > 35) {
                throw new InputFileException("SWEMWBS conversion table " + file + " line " + row.line() + ": column 'raw' must be 7..35");
            }
            if (table.put(raw, number(file, "SWEMWBS conversion table", row.line(), "metric", row.get("metric"))) != null) {
                throw new InputFileException("SWEMWBS conversion table " + file + " line " + row.line() + ": raw score listed twice");
            }
        });
        return Map.copyOf(table);
    }

    private static BigDecimal number(Path file, String what, long line, String column, String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new InputFileException(what + " " + file + " line " + line + ": column '" + column + "' is not a number");
        }
    }
}
