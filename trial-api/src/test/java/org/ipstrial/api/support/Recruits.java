package org.ipstrial.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Valid, made-up people and the API calls that take them through a first appointment. */
public final class Recruits {
    private static final String FIRST = "ABCEGHJKLMNOPRSTWXYZ";
    private static final String SECOND = "ABCEGHJKLMNPRSTWXYZ";

    private Recruits() {}

    public static String nino(Random random) {
        while (true) {
            String prefix = "" + FIRST.charAt(random.nextInt(FIRST.length())) + SECOND.charAt(random.nextInt(SECOND.length()));
            if (List.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ").contains(prefix)) {
                continue;
            }
            return prefix + String.format("%06d", random.nextInt(1_000_000)) + "ABCD".charAt(random.nextInt(4));
        }
    }

    public static String nhsNumber(Random random) {
        while (true) {
            int[] d = new int[9];
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                d[i] = random.nextInt(10);
                sum += d[i] * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 10) {
                continue;
            }
            if (check == 11) {
                check = 0;
            }
            StringBuilder s = new StringBuilder();
            for (int x : d) {
                s.append(x);
            }
            return s.append(check).toString();
        }
    }

    public static Map<String, Object> identity(Random random) {
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("nationalInsuranceNumber", nino(random));
        id.put("nhsNumber", nhsNumber(random));
        id.put("givenName", "Given" + random.nextInt(1_000_000));
        id.put("familyName", "Family" + random.nextInt(1_000_000));
        id.put("dateOfBirth", String.format("%d-%02d-%02d", 1960 + random.nextInt(40), 1 + random.nextInt(12), 1 + random.nextInt(28)));
        id.put("sex", random.nextBoolean() ? "female" : "male");
        id.put("postcode", "S" + (1 + random.nextInt(20)) + " " + random.nextInt(10) + "AB");
        id.put("phone", "07700 900" + String.format("%03d", random.nextInt(1000)));
        id.put("email", "person" + random.nextInt(1_000_000) + "@example.org");
        id.put("address", random.nextInt(200) + " Example Street");
        id.put("language", "English");
        id.put("surveyMode", "telephone");
        return id;
    }

    /** The identifiers of {@link #identity} as the services take them (for tests that call the services directly). */
    public static org.ipstrial.api.api.RecruitRequests.Identity identityRequest(Map<String, Object> id) {
        return new org.ipstrial.api.api.RecruitRequests.Identity((String) id.get("nationalInsuranceNumber"),
                (String) id.get("nhsNumber"), (String) id.get("givenName"), (String) id.get("familyName"),
                (String) id.get("dateOfBirth"), (String) id.get("sex"), (String) id.get("postcode"), (String) id.get("phone"),
                (String) id.get("email"), (String) id.get("address"), (String) id.get("language"), null,
                (String) id.get("surveyMode"), null);
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

    /** Answers for every baseline item of the demo questionnaire, some of them missing codes. */
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

    /** Creates a recruit and takes them through screening, agreement, identity and baseline: ready to randomise. */
    public static String ready(ApiClient api, String specialist, String site, String area, String trialGroup,
            Map<String, Object> identity, Random random) {
        return ready(api, specialist, site, area, trialGroup, identity, baseline(random));
    }

    /** The same, with baseline answers of the test's choosing. */
    public static String ready(ApiClient api, String specialist, String site, String area, String trialGroup,
            Map<String, Object> identity, Map<String, Object> baselineAnswers) {
        var created = api.post(specialist, "/recruits", Map.of("site", site, "area", area));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String pid = created.body().get("participantId").asText();
        var screened = api.post(specialist, "/recruits/" + pid + "/screening",
                Map.of("trialGroup", trialGroup, "answers", eligibleAnswers(trialGroup)));
        assertThat(screened.status()).as(screened.toString()).isEqualTo(200);
        var agreed = api.post(specialist, "/recruits/" + pid + "/agreement", Map.of("formVersion", "agree-3", "answers", agreeAll()));
        assertThat(agreed.status()).as(agreed.toString()).isEqualTo(200);
        var id = api.put(specialist, "/recruits/" + pid + "/identity", identity);
        assertThat(id.status()).as(id.toString()).isEqualTo(200);
        var base = api.put(specialist, "/recruits/" + pid + "/baseline", Map.of("answers", baselineAnswers));
        assertThat(base.status()).as(base.toString()).isEqualTo(200);
        return pid;
    }
}
