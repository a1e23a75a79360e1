package org.ipstrial.etl.simulation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** The small configuration of the repository, at any seed and scale, and CSV reading as the contract says. */
final class Fixtures {
    static final Path SMALL = Path.of("..", "config", "simulation-small.yml");
    static final Path REFERENCE = Path.of("..", "config", "simulation-reference.yml");

    private Fixtures() {}

    static SimulationConfig small(long seed, double scale) {
        return SimulationConfig.read(SMALL).with(seed, scale);
    }

    /** A file's records, header first, read as the contract says: optional BOM, LF or CRLF, RFC 4180. */
    static List<CSVRecord> records(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            try (CSVParser parser = CSVParser.parse(text, CSVFormat.RFC4180)) {
                return parser.getRecords();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A binomial tolerance: k standard errors of a proportion p over n. */
    static double tolerance(double p, int n, double k) {
        return k * Math.sqrt(p * (1 - p) / n);
    }
}
