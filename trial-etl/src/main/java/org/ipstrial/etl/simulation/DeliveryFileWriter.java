package org.ipstrial.etl.simulation;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the IPS service's delivery file (docs/etl.md, "The delivery file") for a configuration
 * with a delivery model: one row per treatment-group recruit in the service's export (erased
 * people absent, control recruits absent by design). A complier attends: sessions (1 + a geometric
 * number, mean about 10), 80% of them over 15 minutes, the first after an exponential lag of mean
 * 18 days (about 32% within a week; 31% in the reference trial's site), a vocational profile for
 * 85% of them within four weeks of it, a first employer contact for 70% of those (mean 35 days
 * later, as the reference evaluation reports), and the job starts of their treatment world that
 * begin after the first session, up to the payroll extract date, with the first one's hours
 * (blank for 10%). A non-complier has a row of zeros. Dates are day-first at the configured share,
 * like the providers' files; the service writes {@code engaged} in lower case.
 */
final class DeliveryFileWriter {
    static final List<String> COLUMNS = List.of("participant_id", "sessions", "sessions_over_15_minutes", "first_session_date",
            "engaged", "vocational_profile_date", "first_employer_contact_date", "job_starts", "first_job_start_date",
            "first_job_hours_per_week");
    private static final String[] HOURS = {"16", "20", "24", "30", "37.5"};

    private DeliveryFileWriter() {}

    static int write(SimulatedTrial trial, Path file) {
        SimulationConfig config = trial.config();
        Streams streams = new Streams(config.seed());
        java.util.Map<SimulatedPerson, PersonOutcomes> outcomes = new java.util.IdentityHashMap<>();
        for (int i = 0; i < trial.persons().size(); i++) outcomes.put(trial.persons().get(i), trial.outcomes().get(i));
        try (CsvFile csv = CsvFile.create(file, CsvFile.Layout.LF, COLUMNS)) {
            for (SimulatedPerson p : ServiceExportWriter.inExport(trial)) {
                if (!p.treated()) {
                    continue;
                }
                int index = p.recruit().index();
                SplittableRandom r = streams.of("delivery-record", index);
                csv.row(row(p, outcomes.get(p), r, config));
            }
            return csv.rows();
        }
    }

    private static List<Object> row(SimulatedPerson p, PersonOutcomes outcomes, SplittableRandom r, SimulationConfig config) {
        SimulationConfig.Messiness m = config.messiness();
        LocalDate randomised = p.randomisedOn();
        LocalDate extract = config.extracts().payroll();
        if (!p.complier()) {
            return List.of(p.participantId(), 0, 0, "", "false", "", "", 0, "", "");
        }
        int sessions = 1 + (int) Math.min(59, Math.floor(Math.log(1 - r.nextDouble()) / Math.log(0.9)));
        int over15 = 0;
        for (int s = 0; s < sessions; s++) if (r.nextDouble() < 0.8) over15++;
        LocalDate first = randomised.plusDays((long) Math.floor(-18 * Math.log(1 - r.nextDouble())));
        LocalDate profile = r.nextDouble() < 0.85 ? first.plusDays(r.nextInt(29)) : null;
        LocalDate contact = profile != null && r.nextDouble() < 0.7
                ? profile.plusDays(1 + (long) Math.floor(-34 * Math.log(1 - r.nextDouble()))) : null;
        List<LocalDate> starts = new ArrayList<>();
        for (EmploymentModel.Spell spell : outcomes.jobs1()) {
            if (!spell.start().isBefore(first) && !spell.start().isAfter(extract)) starts.add(spell.start());
        }
        starts.sort(null);
        String hours = starts.isEmpty() || r.nextDouble() < 0.1 ? "" : HOURS[r.nextInt(HOURS.length)];
        return List.of(p.participantId(), sessions, over15, ProviderFormats.date(first, r, m), "true",
                ProviderFormats.date(profile, r, m), ProviderFormats.date(contact, r, m), starts.size(),
                starts.isEmpty() ? "" : ProviderFormats.date(starts.get(0), r, m), hours);
    }
}
