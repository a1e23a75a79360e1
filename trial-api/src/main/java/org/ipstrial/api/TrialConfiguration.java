package org.ipstrial.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.ipstrial.api.db.DatabaseSettings;

/** The service's configuration, read from YAML (see config/trial-api.yml). */
public class TrialConfiguration extends Configuration {

    /** The application's connection pool. It connects as a role that owns nothing (see docs/service.md). */
    @Valid @NotNull @JsonProperty("database")
    private DataSourceFactory database = new DataSourceFactory();

    /** Where PostgreSQL is: embedded (default) or external, and the owner role that migrates. */
    @Valid @NotNull @JsonProperty("databaseServer")
    private DatabaseSettings databaseServer = new DatabaseSettings();

    @Valid @NotNull @JsonProperty("trial")
    private TrialSettings trial = new TrialSettings();

    @Valid @NotNull @JsonProperty("security")
    private SecuritySettings security = new SecuritySettings();

    /** The confirmation e-mail to the trial office after each randomisation (off unless configured). */
    @Valid @NotNull @JsonProperty("confirmationMail")
    private org.ipstrial.api.core.confirmation.ConfirmationMailSettings confirmationMail =
            new org.ipstrial.api.core.confirmation.ConfirmationMailSettings();

    /** The follow-up survey waves and their due windows (docs/followup.md). */
    @Valid @NotNull @JsonProperty("followUp")
    private org.ipstrial.api.core.followup.FollowUpSettings followUp = new org.ipstrial.api.core.followup.FollowUpSettings();

    public org.ipstrial.api.core.followup.FollowUpSettings getFollowUp() {
        return followUp;
    }

    public org.ipstrial.api.core.confirmation.ConfirmationMailSettings getConfirmationMail() {
        return confirmationMail;
    }

    public DataSourceFactory getDatabase() {
        return database;
    }

    public DatabaseSettings getDatabaseServer() {
        return databaseServer;
    }

    public TrialSettings getTrial() {
        return trial;
    }

    public SecuritySettings getSecurity() {
        return security;
    }
}
