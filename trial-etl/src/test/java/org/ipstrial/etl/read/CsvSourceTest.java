package org.ipstrial.etl.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSourceTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private Path file(String name, String content) throws IOException {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static CsvSource source(Path p) {
        return new CsvSource(p, "payroll file", Set.of("nino", "payment_date"), Set.of("hours_band")::contains);
    }

    @Test
    void byteOrderMarkCrlfQuotingAndHeaderCase() throws IOException {
        Path p = file("a.csv", "\uFEFFNINO,Payment_Date,Hours_Band,Extra\r\n\"AB 12,\"\"x\"\"\",2019-01-01,A,1\r\n"
                + "\"multi\r\nline\",01/02/2019,,2\r\n");
        List<String> ninos = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        CsvSource.Columns columns = source(p).read(Progress.silent(), c -> {}, row -> {
            ninos.add(row.get("nino"));
            lines.add(row.line());
            assertThat(row.hasHeaderFieldCount()).isTrue();
        });
        assertThat(ninos).containsExactly("AB 12,\"x\"", "multi\r\nline");
        assertThat(lines).containsExactly(2L, 3L);
        assertThat(columns.unknown()).containsExactly("extra");
        assertThat(columns.header().has("nino")).isTrue();
    }

    @Test
    void lfLineEndsAndRowsWithTheWrongFieldCount() throws IOException {
        Path p = file("b.csv", "nino,payment_date\nA,2019-01-01\nB\nC,2019-01-01,extra\n");
        List<Boolean> fits = new ArrayList<>();
        source(p).read(Progress.silent(), c -> {}, row -> fits.add(row.hasHeaderFieldCount()));
        assertThat(fits).containsExactly(true, false, false);
    }

    @Test
    void missingRequiredColumnNamesTheFileAndColumn() throws IOException {
        Path p = file("c.csv", "nino,paid\nA,2019-01-01\n");
        assertThatThrownBy(() -> source(p).read(Progress.silent(), c -> {}, row -> {}))
                .isInstanceOf(InputFileException.class)
                .hasMessageContaining("payroll file").hasMessageContaining("c.csv").hasMessageContaining("'payment_date'");
    }

    @Test
    void emptyFileBinaryFileAndBadUtf8AreClearErrors() throws IOException {
        assertThatThrownBy(() -> source(file("empty.csv", "")).inspect()).isInstanceOf(InputFileException.class)
                .hasMessageContaining("empty.csv").hasMessageContaining("empty");
        byte[] zip = {0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 1, 2};
        assertThatThrownBy(() -> source(file("data.zip", zip)).inspect()).isInstanceOf(InputFileException.class)
                .hasMessageContaining("not a CSV text file");
        byte[] latin1 = "nino,payment_date\n\u00e9,2019-01-01\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> source(file("latin.csv", latin1)).read(Progress.silent(), c -> {}, r -> {}))
                .isInstanceOf(InputFileException.class).hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> source(dir.resolve("nowhere.csv")).inspect()).isInstanceOf(InputFileException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void brokenQuotingStopsWithTheLineAndWithoutQuotingData() throws IOException {
        Path p = file("q.csv", "nino,payment_date\nAB123456C,2019-01-01\n\"SECRET\"x,2019-01-01\n");
        assertThatThrownBy(() -> source(p).read(Progress.silent(), c -> {}, r -> {}))
                .isInstanceOf(InputFileException.class).hasMessageContaining("not valid CSV after line 2")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void aColumnTwiceIsAnError() throws IOException {
        Path p = file("d.csv", "nino,NINO,payment_date\n");
        assertThatThrownBy(() -> source(p).inspect()).isInstanceOf(InputFileException.class).hasMessageContaining("'nino' appears more than once");
    }

    @Test
    void headerOnlyFileHasNoRows() throws IOException {
        List<CsvRow> rows = new ArrayList<>();
        source(file("h.csv", "nino,payment_date\r\n")).read(Progress.silent(), c -> {}, rows::add);
        assertThat(rows).isEmpty();
    }
}
