package org.ipstrial.api.core.delivery;

import java.time.LocalDate;

/**
 * A quarter of the NHS financial year, which runs April to March: April-June is Q1, January-March
 * Q4 of the year that began the April before. Labelled as the evaluation reports label them,
 * e.g. "2019/20 Q1" for April-June 2019 and "2019/20 Q4" for January-March 2020.
 */
public record FiscalQuarter(int startYear, int quarter) implements Comparable<FiscalQuarter> {
    public FiscalQuarter {
        if (quarter < 1 || quarter > 4) {
            throw new IllegalArgumentException("quarter " + quarter);
        }
    }

    public static FiscalQuarter of(LocalDate date) {
        int month = date.getMonthValue();
        return month >= 4 ? new FiscalQuarter(date.getYear(), (month - 4) / 3 + 1) : new FiscalQuarter(date.getYear() - 1, 4);
    }

    public LocalDate start() {
        return quarter == 4 ? LocalDate.of(startYear + 1, 1, 1) : LocalDate.of(startYear, 4 + 3 * (quarter - 1), 1);
    }

    public LocalDate end() {
        return start().plusMonths(3).minusDays(1);
    }

    public FiscalQuarter next() {
        return quarter == 4 ? new FiscalQuarter(startYear + 1, 1) : new FiscalQuarter(startYear, quarter + 1);
    }

    public String label() {
        return startYear + "/" + String.format("%02d", (startYear + 1) % 100) + " Q" + quarter;
    }

    @Override
    public int compareTo(FiscalQuarter other) {
        return startYear != other.startYear ? Integer.compare(startYear, other.startYear) : Integer.compare(quarter, other.quarter);
    }

    @Override
    public String toString() {
        return label();
    }
}
