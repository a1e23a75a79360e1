package org.ipstrial.etl.records;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * What the IPS service recorded for one treatment-group recruit, as exported in its delivery file,
 * after validation: counts are non-negative and consistent, dates on or after randomisation.
 *
 * @param engaged attended at least one support session ({@code sessions > 0})
 * @param sessionsOver15Minutes sessions that lasted more than 15 minutes (at most {@code sessions})
 * @param firstJobHoursHundredths hours a week of the first job start, in hundredths (0..10000), when recorded
 */
public record ServiceDelivery(
        boolean engaged,
        int sessions,
        int sessionsOver15Minutes,
        Optional<LocalDate> firstSessionDate,
        Optional<LocalDate> vocationalProfileDate,
        Optional<LocalDate> firstEmployerContactDate,
        int jobStarts,
        Optional<LocalDate> firstJobStartDate,
        Optional<Integer> firstJobHoursHundredths) {

    public ServiceDelivery {
        Objects.requireNonNull(firstSessionDate, "firstSessionDate");
        Objects.requireNonNull(vocationalProfileDate, "vocationalProfileDate");
        Objects.requireNonNull(firstEmployerContactDate, "firstEmployerContactDate");
        Objects.requireNonNull(firstJobStartDate, "firstJobStartDate");
        Objects.requireNonNull(firstJobHoursHundredths, "firstJobHoursHundredths");
        if (sessions < 0 || sessionsOver15Minutes < 0 || sessionsOver15Minutes > sessions || jobStarts < 0) {
            throw new IllegalArgumentException("delivery counts out of range");
        }
        if (engaged != (sessions > 0) || firstSessionDate.isPresent() != (sessions > 0)) {
            throw new IllegalArgumentException("engaged, sessions and first session date disagree");
        }
        if (firstJobStartDate.isPresent() != (jobStarts > 0) || (jobStarts == 0 && firstJobHoursHundredths.isPresent())) {
            throw new IllegalArgumentException("job starts, first job start date and hours disagree");
        }
        firstJobHoursHundredths.ifPresent(h -> {
            if (h < 0 || h > 10_000) {
                throw new IllegalArgumentException("hours a week must be 0..100");
            }
        });
    }
}
