package org.ipstrial.api;

import io.dropwizard.core.Configuration;

/** The service's configuration, read from YAML (see config/trial-api.yml). */
public class TrialConfiguration extends Configuration {}
