package org.ipstrial.api.core.recruitment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.LocalDate;
import org.ipstrial.api.api.ErrorBody.FieldError;
import org.ipstrial.api.core.errors.InvalidRequest;
import org.junit.jupiter.api.Test;

/** The audit trail's filters and CSV cells, without a database. */
class AuditTrailFiltersTest {
    @Test
    void blankFiltersAreNoFiltersAndValuesAreTrimmed() {
        var f = AuditTrailService.filters("  manager ", " screened", "", null);
        assertThat(f.user()).isEqualTo("manager");
        assertThat(f.action()).isEqualTo("screened");
        assertThat(f.from()).isNull();
        assertThat(f.to()).isNull();
        assertThat(AuditTrailService.filters(null, null, "2026-01-01", "2026-01-01").from()).isEqualTo(LocalDate.of(2026, 1, 1));
    }

    @Test
    void everyBadFilterIsNamedAtOnce() {
        InvalidRequest refused = catchThrowableOfType(InvalidRequest.class,
                () -> AuditTrailService.filters("a\u0000b", "deleted_everything", "01/02/2026", "2026-02-30"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.fieldErrors().stream().map(FieldError::field)).containsExactly("user", "action", "from", "to");
        InvalidRequest backwards = catchThrowableOfType(InvalidRequest.class,
                () -> AuditTrailService.filters(null, null, "2026-03-02", "2026-03-01"));
        assertThat(backwards.fieldErrors()).containsExactly(new FieldError("to", "is before from"));
    }

    @Test
    void freeTextThatASpreadsheetWouldRunIsQuotedAndNothingElse() {
        for (String formula : new String[] {"=1+1", "+44 7700", "-2", "@SUM(A1)", "\tx", "\rx"}) {
            assertThat(AuditTrailService.cell(formula)).isEqualTo("'" + formula);
        }
        for (String plain : new String[] {"moved away", "1+1=2", "", "'quoted"}) {
            assertThat(AuditTrailService.cell(plain)).isEqualTo(plain);
        }
        assertThat(AuditTrailService.cell(null)).isNull();
    }
}
