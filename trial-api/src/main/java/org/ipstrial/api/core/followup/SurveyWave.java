package org.ipstrial.api.core.followup;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One follow-up survey wave and its due window: the target day is {@code months} calendar months
 * after the randomisation date, the window opens {@code opensDaysBefore} days before it and closes
 * {@code closesDaysAfter} days after it. Bound from config/trial-api.yml ({@code followUp.waves}).
 */
public record SurveyWave(
        @NotNull @Pattern(regexp = "[0-9]{1,2}m") @JsonProperty("code") String code,
        @Min(1) @Max(36) @JsonProperty("months") int months,
        @Min(0) @Max(180) @JsonProperty("opensDaysBefore") int opensDaysBefore,
        @Min(0) @Max(365) @JsonProperty("closesDaysAfter") int closesDaysAfter) {

    public SurveyWave {
        Objects.requireNonNull(code, "code");
    }

    /** The wave's window for a recruit randomised on {@code randomisedOn} (the trial's day, Europe/London). */
    public DueWindow windowFor(LocalDate randomisedOn) {
        // plusMonths lands on the month's last day when the day does not exist (31 January + 1 month: 28 or 29 February).
        LocalDate target = randomisedOn.plusMonths(months);
        return new DueWindow(target.minusDays(opensDaysBefore), target, target.plusDays(closesDaysAfter));
    }
}
