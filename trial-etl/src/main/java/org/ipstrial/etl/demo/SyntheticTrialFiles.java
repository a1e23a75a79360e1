package org.ipstrial.etl.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ipstrial.identifiers.ParticipantId;

/**
 * Writes a synthetic, seeded set of input files in the contract's formats, as messy as providers'
 * files are: byte-order marks, CRLF, header case, mixed date formats, pound signs and thousands
 * separators, NINO spellings, hyphenated identifiers, duplicates, date-of-birth conflicts, people
 * who are not participants and a sprinkling of bad rows. Nobody in it is real. Used for the demo,
 * the end-to-end test and the benchmark.
 */
public final class SyntheticTrialFiles {
    public static final LocalDate EXTRACT_DATE = LocalDate.of(2021, 3, 31);
    private static final String FIRST = "ABCEGHJKLMNOPRSTWXYZ";
    private static final String SECOND = "ABCEGHJKLMNPRSTWXYZ";
    private static final String[] GROUPS = {"A-OOW", "A-IW", "B-OOW"};
    private static final String[] BENEFITS = {"JSA", "ESA", "IS", "IB", "UC", "UC", "UC", "PIP", "DLA", "CA", "HB"};
    private static final String[] REGIMES = {"", "searching", "planning", "preparing", "no_work_requirements",
        "working_with_requirements", "light_touch"};
    private static final String[] FREQUENCIES = {"W1", "W1", "W2", "W4", "M1", "M1", "M1", "M3", "IO", "IR"};

    /** Sizes of a generated set. */
    public record Scale(int participants, long payrollRows, long benefitSpells, long seed) {}

    private record Person(String id, String nino, LocalDate dob, LocalDate r, boolean consent) {}

    private final Scale scale;
    private final Random random;

    public SyntheticTrialFiles(Scale scale) {
        this.scale = scale;
        this.random = new Random(scale.seed());
    }

    /** Writes the files and a demonstration key into {@code folder}. */
    public void writeTo(Path folder) {
        try {
            Files.createDirectories(folder);
            List<Person> people = participants(folder.resolve("participants.csv"));
            surveys(folder.resolve("baseline.csv"), people, "baseline", 1.0);
            surveys(folder.resolve("survey-4m.csv"), people, "4m", 0.55);
            surveys(folder.resolve("survey-12m.csv"), people, "12m", 0.42);
            payroll(folder.resolve("payroll.csv"), people);
            benefits(folder.resolve("benefits.csv"), people);
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < 64; i++) {
                key.append("0123456789abcdef".charAt(random.nextInt(16)));
            }
            Files.writeString(folder.resolve("demo.key"), key + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write synthetic files to " + folder, e);
        }
    }

    private static BufferedWriter open(Path file, boolean byteOrderMark) throws IOException {
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        if (byteOrderMark) {
            w.write('\uFEFF');
        }
        return w;
    }

    private String participantId(int n, boolean written) {
        String seven = String.format("%07d", 1_000_000 + n);
        String id = seven + ParticipantId.checkDigit(seven);
        if (!written) {
            return id;
        }
        int style = random.nextInt(10);
        return style == 0 ? id.substring(0, 4) + "-" + id.substring(4) : style == 1 ? id.substring(0, 4) + " " + id.substring(4) : id;
    }

    private String nino() {
        StringBuilder sb = new StringBuilder();
        char first;
        char second;
        do {
            first = FIRST.charAt(random.nextInt(FIRST.length()));
            second = SECOND.charAt(random.nextInt(SECOND.length()));
        } while (List.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ").contains("" + first + second));
        sb.append(first).append(second);
        for (int i = 0; i < 6; i++) {
            sb.append((char) ('0' + random.nextInt(10)));
        }
        sb.append("ABCD".charAt(random.nextInt(4)));
        return sb.toString();
    }

    /** The NINO as another source might write it: spaced, lower case, without its suffix. */
    private String spelling(String nino) {
        return switch (random.nextInt(5)) {
            case 0 -> nino.substring(0, 2) + " " + nino.substring(2, 4) + " " + nino.substring(4, 6) + " " + nino.substring(6, 8) + " " + nino.substring(8);
            case 1 -> nino.toLowerCase(java.util.Locale.ROOT);
            case 2 -> nino.substring(0, 8);
            default -> nino;
        };
    }

    private String date(LocalDate d) {
        return random.nextInt(3) == 0 ? two(d.getDayOfMonth()) + "/" + two(d.getMonthValue()) + "/" + d.getYear() : d.toString();
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : String.valueOf(n);
    }

    private static String thousands(long n) {
        String digits = String.valueOf(n);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                sb.append(',');
            }
            sb.append(digits.charAt(i));
        }
        return sb.toString();
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private List<Person> participants(Path file) throws IOException {
        List<Person> people = new ArrayList<>();
        try (Writer w = open(file, true)) {
            w.write("participant_id,site,area,trial_group,arm,randomised_at,nino,nhs_number,date_of_birth,sex,postcode,"
                    + "consent_admin_linkage,status,status_date,service_version\r\n");
            LocalDate firstDay = LocalDate.of(2018, 4, 1);
            for (int n = 0; n < scale.participants(); n++) {
                String id = participantId(n, false);
                String group = GROUPS[random.nextInt(GROUPS.length)];
                String site = group.substring(0, 1);
                LocalDate day = firstDay.plusDays(random.nextInt(578));
                // Some randomisations late in the evening UTC: their London date is the next day in summer.
                ZonedDateTime at = day.atTime(random.nextInt(3) == 0 ? 23 : 9 + random.nextInt(8), random.nextInt(60))
                        .atZone(ZoneOffset.UTC);
                String randomisedAt = random.nextBoolean() ? at.toOffsetDateTime().toString()
                        : at.withZoneSameInstant(java.time.ZoneId.of("Europe/London")).toOffsetDateTime().toString();
                LocalDate r = at.withZoneSameInstant(java.time.ZoneId.of("Europe/London")).toLocalDate();
                String nino = nino();
                int ninoKind = random.nextInt(100);
                String writtenNino = ninoKind < 4 ? "" : ninoKind < 5 ? "QQ123456C" : spelling(nino);
                LocalDate dob = LocalDate.of(1960, 1, 1).plusDays(random.nextInt(40 * 365));
                boolean consent = random.nextInt(100) < 92;
                int statusKind = random.nextInt(1000);
                String status = statusKind < 30 ? "withdrawn" : statusKind < 31 ? "deceased" : "active";
                String statusDate = status.equals("active") ? "" : r.plusDays(1 + random.nextInt(300)).toString();
                String postcode = "LS" + (1 + random.nextInt(28)) + " " + random.nextInt(10) + (char) ('A' + random.nextInt(26))
                        + (char) ('A' + random.nextInt(26));
                w.write(String.join(",", id, site, site + (1 + random.nextInt(3)), group, random.nextBoolean() ? "treatment" : "control",
                        randomisedAt, writtenNino, String.format("%010d", (long) (random.nextDouble() * 9_999_999_999L)), dob.toString(),
                        random.nextBoolean() ? "female" : "male", postcode, consent ? "true" : "false", status, statusDate, "v1.4") + "\r\n");
                people.add(new Person(id, ninoKind < 5 ? null : nino, dob, r, consent));
            }
        }
        return people;
    }

    private void surveys(Path file, List<Person> people, String wave, double responseRate) throws IOException {
        boolean baseline = wave.equals("baseline");
        String[] items = {"swemwbs_1", "swemwbs_2", "swemwbs_3", "swemwbs_4", "swemwbs_5", "swemwbs_6", "swemwbs_7",
            "phq8_1", "phq8_2", "phq8_3", "phq8_4", "phq8_5", "phq8_6", "phq8_7", "phq8_8",
            "gad7_1", "gad7_2", "gad7_3", "gad7_4", "gad7_5", "gad7_6", "gad7_7",
            "jsse_1", "jsse_2", "jsse_3", "jsse_4", "jsse_5", "jsse_6", "jsse_7", "jsse_8", "jsse_9",
            "eq5d_mo", "eq5d_sc", "eq5d_ua", "eq5d_pd", "eq5d_ad", "eq5d_vas", "ons_life_sat", "employed_now", "hours_per_week"};
        int[] max = new int[items.length];
        int[] min = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            String it = items[i];
            min[i] = it.startsWith("phq8") || it.startsWith("gad7") || it.equals("eq5d_vas") || it.equals("ons_life_sat")
                    || it.equals("hours_per_week") ? 0 : 1;
            max[i] = it.startsWith("phq8") || it.startsWith("gad7") ? 3 : it.equals("eq5d_vas") ? 100 : it.equals("ons_life_sat") ? 10
                    : it.equals("employed_now") ? 2 : it.equals("hours_per_week") ? 60 : 5;
        }
        try (Writer w = open(file, !baseline)) {
            w.write((baseline ? "Participant_ID" : "participant_id,WAVE,interview_date,mode") + "," + String.join(",", items) + "\n");
            String[] modes = {"face_to_face", "telephone", "web"};
            int months = baseline ? 0 : Integer.parseInt(wave.replace("m", ""));
            for (Person p : people) {
                if (random.nextDouble() >= responseRate) {
                    continue;
                }
                int copies = random.nextInt(50) == 0 ? 2 : 1;
                for (int c = 0; c < copies; c++) {
                    StringBuilder sb = new StringBuilder();
                    String id = random.nextInt(400) == 0 ? "1234-5670" : writtenId(p.id());
                    sb.append(id);
                    if (!baseline) {
                        LocalDate interview = p.r().plusDays(months * 30L + random.nextInt(40));
                        sb.append(',').append(wave).append(',').append(date(interview)).append(',').append(modes[random.nextInt(3)]);
                    }
                    for (int i = 0; i < items.length; i++) {
                        int roll = random.nextInt(100);
                        String v = roll < 3 ? "-8" : roll < 5 ? "-9" : roll < 6 ? "" : roll < 7 && c == 0 && copies == 2 ? ""
                                : roll == 99 && random.nextInt(5) == 0 ? "77"
                                : String.valueOf(min[i] + random.nextInt(max[i] - min[i] + 1));
                        sb.append(',').append(v);
                    }
                    w.write(sb + "\n");
                }
            }
        }
    }

    private String writtenId(String id) {
        int style = random.nextInt(10);
        return style == 0 ? id.substring(0, 4) + "-" + id.substring(4) : style == 1 ? id.substring(0, 4) + " " + id.substring(4) : id;
    }

    private void payroll(Path file, List<Person> people) throws IOException {
        long perPerson = Math.max(1, scale.payrollRows() / Math.max(1, people.size()));
        try (Writer w = open(file, false)) {
            w.write("NINO,Date_Of_Birth,employer_ref,employment_start_date,employment_end_date,payment_date,pay_frequency,taxable_pay,hours_band,batch_id\n");
            for (Person p : people) {
                String nino = p.nino() == null ? nino() : p.nino();
                long budget = random.nextInt(10) < 3 ? 0 : (long) (random.nextDouble() * 2 * perPerson / 0.7);
                int spells = 1 + random.nextInt(3);
                for (int s = 0; s < spells && budget > 0; s++) {
                    long rows = s == spells - 1 ? budget : 1 + (long) (random.nextDouble() * budget);
                    budget -= rows;
                    writeEmployment(w, nino, p, rows);
                }
                if (random.nextInt(10) == 0) {
                    writeEmployment(w, nino(), null, 1 + random.nextInt(20));
                }
            }
            for (int i = 0; i < scale.participants() / 200 + 1; i++) {
                w.write("AB12,," + "EMP/1,,," + (i % 2 == 0 ? "2019-02-30" : "2019-01-05") + ",W1," + (i % 2 == 0 ? "10.00" : "12.345") + ",A,9\n");
            }
        }
    }

    private void writeEmployment(Writer w, String nino, Person p, long rows) throws IOException {
        String[] freqs = rows > 24 ? new String[] {"W1", "W2"} : FREQUENCIES;
        String freq = freqs[random.nextInt(freqs.length)];
        LocalDate base = p == null ? LocalDate.of(2018, 1, 1).plusDays(random.nextInt(900)) : p.r();
        LocalDate start = base.plusDays(random.nextInt(500) - 150);
        // Start early enough for every payment to fall before the extract date, so the file has the
        // number of rows asked for.
        long spanDays = rows * (freq.equals("W1") ? 7 : freq.equals("W2") ? 14 : freq.equals("W4") ? 28 : freq.equals("M3") ? 92 : 31);
        if (start.plusDays(spanDays).isAfter(EXTRACT_DATE)) {
            start = EXTRACT_DATE.minusDays(spanDays + random.nextInt(30));
        }
        String employer = random.nextInt(1000) + "/" + (char) ('A' + random.nextInt(26)) + random.nextInt(100000);
        boolean blankStart = random.nextInt(5) == 0;
        boolean reportsLeaving = random.nextInt(3) == 0;
        String dob = p == null ? "" : random.nextInt(4) == 0 ? p.dob().toString() : random.nextInt(300) == 0 ? p.dob().plusDays(1).toString() : "";
        LocalDate pay = start.plusDays(random.nextInt(14));
        String spelled = spelling(nino);
        for (long i = 0; i < rows; i++) {
            if (pay.isAfter(EXTRACT_DATE)) {
                break;
            }
            boolean last = i == rows - 1 || nextPay(pay, freq).isAfter(EXTRACT_DATE);
            long pence = random.nextInt(40) == 0 ? -(random.nextInt(20000)) : 5000 + random.nextInt(300000);
            String leaving = last && reportsLeaving ? date(pay.plusDays(random.nextInt(10))) : "";
            w.write(String.join(",", i % 7 == 0 ? spelling(nino) : spelled, dob, employer,
                    blankStart ? "" : date(start), leaving, date(pay), freq, csv(money(pence)),
                    random.nextInt(5) == 0 ? "" : String.valueOf("ABCDE".charAt(random.nextInt(5))), String.valueOf(i)) + "\n");
            pay = nextPay(pay, freq);
        }
    }

    private static LocalDate nextPay(LocalDate pay, String freq) {
        return switch (freq) {
            case "W1" -> pay.plusDays(7);
            case "W2" -> pay.plusDays(14);
            case "W4" -> pay.plusDays(28);
            case "M1" -> pay.plusMonths(1);
            case "M3" -> pay.plusMonths(3);
            default -> pay.plusDays(20 + (pay.getDayOfYear() % 40));
        };
    }

    private String money(long pence) {
        long abs = Math.abs(pence);
        String pounds = String.valueOf(abs / 100);
        String cents = two((int) (abs % 100));
        String sign = pence < 0 ? "-" : "";
        return switch (random.nextInt(4)) {
            case 0 -> sign + "£" + thousands(abs / 100) + "." + cents;
            case 1 -> sign + thousands(abs / 100) + "." + cents;
            default -> sign + pounds + "." + cents;
        };
    }

    private void benefits(Path file, List<Person> people) throws IOException {
        long perPerson = Math.max(1, scale.benefitSpells() / Math.max(1, people.size()));
        try (Writer w = open(file, true)) {
            w.write("nino,date_of_birth,Benefit,uc_regime,start_date,end_date\r\n");
            for (Person p : people) {
                String nino = p.nino() == null ? nino() : p.nino();
                long spells = random.nextInt(4) == 0 ? 0 : (long) (random.nextDouble() * 2 * perPerson / 0.75);
                for (long s = 0; s < spells; s++) {
                    String benefit = BENEFITS[random.nextInt(BENEFITS.length)];
                    String regime = benefit.equals("UC") ? REGIMES[random.nextInt(REGIMES.length)] : "";
                    LocalDate start = p.r().plusDays(random.nextInt(900) - 400);
                    String end = random.nextInt(4) == 0 ? "" : date(start.plusDays(random.nextInt(400)));
                    String dob = random.nextInt(5) == 0 ? p.dob().toString() : random.nextInt(400) == 0 ? "1900-01-01" : "";
                    w.write(String.join(",", spelling(nino), dob, benefit, regime, date(start), end) + "\r\n");
                }
                if (random.nextInt(8) == 0) {
                    w.write(String.join(",", nino(), "", "JSA", "", "2019-01-01", "") + "\r\n");
                }
            }
            w.write(",,JSA,,2019-01-01,\r\n");
            w.write("AB123456A,,UC,sometimes,2019-01-01,\r\n");
        }
    }

    /** {@code generate-demo --out DIR [--participants N] [--payroll-rows N] [--benefit-spells N] [--seed N]}. */
    public static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
        Path folder = null;
        int participants = 2000;
        long payroll = 100_000;
        long benefits = 20_000;
        long seed = 20191003L;
        try {
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--out" -> folder = Path.of(args[i + 1]);
                    case "--participants" -> participants = Integer.parseInt(args[i + 1]);
                    case "--payroll-rows" -> payroll = Long.parseLong(args[i + 1]);
                    case "--benefit-spells" -> benefits = Long.parseLong(args[i + 1]);
                    case "--seed" -> seed = Long.parseLong(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("etl generate-demo: " + e.getMessage());
            return 2;
        }
        if (folder == null || args.length % 2 != 0) {
            err.println("usage: etl generate-demo --out DIR [--participants N] [--payroll-rows N] [--benefit-spells N] [--seed N]");
            return 2;
        }
        new SyntheticTrialFiles(new Scale(participants, payroll, benefits, seed)).writeTo(folder);
        out.println("synthetic input files and a demonstration key written to " + folder + " (seed " + seed + ")");
        return 0;
    }
}
