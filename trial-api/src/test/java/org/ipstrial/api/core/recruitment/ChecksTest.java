package org.ipstrial.api.core.recruitment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ipstrial.api.api.RecruitRequests;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.definition.TrialDefinitionFile;
import org.ipstrial.api.core.errors.InvalidRequest;
import org.junit.jupiter.api.Test;

class ChecksTest {
    static final TrialDefinition DEMO = TrialDefinitionFile.load(Path.of("../config/trial-demo.yml"));
    static final LocalDate TODAY = LocalDate.of(2026, 11, 23);

    static Map<String, Boolean> eligible() {
        Map<String, Boolean> a = new HashMap<>(Map.of("can_agree", true, "over_18", true, "wants_support", true,
                "other_programme", false, "secondary_care", false, "not_working", true, "health_obstacle", true));
        return a;
    }

    @Test
    void screeningListsEveryFailedCriterion() {
        var rules = DEMO.eligibilityOn(TODAY);
        assertThat(EligibilityDecision.decide(rules, "A-OOW", eligible())).isInstanceOf(EligibilityDecision.Eligible.class);
        Map<String, Boolean> answers = eligible();
        answers.put("over_18", false);
        answers.put("secondary_care", true);
        var decision = EligibilityDecision.decide(rules, "A-OOW", answers);
        assertThat(decision).isInstanceOf(EligibilityDecision.Ineligible.class);
        assertThat(((EligibilityDecision.Ineligible) decision).failed()).extracting(TrialDefinition.Criterion::id)
                .containsExactly("over_18", "no_secondary_care");
        assertThat(decision.rulesVersion()).isEqualTo("elig-1");
    }

    @Test
    void screeningRefusesMissingAndForeignAnswers() {
        var rules = DEMO.eligibilityOn(TODAY);
        Map<String, Boolean> answers = eligible();
        answers.remove("wants_support");
        answers.put("in_work_struggling", true);
        assertThatThrownBy(() -> EligibilityDecision.decide(rules, "A-OOW", answers))
                .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.fieldErrors())
                        .extracting(f -> f.field())
                        .containsExactlyInAnyOrder("answers.wants_support", "answers.in_work_struggling"));
    }

    static RecruitRequests.Identity identity(String nino, String nhs, String dob, String postcode, String email) {
        return new RecruitRequests.Identity(nino, nhs, "Ann", "Smith", dob, "female", postcode, "07700 900123", email,
                null, null, null, "telephone", null);
    }

    @Test
    void identityErrorsNameEachFieldAndNeverEchoTheValue() {
        var bad = identity("DA123456A", "9434765918", "2015-01-01", "ABC", "not-an-email");
        assertThatThrownBy(() -> IdentityCheck.check(bad, TODAY))
                .isInstanceOfSatisfying(InvalidRequest.class, e -> {
                    assertThat(e.fieldErrors()).extracting(f -> f.field())
                            .containsExactlyInAnyOrder("nationalInsuranceNumber", "nhsNumber", "dateOfBirth", "postcode", "email");
                    assertThat(e.fieldErrors().toString()).doesNotContain("DA123456A").doesNotContain("9434765918");
                });
        var good = IdentityCheck.check(identity("ab 12 34 56 c", "943 476 5919", "1980-02-29", "s1 2ab", null), TODAY);
        assertThat(good.nino()).isEqualTo("AB123456C");
        assertThat(good.nhsNumber()).isEqualTo("9434765919");
        assertThat(good.postcode()).isEqualTo("S1 2AB");
        assertThatThrownBy(() -> IdentityCheck.check(identity(null, null, "1980-13-01", "S1 2AB", null), TODAY))
                .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.fieldErrors()).extracting(f -> f.field()).containsExactly("dateOfBirth"));
    }

    static Map<String, Object> completeBaseline() {
        Map<String, Object> b = new HashMap<>();
        for (var item : DEMO.baseline().items()) {
            b.put(item.id(), switch (item.type()) {
                case single -> item.codes().get(0).code();
                case multi -> List.of(item.codes().get(0).code());
                case integer -> item.min();
            });
        }
        return b;
    }

    @Test
    void baselineNeedsEveryItemWithAKnownCodeAndAcceptsMissingCodes() {
        Map<String, Object> answers = completeBaseline();
        assertThat(BaselineCheck.check(DEMO.baseline(), answers)).hasSize(DEMO.baseline().items().size());
        answers.put("ethnicity", -9);
        answers.put("barriers", List.of(-8));
        answers.put("eq5d_vas", 100);
        assertThat(BaselineCheck.check(DEMO.baseline(), answers)).containsEntry("ethnicity", -9);

        answers.put("ethnicity", 6);
        answers.put("eq5d_vas", 101);
        answers.put("barriers", List.of(-8, 1));
        answers.put("health_conditions", List.of(1, 1));
        answers.remove("gender");
        answers.put("shoe_size", 9);
        answers.put("eq5d_mo", "2");
        assertThatThrownBy(() -> BaselineCheck.check(DEMO.baseline(), answers))
                .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.fieldErrors()).extracting(f -> f.field())
                        .containsExactlyInAnyOrder("answers.ethnicity", "answers.eq5d_vas", "answers.barriers",
                                "answers.health_conditions", "answers.gender", "answers.shoe_size", "answers.eq5d_mo"));
    }
}
