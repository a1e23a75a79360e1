package org.ipstrial.etl.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A hand-made trial of five participants whose expected outcomes are worked out by hand in
 * BuildCommandTest. Files are written as providers write them: BOM, CRLF, header case, mixed date
 * formats, pound signs, NINO spellings.
 */
final class SmallTrial {
    static final String P1 = "20000011";
    static final String P2 = "20000022";
    static final String P3 = "20000033";
    static final String P4 = "20000040";
    static final String P5 = "20000054";
    static final String KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    final Path folder;
    final Path config;

    SmallTrial(Path folder) {
        this(folder, true);
    }

    /** With {@code writeFiles} false, only reads the outputs of a build run in {@code folder}. */
    SmallTrial(Path folder, boolean writeFiles) {
        this.folder = folder;
        this.config = folder.resolve("etl.yml");
        if (!writeFiles) {
            return;
        }
        write("participants.csv", "\uFEFFparticipant_id,site,area,trial_group,arm,randomised_at,nino,nhs_number,date_of_birth,sex,"
                + "postcode,consent_admin_linkage,status,status_date,export_version\r\n"
                + P1 + ",A,A1,A-OOW,treatment,2019-01-15T10:00:00Z,AB123456C,9434765919,1980-05-05,female,LS1 4AB,true,active,,3\r\n"
                + P2 + ",B,B1,B-OOW,control,2019-02-01T09:00:00+00:00,CE123456A,9434765870,1975-01-01,male,LS2 7XY,false,active,,3\r\n"
                + P3 + ",A,A2,A-IW,treatment,2019-03-01T09:00:00Z,,,15/06/1985,female,\"LS3 1AA\",TRUE,active,,3\r\n"
                + P4 + ",B,B2,B-OOW,control,2019-03-02T09:00:00Z,QQ123456A,9434765862,1970-02-02,male,LS4 2BB,true,active,,3\r\n"
                + P5 + ",A,A1,A-OOW,control,2019-06-30T23:30:00Z,JK 65 43 21 B,9434765854,1990-12-31,male,LS5 3CC,true,withdrawn,2019-09-01,3\r\n"
                + "20000010,A,A1,A-OOW,control,2019-06-30T23:30:00Z,AB111111A,,1990-12-31,male,LS6 4DD,true,active,,3\r\n");
        write("baseline.csv", "Participant_ID,swemwbs_1,swemwbs_2,swemwbs_3,swemwbs_4,swemwbs_5,swemwbs_6,swemwbs_7\n"
                + P1 + ",4,4,4,4,4,4,4\n" + P2 + ",1,2,3,-9,5,1,2\n");
        write("payroll.csv", "NINO,Date_Of_Birth,employer_ref,employment_start_date,employment_end_date,payment_date,pay_frequency,taxable_pay,hours_band,batch\n"
                + "ab 12 34 56,,EMP1,01/01/2019,,31/01/2019,M1,\"£1,000.00\",D,1\n"
                + "AB123456C,1980-05-05,EMP1,2019-01-01,,2019-02-28,M1,\"1,000.00\",D,1\n"
                + "AB123456,,EMP1,2019-01-01,,2019-03-31,M1,-100.50,D,1\n"
                + "AB123456C,,EMP2,,,2019-04-15,W1,200.00,,1\n"
                + "AB123456C,,EMP2,,,22/04/2019,W1,£200,,1\n"
                + "AB123456C,,EMP3,2019-10-01,2019-11-10,2019-10-31,M1,500.00,A,1\n"
                + "AB123456C,1980-05-06,EMP1,2019-01-01,,2019-05-31,M1,999.00,D,1\n"
                + "CE123456A,,EMP4,2019-01-01,,2019-05-31,M1,999.00,D,1\n"
                + "ZY999999A,,EMP5,2019-01-01,,2019-05-31,M1,999.00,D,1\n"
                + "AB123456C,,EMP1,2019-01-01,,2019-02-30,M1,999.00,D,1\n"
                + "AB123456C,,EMP1\n"
                + "AB123456C,,EMP1,2019-01-01,,2019-05-31,X1,999.00,D,1\n"
                + "jk654321b,,EMP9,,,2019-07-05,IO,300.00,B,1\n"
                + ",,EMP1,2019-01-01,,2019-05-31,M1,999.00,D,1\n");
        write("benefits.csv", "\uFEFFnino,date_of_birth,benefit,uc_regime,start_date,end_date\r\n"
                + "AB123456C,,UC,searching,2019-02-01,10/02/2019\r\n"
                + "AB123456C,,uc,working_with_requirements,2019-03-01,\r\n"
                + "AB123456C,1980-05-05,JSA,,2019-01-10,2019-01-20\r\n"
                + "AB123456C,1980-01-01,ESA,,2019-01-10,2019-01-20\r\n"
                + "AB123456C,,UC,sometimes,2019-01-10,2019-01-20\r\n"
                + "AB123456C,,ESA,,2019-01-20,2019-01-10\r\n"
                + "ZY999999A,,JSA,,2019-01-10,\r\n");
        write("survey-4m.csv", "\uFEFFparticipant_id,wave,interview_date,mode,swemwbs_1,swemwbs_2,swemwbs_3,swemwbs_4,swemwbs_5,swemwbs_6,swemwbs_7,"
                + "phq8_1,phq8_2,phq8_3,phq8_4,phq8_5,phq8_6,phq8_7,phq8_8,interviewer\r\n"
                + "2000-0011,4m,2019-05-20,web,3,3,3,3,3,3,3,1,1,1,1,1,1,1,-8,X\r\n"
                + "20000011,4m,20/05/2019,telephone,3,3,3,3,3,3,,1,1,1,1,1,1,1,-8,Y\r\n"
                + "2000 0054,4M,2019-11-01,face_to_face,5,5,5,5,5,5,5,0,0,0,0,0,0,0,0,Z\r\n"
                + "20000065,4m,2019-05-20,web,3,3,3,3,3,3,3,1,1,1,1,1,1,1,1,X\r\n"
                + "20000012,4m,2019-05-20,web,3,3,3,3,3,3,3,1,1,1,1,1,1,1,1,X\r\n"
                + P2 + ",12m,2019-05-20,web,3,3,3,3,3,3,3,1,1,1,1,1,1,1,1,X\r\n"
                + P2 + ",4m,2019-02-30,web,3,3,3,3,3,3,3,1,1,1,1,1,1,1,1,X\r\n"
                + P3 + ",4m,2019-07-01,carrier pigeon,3,3,3,6,3,3,3,0,0,0,0,0,0,0,3,X\r\n");
        write("custodian.key", KEY + "\n");
        write("etl.yml", """
                participants: participants.csv
                baseline: baseline.csv
                payroll:
                  file: payroll.csv
                  extractDate: 2020-06-30
                benefits:
                  file: benefits.csv
                  extractDate: 2020-03-31
                surveyWaves:
                  4m: survey-4m.csv
                pseudonymisationKeyFile: custodian.key
                outputFolder: out
                options:
                  writeCrosswalk: true
                """);
    }

    Path out() {
        return folder.resolve("out");
    }

    void write(String name, String content) {
        try {
            Files.writeString(folder.resolve(name), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** analysis.csv rows keyed by participant identifier, through the crosswalk. */
    Map<String, Map<String, String>> analysisByParticipant() {
        Map<String, String> participantOfPid = new LinkedHashMap<>();
        for (Map<String, String> row : readCsv(out().resolve("restricted/crosswalk.csv"))) {
            participantOfPid.put(row.get("pid"), row.get("participant_id"));
        }
        Map<String, Map<String, String>> byParticipant = new LinkedHashMap<>();
        for (Map<String, String> row : readCsv(out().resolve("analysis.csv"))) {
            byParticipant.put(participantOfPid.get(row.get("pid")), row);
        }
        return byParticipant;
    }

    static List<Map<String, String>> readCsv(Path file) {
        try (CSVParser parser = CSVParser.parse(file, StandardCharsets.UTF_8,
                CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (CSVRecord r : parser) {
                rows.add(new LinkedHashMap<>(r.toMap()));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
