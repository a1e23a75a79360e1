package org.ipstrial.etl.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.ipstrial.etl.EtlMain;
import org.ipstrial.etl.read.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceRequestCommandTest {
    @TempDir
    Path dir;

    @Test
    void listsConsentingParticipantsIdentifiersOnlyUnderTheReference() throws IOException {
        Files.writeString(dir.resolve("participants.csv"), "participant_id,site,area,trial_group,arm,randomised_at,nino,nhs_number,"
                + "date_of_birth,sex,postcode,consent_admin_linkage,status,status_date\n"
                + "20000011,A,A1,A-OOW,treatment,2019-01-15T10:00:00Z,ab 12 34 56 c,9434765919,1980-05-05,female,LS1 4AB,true,active,\n"
                + "20000022,B,B1,B-OOW,control,2019-02-01T09:00:00Z,CE123456A,9434765870,1975-01-01,male,LS2 7XY,false,active,\n"
                + "20000033,A,A2,A-IW,control,2019-03-01T09:00:00Z,,,15/06/1985,female,LS3 1AA,true,withdrawn,2019-05-01\n");
        Files.writeString(dir.resolve("etl.yml"), """
                participants: participants.csv
                baseline: b.csv
                payroll: {file: p.csv, extractDate: 2020-06-30}
                benefits: {file: x.csv, extractDate: 2020-06-30}
                surveyWaves: {}
                pseudonymisationKeyFile: none.key
                outputFolder: out
                """);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = EtlMain.run(new String[] {"trace-request", "--config", dir.resolve("etl.yml").toString(), "--reference", "TR-2021-01"},
                new PrintStream(out), new PrintStream(err), Progress.silent());
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Path file = dir.resolve("out/restricted/trace-request-TR-2021-01.csv");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).containsExactly("request_reference,nino,date_of_birth,sex,postcode",
                "TR-2021-01,,1985-06-15,female,LS3 1AA",
                "TR-2021-01,AB123456C,1980-05-05,female,LS1 4AB");
        String all = String.join("\n", lines);
        assertThat(all).doesNotContain("treatment", "control", "A-OOW", "withdrawn", "20000011", "CE123456A");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void theReferenceMustBeSafeAsAFileName() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = EtlMain.run(new String[] {"trace-request", "--config", "x.yml", "--reference", "../../etc"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err), Progress.silent());
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("--reference");
    }
}
