package org.ipstrial.etl.trace;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ipstrial.etl.config.ConfigurationException;
import org.ipstrial.etl.config.ConfigurationLoader;
import org.ipstrial.etl.config.EtlConfiguration;
import org.ipstrial.etl.identifiers.NationalInsuranceNumber;
import org.ipstrial.etl.link.FieldProblems;
import org.ipstrial.etl.link.ParticipantRows;
import org.ipstrial.etl.link.Quarantine;
import org.ipstrial.etl.link.SourceLedger;
import org.ipstrial.etl.read.CsvSource;
import org.ipstrial.etl.read.InputFileException;
import org.ipstrial.etl.read.Progress;
import org.ipstrial.etl.records.Participant;
import org.ipstrial.etl.write.CsvOutput;

/**
 * {@code trace-request --config FILE --reference REF}: the file the custodian sends to the data
 * providers. It lists the identifiers of participants who consented to administrative linkage
 * (National Insurance number, date of birth, sex, postcode) under the request reference, and
 * nothing else: no arm, site, status or date that would tell the provider more than membership.
 * Rows are sorted by their own content, so their order says nothing about recruitment.
 */
public final class TraceRequestCommand {
    public static final List<String> COLUMNS = List.of("request_reference", "nino", "date_of_birth", "sex", "postcode");

    private TraceRequestCommand() {}

    public static int run(String[] args, PrintStream out, PrintStream err, Progress progress) {
        String config = null;
        String reference = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--config" -> config = args[i + 1];
                case "--reference" -> reference = args[i + 1];
                default -> {
                    err.println("etl trace-request: unknown option " + args[i]);
                    return 2;
                }
            }
        }
        if (config == null || reference == null || args.length != 4) {
            err.println("usage: etl trace-request --config FILE --reference REF");
            return 2;
        }
        if (!reference.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            err.println("etl trace-request: --reference must be 1-64 letters, digits, '.', '_' or '-' (it names the output file)");
            return 2;
        }
        try {
            EtlConfiguration c = ConfigurationLoader.load(Path.of(config));
            Path file = write(c, reference, progress);
            out.println("trace request written to " + file + " (restricted: identifiers; custodian and data provider only)");
            return 0;
        } catch (ConfigurationException e) {
            err.println("etl trace-request: " + e.getMessage());
            return 2;
        } catch (InputFileException | UncheckedIOException e) {
            err.println("etl trace-request: " + e.getMessage());
            return 1;
        }
    }

    public static Path write(EtlConfiguration config, String reference, Progress progress) {
        Path restricted = config.outputFolder().resolve("restricted");
        Quarantine.RestrictedFiles.createFolder(restricted);
        Path quarantineFolder = restricted.resolve("trace-request-quarantine");
        CsvSource source = new CsvSource(config.participants(), "participant file", ParticipantRows.REQUIRED, c -> false);
        ParticipantRows.Result result;
        try (Quarantine q = Quarantine.open(quarantineFolder, ParticipantRows.SOURCE)) {
            result = ParticipantRows.read(source, new SourceLedger(ParticipantRows.SOURCE, q), new FieldProblems(), progress);
        }
        List<List<String>> rows = new ArrayList<>();
        for (Participant p : result.register().participants()) {
            if (!p.consentAdminLinkage()) {
                continue;
            }
            String nino = p.nino().map(NationalInsuranceNumber::normalised).orElse(NationalInsuranceNumber.normalise(p.writtenNino()));
            rows.add(List.of(reference, nino, p.dateOfBirth().map(Object::toString).orElse(""), p.sex(), p.postcode()));
        }
        rows.sort(Comparator.<List<String>, String>comparing(r -> r.get(1)).thenComparing(r -> r.get(2))
                .thenComparing(r -> r.get(3)).thenComparing(r -> r.get(4)));
        Path file = restricted.resolve("trace-request-" + reference + ".csv");
        CsvOutput.write(file, COLUMNS, rows, true);
        return file;
    }

}
