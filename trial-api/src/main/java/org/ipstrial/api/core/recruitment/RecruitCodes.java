package org.ipstrial.api.core.recruitment;

import java.util.Set;

/**
 * The codes the recruitment and follow-up requests take, in one place: the services check against
 * these, and a test checks the OpenAPI document's enums are exactly these.
 */
public final class RecruitCodes {
    public static final Set<String> SEXES = Set.of("female", "male", "intersex", "prefer_not_to_say");
    public static final Set<String> SURVEY_MODES = Set.of("face_to_face", "telephone", "web");
    public static final Set<String> SURVEY_MODE_REASONS = Set.of("bsl_user", "hearing_difficulty", "phone_anxiety", "preference");
    public static final Set<String> STATUS_KINDS = Set.of("withdrawn_service", "withdrawn_research", "deceased");
    public static final Set<String> ERASURE_GROUNDS = Set.of("participant_request", "recorded_in_error", "required_by_governance");
    public static final Set<String> FLAG_KINDS = Set.of("found_ineligible", "wrong_stratum");

    private RecruitCodes() {}
}
