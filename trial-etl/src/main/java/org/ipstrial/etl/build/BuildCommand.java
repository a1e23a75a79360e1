package org.ipstrial.etl.build;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipstrial.etl.config.ConfigurationException;
import org.ipstrial.etl.config.ConfigurationLoader;
import org.ipstrial.etl.config.EtlConfiguration;
import org.ipstrial.etl.derive.AdministrativeOutcomes;
import org.ipstrial.etl.derive.OutcomeWindows;
import org.ipstrial.etl.link.BenefitRows;
import org.ipstrial.etl.link.DeliveryRows;
import org.ipstrial.etl.link.FieldProblems;
import org.ipstrial.etl.link.ParticipantRows;
import org.ipstrial.etl.link.PayrollRows;
import org.ipstrial.etl.link.Quarantine;
import org.ipstrial.etl.link.RowCounts;
import org.ipstrial.etl.link.SourceLedger;
import org.ipstrial.etl.link.SurveyRows;
import org.ipstrial.etl.partition.PartitionFiles;
import org.ipstrial.etl.partition.PartitionPlan;
import org.ipstrial.etl.partition.ScratchFolder;
import org.ipstrial.etl.pseudonym.PseudonymisationKey;
import org.ipstrial.etl.pseudonym.Pseudonymiser;
import org.ipstrial.etl.read.CsvSource;
import org.ipstrial.etl.read.InputFileException;
import org.ipstrial.etl.read.Progress;
import org.ipstrial.etl.records.Participant;
import org.ipstrial.etl.records.SurveyInterview;
import org.ipstrial.etl.write.CsvOutput;
import org.ipstrial.etl.write.DataDictionary;
import org.ipstrial.etl.write.LinkageReport;

/**
 * {@code build --config FILE}: the whole pipeline. Read and validate every file (headers of all
 * files first, so a missing column stops the run before anything is written), link, derive each
 * participant's outcomes, pseudonymise, write. Exit 0 only when the dataset was written.
 */
public final class BuildCommand {
    public static final int OK = 0;
    public static final int BAD_INPUT = 1;
    public static final int BAD_USAGE = 2;
    public static final int INTERNAL_ERROR = 3;
    public static final String ANALYSIS = "analysis.csv";
    public static final String RESTRICTED = "restricted";
    public static final String CROSSWALK = "crosswalk.csv";
    public static final String MANIFEST = "manifest.json";

    private BuildCommand() {}

    public static int run(String[] args, PrintStream out, PrintStream err, Progress progress) {
        Optional<Path> configFile = option(args, "--config");
        if (configFile.isEmpty() || args.length != 2) {
            err.println("usage: etl build --config FILE");
            return BAD_USAGE;
        }
        try {
            EtlConfiguration config = ConfigurationLoader.load(configFile.get());
            BuildSummary summary = build(config, progress);
            out.print(summary.text());
            return OK;
        } catch (ConfigurationException e) {
            err.println("etl build: " + e.getMessage());
            return BAD_USAGE;
        } catch (InputFileException e) {
            err.println("etl build: " + e.getMessage());
            err.println("etl build: no dataset was written.");
            return BAD_INPUT;
        } catch (UncheckedIOException e) {
            err.println("etl build: " + e.getMessage() + " (" + e.getCause().getClass().getSimpleName() + ")");
            err.println("etl build: no complete dataset was written.");
            return BAD_INPUT;
        }
    }

    static Optional<Path> option(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Optional.of(Path.of(args[i + 1]));
            }
        }
        return Optional.empty();
    }

    /**
     * Runs the pipeline; throws on input that cannot be used. The number of partitions follows from
     * the administrative files' size and the configured memory budget.
     */
    public static BuildSummary build(EtlConfiguration config, Progress progress) {
        long adminBytes = size(config.payroll().file()) + size(config.benefits().file());
        long budget = config.memoryBudgetMegabytes() * 1024L * 1024L;
        return build(config, progress, people -> PartitionPlan.partitionsFor(adminBytes, budget, people));
    }

    /** Runs the pipeline with a given number of partitions (tests: the output must not depend on it). */
    public static BuildSummary build(EtlConfiguration config, Progress progress, int partitions) {
        return build(config, progress, people -> partitions);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // the reader reports a missing or unreadable file, naming it
        }
    }

    private static BuildSummary build(EtlConfiguration config, Progress progress, java.util.function.IntUnaryOperator partitions) {
        PseudonymisationKey key;
        try {
            key = PseudonymisationKey.read(config.pseudonymisationKeyFile());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        InputFiles inputs = InputFiles.of(config);
        for (CsvSource source : inputs.all()) {
            source.inspect();
        }
        ValueTables tables = ValueTables.load(config.eq5dValueSet(), config.swemwbsConversion());
        // Inputs are hashed (for the report and the manifest) on a second thread while the main
        // thread reads them: on two cores this hides most of the hashing.
        java.util.concurrent.ExecutorService hasher = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "input-hashing");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<Path, java.util.concurrent.Future<String>> hashes = new LinkedHashMap<>();
            for (CsvSource source : inputs.all()) {
                hashes.put(source.file(), hasher.submit(() -> org.ipstrial.etl.write.Sha256.of(source.file())));
            }
            return build(config, progress, key, inputs, tables, hashes, partitions);
        } finally {
            hasher.shutdownNow();
        }
    }

    private static BuildSummary build(EtlConfiguration config, Progress progress, PseudonymisationKey key, InputFiles inputs,
            ValueTables tables, Map<Path, java.util.concurrent.Future<String>> hashes, java.util.function.IntUnaryOperator partitions) {

        Path outFolder = config.outputFolder();
        Path restricted = outFolder.resolve(RESTRICTED);
        Path quarantineFolder = restricted.resolve("quarantine");
        createFolder(outFolder);
        removeEarlierDataset(outFolder);
        Quarantine.RestrictedFiles.createFolder(restricted);
        Quarantine.RestrictedFiles.createFolder(quarantineFolder);

        FieldProblems problems = new FieldProblems();
        List<SourceReport> sources = new ArrayList<>();

        ParticipantRows.Result participants;
        try (Quarantine q = Quarantine.open(quarantineFolder, ParticipantRows.SOURCE)) {
            participants = ParticipantRows.read(inputs.participants(), new SourceLedger(ParticipantRows.SOURCE, q), problems, progress);
        }
        if (participants.register().size() == 0) {
            throw new InputFileException("participant file " + config.participants() + " has no usable participant rows");
        }
        sources.add(new SourceReport(inputs.participants(), participants.counts(), participants.columns()));

        List<DatasetLayout.WaveColumns> waveColumns = new ArrayList<>();
        List<SurveyRows.Result> waveResults = new ArrayList<>();
        Map<String, Long> duplicates = new LinkedHashMap<>();
        var catalogue = config.questionnaires().itemCatalogue();
        try (Quarantine q = Quarantine.open(quarantineFolder, "baseline")) {
            SurveyRows.Result baseline = SurveyRows.read(inputs.baseline(), new SurveyRows.Wave("baseline", Optional.empty()),
                    catalogue, participants.register(), new SourceLedger("baseline", q), problems, progress);
            waveColumns.add(new DatasetLayout.WaveColumns("m0", 0, true));
            waveResults.add(baseline);
            sources.add(new SourceReport(inputs.baseline(), baseline.counts(), baseline.columns()));
            duplicates.put("baseline", baseline.participantsWithDuplicates());
        }
        for (int i = 0; i < config.surveyWaves().size(); i++) {
            EtlConfiguration.SurveyWave wave = config.surveyWaves().get(i);
            String source = "survey_" + wave.prefix();
            try (Quarantine q = Quarantine.open(quarantineFolder, source)) {
                SurveyRows.Result result = SurveyRows.read(inputs.waves().get(i), new SurveyRows.Wave(source, Optional.of(wave.code())),
                        catalogue, participants.register(), new SourceLedger(source, q), problems, progress);
                waveColumns.add(new DatasetLayout.WaveColumns(wave.prefix(), wave.months(), false));
                waveResults.add(result);
                sources.add(new SourceReport(inputs.waves().get(i), result.counts(), result.columns()));
                duplicates.put(source, result.participantsWithDuplicates());
            }
        }
        // The service's delivery file is small (a row per treatment recruit): held in memory by participant.
        DeliveryRows.Result delivery = null;
        if (inputs.delivery().isPresent()) {
            try (Quarantine q = Quarantine.open(quarantineFolder, DeliveryRows.SOURCE)) {
                delivery = DeliveryRows.read(inputs.delivery().get(), participants.register(), new SourceLedger(DeliveryRows.SOURCE, q),
                        progress);
            }
            sources.add(new SourceReport(inputs.delivery().get(), delivery.counts(), delivery.columns()));
        }
        // Pseudonymise first: participants are derived and written one at a time in pid order
        // (deterministic, unrelated to recruitment order), and the partitions follow that order.
        Pseudonymiser pseudonymiser = new Pseudonymiser(key);
        int people = participants.register().size();
        String[] pids = new String[people];
        Integer[] sorted = new Integer[people];
        for (int i = 0; i < people; i++) {
            pids[i] = pseudonymiser.pid(participants.register().get(i).id());
            sorted[i] = i;
        }
        java.util.Arrays.sort(sorted, Comparator.comparing(i -> pids[i]));
        int[] order = new int[people];
        for (int k = 0; k < people; k++) {
            order[k] = sorted[k];
            if (k > 0 && pids[order[k]].equals(pids[order[k - 1]])) {
                throw new IllegalStateException("two participants share a pseudonym (a bug)");
            }
        }
        PartitionPlan plan = PartitionPlan.of(partitions.applyAsInt(people), order);

        List<Variable> layout = DatasetLayout.variables(config.questionnaires(), waveColumns, tables, config.outOfWorkBenefits(),
                delivery != null);
        final DeliveryRows.Result deliveryRows = delivery;
        List<ParticipantResult> results = new ArrayList<>(people);
        Map<String, Integer> position = new java.util.HashMap<>();
        for (int c = 0; c < layout.size(); c++) {
            position.put(layout.get(c).name(), c);
        }
        // The administrative files in two passes, so memory does not grow with them: the first reads,
        // checks and links every row (in file order: the ledger and quarantine are as before) and
        // writes each linked row to its participant's partition file; the second reads one
        // partition at a time and derives its participants, in pid order, straight into the dataset.
        try (ScratchFolder scratch = ScratchFolder.create(config.scratchFolder());
                PartitionFiles payrollParts = PartitionFiles.create(scratch, PayrollRows.SOURCE, plan)) {
            PayrollRows.Result payroll;
            try (Quarantine q = Quarantine.open(quarantineFolder, PayrollRows.SOURCE)) {
                payroll = PayrollRows.read(inputs.payroll(), participants.register(), new SourceLedger(PayrollRows.SOURCE, q), progress,
                        payrollParts);
            }
            payrollParts.finishWriting();
            sources.add(new SourceReport(inputs.payroll(), payroll.counts(), payroll.columns()));
            // The benefit partition files are opened once the payroll ones are closed: at most P
            // files open for writing at a time.
            try (PartitionFiles benefitParts = PartitionFiles.create(scratch, BenefitRows.SOURCE, plan)) {
                BenefitRows.Result benefits;
                try (Quarantine q = Quarantine.open(quarantineFolder, BenefitRows.SOURCE)) {
                    benefits = BenefitRows.read(inputs.benefits(), participants.register(), new SourceLedger(BenefitRows.SOURCE, q), progress,
                            benefitParts);
                }
                benefitParts.finishWriting();
                sources.add(new SourceReport(inputs.benefits(), benefits.counts(), benefits.columns()));
                for (SourceReport s : sources) {
                    if (!s.counts().balances()) {
                        throw new IllegalStateException("row accounting does not balance for " + s.counts().source() + " (a bug)");
                    }
                }

                try (Progress.Step step = progress.start(plan.partitions() == 1 ? "deriving outcomes"
                        : "deriving outcomes (" + plan.partitions() + " partitions)", people);
                        CsvOutput.RowWriter analysis = CsvOutput.open(outFolder.resolve(ANALYSIS), layout.stream().map(Variable::name).toList(),
                                false)) {
                    for (int part = 0; part < plan.partitions(); part++) {
                        PayrollRows.LinkedPayroll payrollRows = payrollParts.readAndDelete(part,
                                (in, rows) -> PayrollRows.LinkedPayroll.read(in, rows, people));
                        BenefitRows.LinkedBenefits benefitRows = benefitParts.readAndDelete(part,
                                (in, rows) -> BenefitRows.LinkedBenefits.read(in, rows, people));
                        Derivation derivation = new Derivation(participants.register(), payrollRows, benefitRows, waveColumns,
                                waveResults, deliveryRows, pids, layout.size(), position, config, tables);
                        // Participants are derived in parallel chunks (each a pure function of one person's
                        // rows) and written in pid order, so the output depends neither on the number of
                        // threads nor on the number of partitions.
                        final int chunk = 4096;
                        int last = plan.firstRank()[part + 1];
                        for (int from = plan.firstRank()[part]; from < last; from += chunk) {
                            DerivedRow[] rows = java.util.stream.IntStream.range(from, Math.min(last, from + chunk)).parallel()
                                    .mapToObj(k -> derivation.of(order[k])).toArray(DerivedRow[]::new);
                            for (DerivedRow row : rows) {
                                analysis.row(java.util.Arrays.asList(row.cells()));
                                results.add(row.result());
                            }
                            step.stepTo(Math.min(last, from + chunk), Math.min(last, from + chunk));
                        }
                    }
                }
            }
        }
        DataDictionary.write(outFolder, layout, RulesInForce.of(config));
        if (config.writeCrosswalk()) {
            CsvOutput.write(restricted.resolve(CROSSWALK), List.of("pid", "participant_id"),
                    results.stream().map(r -> List.of(r.pid(), r.participant().id().digits())).toList(), true);
        }
        Map<Path, String> inputHashes = new LinkedHashMap<>();
        for (Map.Entry<Path, java.util.concurrent.Future<String>> hash : hashes.entrySet()) {
            inputHashes.put(hash.getKey(), finished(hash.getValue()));
        }
        Map<String, Object> report = ReportContent.of(config, key, sources, inputHashes, results, waveColumns, duplicates, problems,
                participants.register().participantsSharingANino(), quarantineFolder, outFolder, delivery);
        LinkageReport.write(outFolder, report);
        List<Path> written = new ArrayList<>(List.of(outFolder.resolve(ANALYSIS), outFolder.resolve(DataDictionary.CSV),
                outFolder.resolve(DataDictionary.JSON), outFolder.resolve(DataDictionary.STATA), outFolder.resolve(DataDictionary.R),
                outFolder.resolve(LinkageReport.JSON), outFolder.resolve(LinkageReport.HTML)));
        sources.forEach(s -> written.add(quarantineFolder.resolve(s.counts().source() + ".csv")));
        if (config.writeCrosswalk()) {
            written.add(restricted.resolve(CROSSWALK));
        }
        Manifest.write(config, key, inputs, inputHashes, outFolder, written);
        return new BuildSummary(sources.stream().map(SourceReport::counts).toList(), results.size(), outFolder);
    }

    private static String finished(java.util.concurrent.Future<String> hash) {
        try {
            return hash.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing the inputs", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io;
            }
            throw new IllegalStateException("hashing an input failed", e.getCause());
        }
    }

    /**
     * The analyst-facing files of an earlier run are removed before this run reads any row, so a run
     * that fails part-way never leaves an old dataset beside new quarantine files, looking current.
     */
    private static void removeEarlierDataset(Path outFolder) {
        for (String name : List.of(ANALYSIS, DataDictionary.CSV, DataDictionary.JSON, DataDictionary.STATA, DataDictionary.R,
                LinkageReport.JSON, LinkageReport.HTML, MANIFEST)) {
            try {
                Files.deleteIfExists(outFolder.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the earlier " + outFolder.resolve(name), e);
            }
        }
    }

    private static void createFolder(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create output folder " + folder, e);
        }
    }

    /** One participant's row of analysis.csv and what the report needs to know about them. */
    record DerivedRow(String[] cells, ParticipantResult result) {}

    /** Everything one participant's row is derived from; read-only, so rows can be derived in parallel. */
    record Derivation(org.ipstrial.etl.link.ParticipantRegister register, PayrollRows.LinkedPayroll payroll,
            BenefitRows.LinkedBenefits benefits, List<DatasetLayout.WaveColumns> waveColumns, List<SurveyRows.Result> waveResults,
            DeliveryRows.Result delivery, String[] pids, int columns, Map<String, Integer> position, EtlConfiguration config, ValueTables tables) {

        DerivedRow of(int index) {
            Participant p = register.get(index);
            AdministrativeOutcomes admin = AdministrativeOutcomes.missingReason(p.consentAdminLinkage(), p.nino().isPresent())
                    .<AdministrativeOutcomes>map(AdministrativeOutcomes.Missing::new)
                    .orElseGet(() -> AdministrativeOutcomes.derive(p.randomisationDate(), payroll.paymentsOf(index),
                            config.payroll().extractDate(), benefits.spellsOf(index), config.benefits().extractDate(),
                            config.outOfWorkBenefits()));
            Map<DatasetLayout.WaveColumns, Optional<SurveyInterview>> interviews = new LinkedHashMap<>();
            for (int w = 0; w < waveColumns.size(); w++) {
                interviews.put(waveColumns.get(w), waveResults.get(w).interviewOf(index));
            }
            boolean payrollCensored = OutcomeWindows.outcomeYear(p.randomisationDate()).isCensoredBy(config.payroll().extractDate());
            boolean benefitsCensored = OutcomeWindows.outcomeYear(p.randomisationDate()).isCensoredBy(config.benefits().extractDate());
            String[] row = new String[columns];
            java.util.Arrays.fill(row, "");
            AnalysisRow.fill((name, value) -> {
                Integer c = position.get(name);
                if (c == null) {
                    throw new IllegalStateException("a value without a column in the layout (a bug): " + name);
                }
                row[c] = value;
            }, p, pids[index], admin, payrollCensored, benefitsCensored, interviews, config.questionnaires(), tables,
                    config.outOfWorkBenefits());
            if (delivery != null) {
                AnalysisRow.fillDelivery((name, value) -> row[position.get(name)] = value, p, delivery.deliveryOf(index),
                        delivery.missingReason(index));
            }
            return new DerivedRow(row, new ParticipantResult(p, pids[index],
                    admin instanceof AdministrativeOutcomes.Missing m ? m.reason() : null,
                    payroll.rowsOf(index) > 0, benefits.rowsOf(index) > 0,
                    interviews.values().stream().map(Optional::isPresent).toList()));
        }
    }

    /** One input file's place in the report. */
    record SourceReport(CsvSource source, RowCounts counts, CsvSource.Columns columns) {}

    /** What the report needs to know about one participant after derivation (no identifier leaves it). */
    record ParticipantResult(Participant participant, String pid, AdministrativeOutcomes.MissingReason missingReason,
            boolean payrollLinked, boolean benefitsLinked, List<Boolean> responded) {

        boolean linkable() {
            return missingReason == null;
        }
    }
}
