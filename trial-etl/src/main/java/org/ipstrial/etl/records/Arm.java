package org.ipstrial.etl.records;

import java.util.Optional;

/** The arm a participant was randomised to. */
public enum Arm {
    TREATMENT("treatment"),
    CONTROL("control");

    private final String code;

    Arm(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<Arm> parse(String code) {
        for (Arm arm : values()) {
            if (arm.code.equalsIgnoreCase(code.strip())) {
                return Optional.of(arm);
            }
        }
        return Optional.empty();
    }
}
