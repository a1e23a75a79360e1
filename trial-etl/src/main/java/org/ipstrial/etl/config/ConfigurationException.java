package org.ipstrial.etl.config;

/** A configuration the ETL cannot run with; the message names the file and the field. */
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
