package org.ipstrial.etl.records;

import java.util.Optional;

/** Where a participant stands: withdrawn and deceased people stay in the dataset with their date. */
public enum ParticipantStatus {
    ACTIVE("active"),
    WITHDRAWN("withdrawn"),
    DECEASED("deceased");

    private final String code;

    ParticipantStatus(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<ParticipantStatus> parse(String code) {
        for (ParticipantStatus s : values()) {
            if (s.code.equalsIgnoreCase(code.strip())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
