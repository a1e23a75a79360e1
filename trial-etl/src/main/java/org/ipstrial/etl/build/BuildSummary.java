package org.ipstrial.etl.build;

import java.nio.file.Path;
import java.util.List;
import org.ipstrial.etl.link.RowCounts;

/** What a build did, for the summary printed at the end: rows per source and where they went. */
public record BuildSummary(List<RowCounts> sources, int participantsWritten, Path outputFolder) {
    public BuildSummary {
        sources = List.copyOf(sources);
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-14s %12s %12s %12s %12s%n", "source", "read", "linked", "quarantined", "discarded"));
        for (RowCounts c : sources) {
            sb.append(String.format("%-14s %12d %12d %12d %12d%n", c.source(), c.read(), c.linked(), c.quarantined(), c.discarded()));
        }
        sb.append("discarded = date-of-birth conflicts + participants without linkage consent + not participants\n");
        sb.append("analysis.csv: ").append(participantsWritten).append(" participants, written to ").append(outputFolder).append('\n');
        sb.append("restricted/ holds identifiers (quarantine, crosswalk): custodian only\n");
        return sb.toString();
    }
}
