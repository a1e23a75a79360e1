package org.ipstrial.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;

/** Which trial this service runs: its definition, its randomisation design and the design's secret. */
public class TrialSettings {
    /** The trial definition YAML: sites, groups, eligibility, agreement form, baseline questionnaire. */
    @NotEmpty @JsonProperty
    private String definitionFile = "config/trial-demo.yml";

    /** The randomisation design YAML (a statistician's file). */
    @NotEmpty @JsonProperty
    private String designFile = "config/randomisation-demo.yml";

    /**
     * File holding the randomisation secret (hex). Must live outside the repository. When the file
     * does not exist and {@code generateSecretIfMissing} is true (demo only), a new secret is written.
     */
    @NotEmpty @JsonProperty
    private String secretFile = "data/randomisation.secret";

    @JsonProperty
    private boolean generateSecretIfMissing = false;

    /** Delivery monitoring and the IPS fidelity scale: services, caseload limit, scale items (docs/delivery.md). */
    @NotEmpty @JsonProperty
    private String deliveryFile = "config/delivery-demo.yml";

    public String getDefinitionFile() {
        return definitionFile;
    }

    public String getDesignFile() {
        return designFile;
    }

    public String getSecretFile() {
        return secretFile;
    }

    /**
     * Demo only (and only with security.createDemoUsers): every trial group's recruitment window is
     * moved to begin {@code demoHistoryDays} before the day the demo was first started (the day its
     * demo users were created), keeping its length, so a fresh demo looks like a trial in progress.
     */
    @JsonProperty
    private boolean demoWindowAroundFirstStart = false;

    /** Demo only: days of made-up history recorded at the first start (docs/delivery.md#the-demo). */
    @JsonProperty
    private int demoHistoryDays = 28;

    /** Demo only: recruits of the made-up history (0: none). */
    @JsonProperty
    private int demoHistoryRecruits = 0;

    public boolean isDemoWindowAroundFirstStart() {
        return demoWindowAroundFirstStart;
    }

    public int getDemoHistoryDays() {
        return demoHistoryDays;
    }

    public int getDemoHistoryRecruits() {
        return demoHistoryRecruits;
    }

    public String getDeliveryFile() {
        return deliveryFile;
    }

    public boolean isGenerateSecretIfMissing() {
        return generateSecretIfMissing;
    }
}
