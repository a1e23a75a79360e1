package org.ipstrial.etl.link;

import java.util.TreeMap;
import org.ipstrial.etl.read.CsvRow;

/** Counts where each row of one file went and sends rejected rows to its quarantine. */
public final class SourceLedger {
    private final String source;
    private final Quarantine quarantine;
    private long read;
    private long linked;
    private final TreeMap<String, Long> quarantined = new TreeMap<>();
    private long dobConflict;
    private long noConsent;
    private long notParticipant;

    public SourceLedger(String source, Quarantine quarantine) {
        this.source = source;
        this.quarantine = quarantine;
    }

    public Quarantine quarantine() {
        return quarantine;
    }

    public void linked() {
        read++;
        linked++;
    }

    public void quarantined(CsvRow row, QuarantineReason reason) {
        read++;
        quarantined.merge(reason.code(), 1L, Long::sum);
        quarantine.add(row, reason.code());
    }

    public void dateOfBirthConflict() {
        read++;
        dobConflict++;
    }

    public void noLinkageConsent() {
        read++;
        noConsent++;
    }

    public void notAParticipant() {
        read++;
        notParticipant++;
    }

    /**
     * A row first counted as linked and later set aside (a superseded duplicate interview); the
     * caller copies the row itself to the quarantine.
     */
    public void linkedRowSuperseded(QuarantineReason reason) {
        linked--;
        quarantined.merge(reason.code(), 1L, Long::sum);
    }

    public RowCounts counts() {
        return new RowCounts(source, read, linked, quarantined, dobConflict, noConsent, notParticipant);
    }
}
