package org.ipstrial.api.load;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

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

    public static Map<String, Boolean> eligibleAnswers(String trialGroup) {
        Map<String, Boolean> a = new HashMap<>(Map.of("can_agree", true, "over_18", true, "wants_support", true,
                "other_programme", false, "secondary_care", false));
        switch (trialGroup) {
            case "A-OOW" -> {
                a.put("not_working", true);
                a.put("health_obstacle", true);
            }
            case "A-IW" -> a.put("in_work_struggling", true);
            case "B-OOW" -> {
                a.put("out_of_work_4_weeks", true);
                a.put("disabled_or_condition", true);
            }
            default -> throw new IllegalArgumentException(trialGroup);
        }
        return a;
    }

    public static Map<String, Boolean> agreeAll() {
        return Map.of("take_part", true, "data_kept", true, "admin_linkage", true, "survey_contact", true, "archive", true);
    }

    public static Map<String, Object> baseline(Random random) {
        Map<String, Object> b = new HashMap<>();
        b.put("gender", 1 + random.nextInt(3));
        b.put("ethnicity", random.nextInt(10) == 0 ? -9 : 1 + random.nextInt(5));
        b.put("qualification", 1 + random.nextInt(7));
        b.put("dependent_children", 1 + random.nextInt(2));
        b.put("housing_tenure", 1 + random.nextInt(6));
        b.put("health_conditions", List.of(12, 1 + random.nextInt(11)).stream().distinct().toList());
        b.put("health_limits", 1 + random.nextInt(3));
        for (String d : List.of("eq5d_mo", "eq5d_sc", "eq5d_ua", "eq5d_pd", "eq5d_ad")) {
            b.put(d, 1 + random.nextInt(5));
        }
        b.put("eq5d_vas", random.nextInt(101));
        b.put("work_last_2y", 1 + random.nextInt(4));
        b.put("barriers", random.nextInt(8) == 0 ? List.of(-8) : List.of(1, 6));
        for (int i = 1; i <= 9; i++) {
            b.put("jsse_" + i, 1 + random.nextInt(5));
        }
        return b;
    }
}
