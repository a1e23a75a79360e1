package org.ipstrial.etl.simulation;

/**
 * A simulation configuration (or a file it names) that cannot be used. The message names the file
 * and the field, so the person running the simulation can fix it; nothing has been written.
 */
public final class SimulationConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimulationConfigException(String message) {
        super(message);
    }

    public SimulationConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
