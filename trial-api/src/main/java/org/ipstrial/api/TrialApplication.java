package org.ipstrial.api;

import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/** The trial service: screening, agreement, baseline and randomisation at a first appointment. */
public final class TrialApplication extends Application<TrialConfiguration> {

    public static void main(String[] args) throws Exception {
        new TrialApplication().run(args);
    }

    @Override
    public String getName() {
        return "trial-api";
    }

    @Override
    public void initialize(Bootstrap<TrialConfiguration> bootstrap) {
        // Commands of the randomisation library (allocation list, design diagnostics) are added here.
        bootstrap.addCommand(new org.ipstrial.api.cli.AllocationListCommand());
        bootstrap.addCommand(new org.ipstrial.api.cli.DesignDiagnosticsCommand());
    }

    @Override
    public void run(TrialConfiguration configuration, Environment environment) {}
}
