package org.ipstrial.etl.oracle;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A second, deliberately simple implementation of the contract, written from the contract's text
 * alone and importing nothing from the ETL's main code (an architecture test checks it). It is slow
 * on purpose: it counts days one by one and keeps everything in plain maps. Its answers are the
 * expected values of the end-to-end test.
 */
public final class SimpleOracle {
    private static final int[][] DAMM = {
        {0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3}, {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
        {1, 7, 5, 0, 9, 8, 3, 4, 2, 6}, {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
        {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7}, {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
        {2, 5, 8, 1, 4, 3, 6, 7, 9, 0}};
    private static final Pattern ISO = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
    private static final Pattern UK = Pattern.compile("(\\d{2})/(\\d{2})/(\\d{4})");
    private static final Pattern MONEY = Pattern.compile("(-|£|-£|£-)?(\\d{1,3}(,\\d{3})+|\\d+)(\\.\\d{1,2})?");
    private static final Pattern NINO = Pattern.compile("([A-Z])([A-Z])(\\d{6})([ABCD]?)");
    private static final List<String> OUT_OF_WORK = List.of("JSA", "ESA", "IS", "IB", "UC");
    private static final List<String> REGIMES = List.of("searching", "planning", "preparing", "no_work_requirements",
            "working_with_requirements", "light_touch");
    private static final Map<String, String[]> SCORES = new java.util.LinkedHashMap<>();
    private static final Map<String, int[]> RANGES = new HashMap<>();

    static {
        SCORES.put("swemwbs_raw", items("swemwbs_", 7));
        SCORES.put("eq5d_lss", new String[] {"eq5d_mo", "eq5d_sc", "eq5d_ua", "eq5d_pd", "eq5d_ad"});
        SCORES.put("eq5d_vas", new String[] {"eq5d_vas"});
        SCORES.put("phq8", items("phq8_", 8));
        SCORES.put("gad7", items("gad7_", 7));
        SCORES.put("jsse", items("jsse_", 9));
        SCORES.put("ons_life_sat", new String[] {"ons_life_sat"});
        RANGES.put("swemwbs_raw", new int[] {1, 5});
        RANGES.put("eq5d_lss", new int[] {1, 5});
        RANGES.put("eq5d_vas", new int[] {0, 100});
        RANGES.put("phq8", new int[] {0, 3});
        RANGES.put("gad7", new int[] {0, 3});
        RANGES.put("jsse", new int[] {1, 5});
        RANGES.put("ons_life_sat", new int[] {0, 10});
    }

    private static String[] items(String prefix, int n) {
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            s[i] = prefix + (i + 1);
        }
        return s;
    }

    /** One participant as the oracle knows them. */
    static final class Person {
        String id;
        String site;
        String arm;
        LocalDate r;
        LocalDate dob;
        String ninoKey;
        boolean consent;
        List<String[]> payments = new ArrayList<>(); // employer, start or "", leaving or "", payment, frequency, pounds
        List<String[]> spells = new ArrayList<>(); // benefit, regime, start, end or ""
        Map<String, Map<String, String>> interviews = new HashMap<>(); // wave -> chosen row
    }

    private final Map<String, Person> people = new TreeMap<>();
    private final Map<String, List<Person>> byNino = new HashMap<>();
    public long payrollLinked;
    public long benefitsLinked;

    /** Expected values by participant identifier, then by column name. */
    public Map<String, Map<String, String>> expected(Path participants, Path baseline, Map<String, Path> waves, Path payroll,
            LocalDate payrollExtract, Path benefits, LocalDate benefitExtract) {
        readParticipants(participants);
        readSurvey(baseline, "m0", null);
        waves.forEach((code, file) -> readSurvey(file, "m" + code.replace("m", ""), code));
        readPayroll(payroll);
        readBenefits(benefits);
        Map<String, Map<String, String>> all = new TreeMap<>();
        for (Person p : people.values()) {
            Map<String, String> v = new HashMap<>();
            v.put("arm", p.arm);
            v.put("site", p.site);
            v.put("age_at_randomisation", p.dob == null || p.dob.isAfter(p.r) ? "" : String.valueOf(Period.between(p.dob, p.r).getYears()));
            v.put("payroll_censored_12m", p.r.plusDays(364).isAfter(payrollExtract) ? "1" : "0");
            v.put("benefits_censored_12m", p.r.plusDays(364).isAfter(benefitExtract) ? "1" : "0");
            admin(p, v, payrollExtract, benefitExtract);
            for (String wave : waveNames(waves)) {
                Map<String, String> row = p.interviews.get(wave);
                v.put(wave + "_responded", row == null ? "0" : "1");
                for (Map.Entry<String, String[]> score : SCORES.entrySet()) {
                    v.put(wave + "_" + score.getKey(), row == null ? "" : score(row, score.getValue(), RANGES.get(score.getKey())));
                }
            }
            all.put(p.id, v);
        }
        return all;
    }

    private static List<String> waveNames(Map<String, Path> waves) {
        List<String> names = new ArrayList<>();
        names.add("m0");
        waves.keySet().forEach(code -> names.add("m" + code.replace("m", "")));
        return names;
    }

    private void admin(Person p, Map<String, String> v, LocalDate payrollExtract, LocalDate benefitExtract) {
        String reason = !p.consent ? "no_consent" : p.ninoKey == null ? "no_valid_nino" : "";
        v.put("admin_missing_reason", reason);
        if (!reason.isEmpty()) {
            for (String name : List.of("admin_linked", "days_employed_12m", "employed_13wk_12m", "earnings_12m", "months_employed_12m",
                    "days_oow_benefit_12m")) {
                v.put(name, "");
            }
            for (int m = 1; m <= 22; m++) {
                v.put("employed_m" + m, "");
                v.put("earnings_m" + m, "");
                v.put("oow_benefit_m" + m, "");
                v.put("employed_on_benefit_m" + m, "");
            }
            return;
        }
        v.put("admin_linked", p.payments.isEmpty() && p.spells.isEmpty() ? "0" : "1");
        List<LocalDate[]> employment = employmentSpells(p, payrollExtract);
        List<LocalDate[]> onBenefit = new ArrayList<>();
        for (String[] s : p.spells) {
            boolean counts = OUT_OF_WORK.contains(s[0])
                    && !(s[0].equals("UC") && (s[1].equals("working_with_requirements") || s[1].equals("light_touch")));
            if (counts) {
                onBenefit.add(new LocalDate[] {date(s[2]), s[3].isEmpty() ? benefitExtract : date(s[3])});
            }
        }
        LocalDate yearEnd = p.r.plusDays(364);
        if (yearEnd.isAfter(payrollExtract)) {
            v.put("days_employed_12m", "");
            v.put("employed_13wk_12m", "");
            v.put("earnings_12m", "");
            v.put("months_employed_12m", "");
        } else {
            int days = countDays(employment, p.r, yearEnd);
            v.put("days_employed_12m", String.valueOf(days));
            v.put("employed_13wk_12m", days >= 91 ? "1" : "0");
            v.put("earnings_12m", earnings(p, p.r, yearEnd));
            int months = 0;
            for (int m = 1; m <= 12; m++) {
                if (countDays(employment, monthStart(p.r, m), monthEnd(p.r, m)) > 0) {
                    months++;
                }
            }
            v.put("months_employed_12m", String.valueOf(months));
        }
        v.put("days_oow_benefit_12m", yearEnd.isAfter(benefitExtract) ? "" : String.valueOf(countDays(onBenefit, p.r, yearEnd)));
        for (int m = 1; m <= 22; m++) {
            LocalDate from = monthStart(p.r, m);
            LocalDate to = monthEnd(p.r, m);
            String employed = to.isAfter(payrollExtract) ? "" : countDays(employment, from, to) > 0 ? "1" : "0";
            String benefit = to.isAfter(benefitExtract) ? "" : countDays(onBenefit, from, to) > 0 ? "1" : "0";
            v.put("employed_m" + m, employed);
            v.put("earnings_m" + m, to.isAfter(payrollExtract) ? "" : earnings(p, from, to));
            v.put("oow_benefit_m" + m, benefit);
            v.put("employed_on_benefit_m" + m, employed.isEmpty() || benefit.isEmpty() ? "" : employed.equals("1") && benefit.equals("1") ? "1" : "0");
        }
    }

    static LocalDate monthStart(LocalDate r, int m) {
        return r.plusDays((long) Math.floor((m - 1) * 30.4375));
    }

    static LocalDate monthEnd(LocalDate r, int m) {
        return r.plusDays((long) Math.floor(m * 30.4375) - 1);
    }

    /** One day at a time: is the day inside any spell? */
    static int countDays(List<LocalDate[]> spells, LocalDate from, LocalDate to) {
        int n = 0;
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            for (LocalDate[] s : spells) {
                if (!day.isBefore(s[0]) && !day.isAfter(s[1])) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    private static String earnings(Person p, LocalDate from, LocalDate to) {
        BigDecimal sum = BigDecimal.ZERO.setScale(2);
        for (String[] pay : p.payments) {
            LocalDate d = date(pay[3]);
            if (!d.isBefore(from) && !d.isAfter(to)) {
                sum = sum.add(new BigDecimal(pay[5]));
            }
        }
        return sum.setScale(2).toPlainString();
    }

    private static List<LocalDate[]> employmentSpells(Person p, LocalDate extract) {
        Map<String, List<String[]>> groups = new HashMap<>();
        for (String[] pay : p.payments) {
            groups.computeIfAbsent(pay[0] + "|" + pay[1], k -> new ArrayList<>()).add(pay);
        }
        List<LocalDate[]> spells = new ArrayList<>();
        for (List<String[]> rows : groups.values()) {
            LocalDate first = null;
            LocalDate last = null;
            LocalDate leaving = null;
            for (String[] row : rows) {
                LocalDate paid = date(row[3]);
                first = first == null || paid.isBefore(first) ? paid : first;
                last = last == null || paid.isAfter(last) ? paid : last;
                if (!row[2].isEmpty()) {
                    LocalDate l = date(row[2]);
                    leaving = leaving == null || l.isAfter(leaving) ? l : leaving;
                }
            }
            LocalDate start = rows.get(0)[1].isEmpty() ? first : date(rows.get(0)[1]);
            LocalDate end;
            if (leaving != null) {
                end = leaving;
            } else if (java.time.temporal.ChronoUnit.DAYS.between(last, extract) > 92) {
                end = null;
                for (String[] row : rows) {
                    if (date(row[3]).equals(last)) {
                        LocalDate candidate = endOfPeriod(last, row[4]);
                        end = end == null || candidate.isAfter(end) ? candidate : end;
                    }
                }
            } else {
                end = extract;
            }
            spells.add(new LocalDate[] {start, end});
        }
        return spells;
    }

    private static LocalDate endOfPeriod(LocalDate paid, String frequency) {
        switch (frequency) {
            case "W1": return paid.plusDays(6);
            case "W2": return paid.plusDays(13);
            case "W4": return paid.plusDays(27);
            case "M1": return paid.plusMonths(1).minusDays(1);
            case "M3": return paid.plusMonths(3).minusDays(1);
            case "M6": return paid.plusMonths(6).minusDays(1);
            case "MA": return paid.plusMonths(12).minusDays(1);
            default: return paid;
        }
    }

    private static String score(Map<String, String> row, String[] items, int[] range) {
        int sum = 0;
        for (String item : items) {
            Integer a = answer(row.get(item), range);
            if (a == null) {
                return "";
            }
            sum += a;
        }
        return String.valueOf(sum);
    }

    private static Integer answer(String text, int[] range) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            int v = Integer.parseInt(text.trim());
            return v >= range[0] && v <= range[1] ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int answered(Map<String, String> row) {
        int n = 0;
        for (Map.Entry<String, String[]> s : SCORES.entrySet()) {
            for (String item : s.getValue()) {
                if (answer(row.get(item), RANGES.get(s.getKey())) != null) {
                    n++;
                }
            }
        }
        n += answer(row.get("employed_now"), new int[] {1, 2}) != null ? 1 : 0;
        n += answer(row.get("hours_per_week"), new int[] {0, 168}) != null ? 1 : 0;
        return n;
    }

    // ---- reading ----

    private static List<Map<String, String>> rows(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            reader.mark(1);
            if (reader.read() != 0xFEFF) {
                reader.reset();
            }
            List<Map<String, String>> rows = new ArrayList<>();
            try (CSVParser parser = CSVParser.parse(reader, CSVFormat.RFC4180)) {
                List<String> header = null;
                for (CSVRecord r : parser) {
                    if (header == null) {
                        header = new ArrayList<>();
                        for (String h : r) {
                            header.add(h.trim().toLowerCase(Locale.ROOT));
                        }
                        continue;
                    }
                    Map<String, String> m = new HashMap<>();
                    if (r.size() != header.size()) {
                        m.put("__bad", "1");
                    } else {
                        for (int i = 0; i < header.size(); i++) {
                            m.put(header.get(i), r.get(i).trim());
                        }
                    }
                    rows.add(m);
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String participantId(String written) {
        String s = written.trim();
        if (s.length() == 9 && (s.charAt(4) == '-' || s.charAt(4) == ' ')) {
            s = s.substring(0, 4) + s.substring(5);
        }
        if (!s.matches("\\d{8}")) {
            return null;
        }
        int interim = 0;
        for (int i = 0; i < 8; i++) {
            interim = DAMM[interim][s.charAt(i) - '0'];
        }
        return interim == 0 ? s : null;
    }

    static String ninoKey(String written) {
        if (written == null) {
            return null;
        }
        String n = written.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
        Matcher m = NINO.matcher(n);
        if (!m.matches()) {
            return null;
        }
        String a = m.group(1);
        String b = m.group(2);
        if ("DFIQUV".contains(a) || "DFIOQUV".contains(b) || List.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ").contains(a + b)) {
            return null;
        }
        return n.substring(0, 8);
    }

    static LocalDate date(String text) {
        Matcher iso = ISO.matcher(text);
        Matcher uk = UK.matcher(text);
        try {
            if (iso.matches()) {
                return LocalDate.of(Integer.parseInt(iso.group(1)), Integer.parseInt(iso.group(2)), Integer.parseInt(iso.group(3)));
            }
            if (uk.matches()) {
                return LocalDate.of(Integer.parseInt(uk.group(3)), Integer.parseInt(uk.group(2)), Integer.parseInt(uk.group(1)));
            }
        } catch (java.time.DateTimeException e) {
            return null;
        }
        return null;
    }

    static String pounds(String text) {
        Matcher m = MONEY.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        String sign = m.group(1) != null && m.group(1).contains("-") ? "-" : "";
        return sign + m.group(2).replace(",", "") + (m.group(4) == null ? "" : m.group(4));
    }

    private void readParticipants(Path file) {
        Map<String, Integer> count = new HashMap<>();
        List<Map<String, String>> rows = rows(file);
        for (Map<String, String> r : rows) {
            String id = r.containsKey("__bad") ? null : participantId(r.get("participant_id"));
            if (id != null) {
                count.merge(id, 1, Integer::sum);
            }
        }
        for (Map<String, String> r : rows) {
            String id = r.containsKey("__bad") ? null : participantId(r.get("participant_id"));
            if (id == null || count.get(id) > 1 || !(r.get("arm").equals("treatment") || r.get("arm").equals("control"))) {
                continue;
            }
            Person p = new Person();
            p.id = id;
            p.site = r.get("site");
            p.arm = r.get("arm");
            p.r = OffsetDateTime.parse(r.get("randomised_at")).atZoneSameInstant(ZoneId.of("Europe/London")).toLocalDate();
            p.dob = r.get("date_of_birth").isEmpty() ? null : date(r.get("date_of_birth"));
            p.ninoKey = ninoKey(r.get("nino"));
            p.consent = r.get("consent_admin_linkage").equalsIgnoreCase("true");
            people.put(id, p);
            if (p.ninoKey != null) {
                byNino.computeIfAbsent(p.ninoKey, k -> new ArrayList<>()).add(p);
            }
        }
    }

    /** The participant an administrative row links to, or null (not linked, whatever the reason). */
    private Person link(Map<String, String> r) {
        if (r.containsKey("__bad")) {
            return null;
        }
        String key = ninoKey(r.get("nino"));
        List<Person> matches = key == null ? null : byNino.get(key);
        if (matches == null || matches.size() != 1 || !matches.get(0).consent) {
            return null;
        }
        Person p = matches.get(0);
        String dobText = r.getOrDefault("date_of_birth", "");
        if (!dobText.isEmpty()) {
            LocalDate dob = date(dobText);
            if (dob == null || (p.dob != null && !dob.equals(p.dob))) {
                return null;
            }
        }
        return p;
    }

    private void readPayroll(Path file) {
        for (Map<String, String> r : rows(file)) {
            Person p = link(r);
            if (p == null || r.get("employer_ref").isEmpty() || date(r.get("payment_date")) == null) {
                continue;
            }
            String start = r.get("employment_start_date");
            String leaving = r.get("employment_end_date");
            String frequency = r.get("pay_frequency").toUpperCase(Locale.ROOT);
            String pounds = pounds(r.get("taxable_pay"));
            String band = r.getOrDefault("hours_band", "").toUpperCase(Locale.ROOT);
            if ((!start.isEmpty() && date(start) == null) || (!leaving.isEmpty() && date(leaving) == null) || pounds == null
                    || !List.of("W1", "W2", "W4", "M1", "M3", "M6", "MA", "IO", "IR").contains(frequency)
                    || !(band.isEmpty() || List.of("A", "B", "C", "D", "E").contains(band))) {
                continue;
            }
            p.payments.add(new String[] {r.get("employer_ref"), start.isEmpty() ? "" : date(start).toString(),
                leaving.isEmpty() ? "" : date(leaving).toString(), date(r.get("payment_date")).toString(), frequency, pounds});
            payrollLinked++;
        }
    }

    private void readBenefits(Path file) {
        for (Map<String, String> r : rows(file)) {
            Person p = link(r);
            if (p == null) {
                continue;
            }
            String benefit = r.get("benefit").toUpperCase(Locale.ROOT);
            String regime = r.getOrDefault("uc_regime", "").toLowerCase(Locale.ROOT);
            LocalDate start = date(r.get("start_date"));
            String endText = r.get("end_date");
            LocalDate end = endText.isEmpty() ? null : date(endText);
            if (benefit.isEmpty() || (!regime.isEmpty() && !REGIMES.contains(regime)) || start == null
                    || (!endText.isEmpty() && (end == null || end.isBefore(start)))) {
                continue;
            }
            p.spells.add(new String[] {benefit, benefit.equals("UC") ? regime : "", start.toString(), end == null ? "" : end.toString()});
            benefitsLinked++;
        }
    }

    private void readSurvey(Path file, String wave, String code) {
        List<Map<String, String>> rows = rows(file);
        for (int line = 0; line < rows.size(); line++) {
            Map<String, String> r = rows.get(line);
            if (r.containsKey("__bad")) {
                continue;
            }
            String id = participantId(r.get("participant_id"));
            Person p = id == null ? null : people.get(id);
            if (p == null) {
                continue;
            }
            if (code != null && (!r.get("wave").equalsIgnoreCase(code) || date(r.get("interview_date")) == null)) {
                continue;
            }
            Map<String, String> before = p.interviews.get(wave);
            if (before == null) {
                p.interviews.put(wave, r);
                continue;
            }
            int a = answered(before);
            int b = answered(r);
            boolean later = code != null && date(r.get("interview_date")).isAfter(date(before.get("interview_date")));
            if (b > a || (b == a && later)) {
                p.interviews.put(wave, r);
            }
        }
    }
}
