package org.ipstrial.api.load;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ipstrial.api.support.Recruits;

/**
 * Valid, made-up recruits for load runs, each with identifiers unique within a run (a repeated
 * National Insurance or NHS number would rightly be refused as the same person randomised twice).
 */
public final class MadeUpPeople {
    /** Where a recruit is: site, area and the trial group screened for (so the stratum). */
    public record Placement(String site, String area, String trialGroup) {}

    public static final List<Placement> PLACEMENTS = List.of(
            new Placement("A", "A-north", "A-OOW"), new Placement("A", "A-south", "A-OOW"),
            new Placement("A", "A-east", "A-IW"), new Placement("A", "A-north", "A-IW"),
            new Placement("B", "B-central", "B-OOW"), new Placement("B", "B-west", "B-OOW"));

    private static final String PREFIX_FIRST = "ABCEGHJKLMNPRSTWYZ";
    private static final String PREFIX_SECOND = "ABCEGHJKLMNPRSTWYZ";

    private MadeUpPeople() {}

    /** Person number {@code n} of a run (0 to 3,999,999): identifiers unique within the run. */
    public static Map<String, Object> identity(long runPrefix, long n, Random random) {
        if (n < 0 || n >= 4_000_000) {
            throw new IllegalArgumentException("person number out of range: " + n);
        }
        String prefix = "" + PREFIX_FIRST.charAt((int) Math.floorMod(runPrefix, PREFIX_FIRST.length()))
                + PREFIX_SECOND.charAt((int) Math.floorMod(runPrefix / PREFIX_FIRST.length(), PREFIX_SECOND.length()));
        if (List.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ").contains(prefix)) {
            prefix = "AB";
        }
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("nationalInsuranceNumber", prefix + String.format("%06d", n % 1_000_000) + "ABCD".charAt((int) (n / 1_000_000)));
        id.put("nhsNumber", nhsNumber(Math.floorMod(runPrefix, 100) * 10_000_000L + n).orElse(""));
        id.put("givenName", "Given" + n);
        id.put("familyName", "Family" + Math.floorMod(runPrefix, 1_000_000));
        id.put("dateOfBirth", String.format("%d-%02d-%02d", 1960 + random.nextInt(40), 1 + random.nextInt(12), 1 + random.nextInt(28)));
        id.put("sex", random.nextBoolean() ? "female" : "male");
        id.put("postcode", "S" + (1 + random.nextInt(20)) + " " + random.nextInt(10) + "AB");
        id.put("phone", "07700 900" + String.format("%03d", random.nextInt(1000)));
        id.put("email", "person" + n + "@example.org");
        id.put("address", random.nextInt(200) + " Example Street");
        id.put("language", "English");
        id.put("surveyMode", "telephone");
        return id;
    }

    /** The NHS number with these nine digits, if its check digit exists (a tenth of them have none). */
    static java.util.Optional<String> nhsNumber(long nineDigits) {
        String digits = String.format("%09d", nineDigits % 1_000_000_000L);
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (digits.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - sum % 11;
        if (check == 10) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(digits + (check == 11 ? 0 : check));
    }

    // The answers are the workflow tests' own: one definition of a valid recruit.
    public static Map<String, Boolean> eligibleAnswers(String trialGroup) {
        return Recruits.eligibleAnswers(trialGroup);
    }

    public static Map<String, Boolean> agreeAll() {
        return Recruits.agreeAll();
    }

    public static Map<String, Object> baseline(Random random) {
        return Recruits.baseline(random);
    }
}
