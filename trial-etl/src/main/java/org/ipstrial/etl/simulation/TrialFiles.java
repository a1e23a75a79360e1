package org.ipstrial.etl.simulation;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ipstrial.config.DesignFile;
import org.ipstrial.randomiser.Allocation;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisedAllocation;

/**
 * Writes a simulated trial to a directory: the ETL's input files, the {@code etl-inputs.json}
 * manifest that lists them, and the truth under {@code truth/}. No wall-clock time appears in
 * any file, so the same trial gives the same bytes.
 */
final class TrialFiles {
    static final String MANIFEST = "etl-inputs.json";
    static final String PARTICIPANTS = "participants.csv";
    static final String BASELINE = "baseline.csv";
    static final String PAYROLL = "payroll.csv";
    static final String BENEFITS = "benefits.csv";
    static final String DELIVERY = "delivery.csv";
    static final String EFFECTS = "truth/effects.csv";
    static final String LATENT = "truth/latent-outcomes.csv";
    static final String ALLOCATIONS = "truth/allocations.csv";
    static final String FLOW = "truth/flow.csv";

    /** What was written, for the command's summary. */
    record Summary(int participants, int payrollRows, int benefitRows, Map<String, Integer> surveyRows, int strangers) {}

    private TrialFiles() {}

    static String surveyFile(SimulationConfig.SurveyWave wave) {
        return "survey-" + wave.wave() + ".csv";
    }

    static Summary write(SimulatedTrial trial, Path directory) {
        try {
            Files.createDirectories(directory.resolve("truth"));
            SimulationConfig config = trial.config();
            int participants = ServiceExportWriter.writeParticipants(trial, directory.resolve(PARTICIPANTS));
            ServiceExportWriter.writeBaseline(trial, directory.resolve(BASELINE));
            ProviderFileWriter.Counts payroll = ProviderFileWriter.writePayroll(trial, directory.resolve(PAYROLL));
            ProviderFileWriter.Counts benefits = ProviderFileWriter.writeBenefits(trial, directory.resolve(BENEFITS));
            Map<String, Integer> surveys = new LinkedHashMap<>();
            for (int w = 0; w < config.waves().size(); w++) {
                SimulationConfig.SurveyWave wave = config.waves().get(w);
                surveys.put(wave.wave(), SurveyFileWriter.write(trial, w, directory.resolve(surveyFile(wave))).rows());
            }
            if (config.delivery().isPresent()) {
                DeliveryFileWriter.write(trial, directory.resolve(DELIVERY));
            }
            writeEffects(TrueEffects.compute(trial), directory.resolve(EFFECTS));
            writeLatent(trial, directory.resolve(LATENT));
            writeAllocations(trial, directory.resolve(ALLOCATIONS));
            writeFlow(trial, directory.resolve(FLOW));
            writeManifest(trial, directory);
            return new Summary(participants, payroll.rows(), benefits.rows(), surveys, trial.strangers().size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the simulated trial to " + directory, e);
        }
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6f", value);
    }

    private static void writeEffects(List<TrueEffects.Row> rows, Path file) {
        try (CsvFile csv = CsvFile.create(file, CsvFile.Layout.LF, List.of("analysis_group", "outcome", "unit", "planted_effect",
                "sample_ate", "sample_ate_in_control_sd", "realised_difference", "realised_difference_se", "n_treatment",
                "n_control", "mean_treatment", "mean_control", "control_sd"))) {
            for (TrueEffects.Row r : rows) {
                csv.row(List.of(r.analysisGroup(), r.outcome(), r.unit(), number(r.planted()), number(r.sampleAte()),
                        number(r.sampleAteInControlSd()), number(r.realisedDifference()), number(r.standardError()),
                        r.nTreatment(), r.nControl(), number(r.meanTreatment()), number(r.meanControl()), number(r.controlSd())));
            }
        }
    }

    /**
     * Each participant's latent outcomes: realised, and in both worlds; then, realised only, months
     * employed and days on out-of-work benefits in the outcome year. For checking a linkage end to end.
     */
    private static void writeLatent(SimulatedTrial trial, Path file) {
        List<TrueEffects.Outcome> outcomes = TrueEffects.outcomes(trial.config());
        List<String> header = new ArrayList<>(List.of("participant_id", "trial_group", "arm", "admin_linkable"));
        for (TrueEffects.Outcome o : outcomes) {
            header.addAll(List.of(o.name(), o.name() + "_if_control", o.name() + "_if_treatment"));
        }
        header.addAll(List.of("months_employed_12m", "days_oow_benefit_12m"));
        trial.config().waves().forEach(w -> header.add(w.prefix() + "_responded"));
        SimulationConfig.Extracts extracts = trial.config().extracts();
        try (CsvFile csv = CsvFile.create(file, CsvFile.Layout.LF, header)) {
            for (int i = 0; i < trial.persons().size(); i++) {
                SimulatedPerson p = trial.persons().get(i);
                if (p.erased()) {
                    continue;
                }
                TrueEffects.Potential v = new TrueEffects.Potential(p, trial.outcomes().get(i));
                List<Object> row = new ArrayList<>(List.of(p.participantId(), p.trialGroup(), p.arm(),
                        p.consentAdminLinkage() && !p.nino().isEmpty() ? 1 : 0));
                for (TrueEffects.Outcome o : outcomes) {
                    double y0 = o.control().applyAsDouble(v);
                    double y1 = o.treatment().applyAsDouble(v);
                    row.add(plain(p.treated() ? y1 : y0));
                    row.add(plain(y0));
                    row.add(plain(y1));
                }
                List<EmploymentModel.Spell> jobs = trial.outcomes().get(i).jobs(p.treated());
                row.add(EmploymentModel.monthsCovered(EmploymentModel.daysEmployed(jobs, p.randomisedOn(), 365,
                        extracts.payrollHistoryFrom(), extracts.payroll())));
                row.add(BenefitModel.daysOnOutOfWorkBenefit(BenefitModel.world(p.benefits(), jobs, p.randomisedOn(), p.death(),
                        extracts.benefits()), p.randomisedOn(), extracts.benefits()));
                trial.outcomes().get(i).waves().forEach(w -> row.add(w.responded() ? 1 : 0));
                csv.row(row);
            }
        }
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }

    /** The allocation list in sequence order; erased people's slots stay, without their identifier. */
    private static void writeAllocations(SimulatedTrial trial, Path file) {
        List<SimulatedPerson> ordered = new ArrayList<>(trial.persons());
        ordered.sort(java.util.Comparator.comparing((SimulatedPerson p) -> p.allocation().stratum().key())
                .thenComparingLong(p -> p.allocation().sequence()));
        if (trial.config().design() instanceof DesignFile.Read.Minimisation minimisation) {
            writeMinimisedAllocations(minimisation.design(), ordered, file);
            return;
        }
        try (CsvFile csv = CsvFile.create(file, CsvFile.Layout.LF, List.of("stratum", "sequence", "block_index", "block_size",
                "position_in_block", "design_version", "arm", "participant_id"))) {
            for (SimulatedPerson p : ordered) {
                Allocation a = ((TrialRandomisation.Blocked) p.allocation()).allocation();
                csv.row(List.of(a.stratum().key(), a.sequence(), a.blockIndex(), a.blockSize(), a.positionInBlock(),
                        a.designVersion(), a.arm(), p.erased() ? "" : p.participantId()));
            }
        }
    }

    /**
     * A minimised allocation list: stratum, sequence, version and moment (UTC), the recruit's level of each
     * factor (one column per factor, named as in the design), the arm, how the random element chose
     * it, and its seal; with the secret, {@code MinimisationVerifier} regenerates every row.
     */
    private static void writeMinimisedAllocations(MinimisationDesign design, List<SimulatedPerson> ordered, Path file) {
        List<String> header = new ArrayList<>(List.of("stratum", "sequence", "design_version", "allocated_at"));
        header.addAll(design.factorNames());
        header.addAll(List.of("arm", "decision", "seal", "participant_id"));
        try (CsvFile csv = CsvFile.create(file, CsvFile.Layout.LF, header)) {
            for (SimulatedPerson p : ordered) {
                MinimisedAllocation a = ((TrialRandomisation.Minimised) p.allocation()).allocation();
                List<Object> row = new ArrayList<>(List.of(a.stratum().key(), a.sequence(), a.designVersion(),
                        p.recruit().randomisedAt().toInstant().toString()));
                row.addAll(a.levels().values());
                row.addAll(List.of(a.arm(), a.decision().name().toLowerCase(Locale.ROOT), a.seal(), p.erased() ? "" : p.participantId()));
                csv.row(row);
            }
        }
    }

    /** Counts for the CONSORT flow diagram, by trial group. */
    private static void writeFlow(SimulatedTrial trial, Path file) {
        try (CsvFile csv = CsvFile.create(file, CsvFile.Layout.LF, List.of("trial_group", "stage", "arm", "count"))) {
            for (RecruitmentFlow.ScreeningCounts s : trial.screening()) {
                csv.row(List.of(s.trialGroup(), "screened", "", s.screened()));
                csv.row(List.of(s.trialGroup(), "ineligible", "", s.ineligible()));
                s.ineligibleByCriterion().forEach((criterion, count) ->
                        csv.row(List.of(s.trialGroup(), "ineligible:" + criterion, "", count)));
                csv.row(List.of(s.trialGroup(), "declined", "", s.declined()));
                for (String arm : List.of("treatment", "control")) {
                    List<SimulatedPerson> inArm = trial.persons().stream()
                            .filter(p -> p.trialGroup().equals(s.trialGroup()) && p.arm().equals(arm)).toList();
                    csv.row(List.of(s.trialGroup(), "randomised", arm, inArm.size()));
                    csv.row(List.of(s.trialGroup(), "erased", arm, inArm.stream().filter(SimulatedPerson::erased).count()));
                    csv.row(List.of(s.trialGroup(), "withdrawn", arm, inArm.stream().filter(p -> p.status().equals("withdrawn")).count()));
                    csv.row(List.of(s.trialGroup(), "deceased", arm, inArm.stream().filter(p -> p.status().equals("deceased")).count()));
                    csv.row(List.of(s.trialGroup(), "no_admin_linkage_consent", arm,
                            inArm.stream().filter(p -> !p.erased() && !p.consentAdminLinkage()).count()));
                    for (int w = 0; w < trial.config().waves().size(); w++) {
                        int wave = w;
                        long responded = 0;
                        for (int i = 0; i < trial.persons().size(); i++) {
                            SimulatedPerson p = trial.persons().get(i);
                            if (!p.erased() && p.trialGroup().equals(s.trialGroup()) && p.arm().equals(arm)
                                    && trial.outcomes().get(i).waves().get(wave).responded()) {
                                responded++;
                            }
                        }
                        csv.row(List.of(s.trialGroup(), "responded_" + trial.config().waves().get(w).wave(), arm, responded));
                    }
                }
            }
        }
    }

    private static void writeManifest(SimulatedTrial trial, Path directory) throws IOException {
        SimulationConfig config = trial.config();
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("manifest", "ipstrial-etl-inputs");
        root.put("manifest_version", 1);
        root.put("description", "Simulated trial: ETL input files and their extract dates. Paths are relative to this file.");
        ObjectNode generator = root.putObject("generated_by");
        generator.put("command", SimulateTrialCommand.class.getName());
        generator.put("seed", config.seed());
        generator.put("scale", config.scale());
        generator.put("config_sha256", config.configSha256());
        generator.put("randomisation_design", config.design().name());
        if (config.design() instanceof DesignFile.Read.Minimisation) {
            // Only for the second kind, so a block design's manifest is byte for byte what it was.
            generator.put("randomisation_kind", "minimisation");
        }
        generator.put("test_secret", config.testSecret());
        ArrayNode files = root.putArray("files");
        addFile(files, directory, PARTICIPANTS, "participants", null, null);
        addFile(files, directory, BASELINE, "baseline", null, null);
        addFile(files, directory, PAYROLL, "payroll", null, config.extracts().payroll().toString());
        addFile(files, directory, BENEFITS, "benefits", null, config.extracts().benefits().toString());
        for (SimulationConfig.SurveyWave wave : config.waves()) {
            addFile(files, directory, surveyFile(wave), "survey", wave.wave(), null);
        }
        if (config.delivery().isPresent()) {
            addFile(files, directory, DELIVERY, "delivery", null, null);
        }
        ObjectNode groups = root.putObject("analysis_groups");
        TrueEffects.analysisGroups(config).forEach((name, members) -> members.forEach(groups.withArray(name)::add));
        ObjectNode truth = root.putObject("truth");
        truth.put("effects", EFFECTS);
        truth.put("latent_outcomes", LATENT);
        truth.put("allocations", ALLOCATIONS);
        truth.put("flow", FLOW);
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        String text = json.writer(printer).writeValueAsString(root) + "\n";
        Files.writeString(directory.resolve(MANIFEST), text, StandardCharsets.UTF_8);
    }

    private static void addFile(ArrayNode files, Path directory, String path, String kind, String wave, String extractDate)
            throws IOException {
        ObjectNode file = files.addObject();
        file.put("kind", kind);
        file.put("path", path);
        if (wave != null) {
            file.put("wave", wave);
        }
        if (extractDate != null) {
            file.put("extract_date", extractDate);
        }
        file.put("sha256", sha256(directory.resolve(path)));
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
