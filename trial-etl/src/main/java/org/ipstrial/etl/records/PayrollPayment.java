package org.ipstrial.etl.records;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One linked payroll payment of one participant.
 *
 * @param employerRef     the trimmed employer reference (an identifier: never exported)
 * @param employmentStart blank in the source is empty here, and is a spell key of its own
 * @param leavingDate     the employment end date, when this row carries one
 * @param taxablePayPence may be negative (an adjustment)
 */
public record PayrollPayment(
        String employerRef,
        Optional<LocalDate> employmentStart,
        Optional<LocalDate> leavingDate,
        LocalDate paymentDate,
        PayFrequency frequency,
        long taxablePayPence) {

    public PayrollPayment {
        Objects.requireNonNull(employerRef, "employerRef");
        Objects.requireNonNull(employmentStart, "employmentStart");
        Objects.requireNonNull(leavingDate, "leavingDate");
        Objects.requireNonNull(paymentDate, "paymentDate");
        Objects.requireNonNull(frequency, "frequency");
    }
}
