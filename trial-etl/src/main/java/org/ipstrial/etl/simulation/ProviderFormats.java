package org.ipstrial.etl.simulation;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The ways data providers write the same value (the contract's section "All files" and "Linking"):
 * National Insurance numbers with spaces, in lower case, without their suffix or with a space for
 * it; dates as YYYY-MM-DD or DD/MM/YYYY; money with a pound sign, thousands separators, no pence,
 * or a minus sign. Every form here is one the contract says a reader must accept.
 */
final class ProviderFormats {
    private static final DateTimeFormatter DAY_FIRST = DateTimeFormatter.ofPattern("dd/MM/yyyy", Locale.ROOT);

    private ProviderFormats() {}

    static String nino(String normalised, SplittableRandom random, SimulationConfig.Messiness m) {
        String nino = normalised;
        if (Streams.chance(random, m.ninoNoSuffix())) {
            // Some sources drop the suffix; some leave a space where it was.
            nino = nino.substring(0, 8) + (Streams.chance(random, 0.3) ? " " : "");
        }
        if (Streams.chance(random, m.ninoSpaced())) {
            nino = nino.substring(0, 2) + " " + nino.substring(2, 4) + " " + nino.substring(4, 6) + " " + nino.substring(6, 8)
                    + (nino.length() > 8 ? " " + nino.substring(8) : "");
        }
        if (Streams.chance(random, m.ninoLowerCase())) {
            nino = nino.toLowerCase(Locale.ROOT);
        }
        return nino;
    }

    static String date(LocalDate date, SplittableRandom random, SimulationConfig.Messiness m) {
        if (date == null) {
            return "";
        }
        return Streams.chance(random, m.dayFirstDates()) ? DAY_FIRST.format(date) : date.toString();
    }

    static String money(long pence, SplittableRandom random, SimulationConfig.Messiness m) {
        boolean negative = pence < 0;
        long abs = Math.abs(pence);
        boolean separators = Streams.chance(random, m.moneyThousandsSeparator());
        String pounds = separators ? String.format(Locale.ROOT, "%,d", abs / 100) : Long.toString(abs / 100);
        String text = abs % 100 == 0 && Streams.chance(random, 0.5) ? pounds : pounds + String.format(Locale.ROOT, ".%02d", abs % 100);
        if (negative) {
            return "-" + text; // adjustments: a minus sign, no pound sign
        }
        return Streams.chance(random, m.moneyPoundSign()) ? "£" + text : text;
    }

    /** A participant identifier as printed or typed: plain, or with a hyphen or space after the fourth digit. */
    static String participantId(String id, SplittableRandom random, SimulationConfig.Messiness m) {
        if (!Streams.chance(random, m.hyphenatedIds())) {
            return id;
        }
        return id.substring(0, 4) + (Streams.chance(random, 0.7) ? "-" : " ") + id.substring(4);
    }

    /** A participant identifier with one digit mistyped: the Damm check always catches it. */
    static String mistyped(String id, SplittableRandom random) {
        int position = random.nextInt(8);
        char digit = id.charAt(position);
        char other = (char) ('0' + (digit - '0' + 1 + random.nextInt(9)) % 10);
        return id.substring(0, position) + other + id.substring(position + 1);
    }

    /** A National Insurance number no reader may accept: a prefix never issued, or too short. */
    static String invalidNino(String normalised, SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> "D" + normalised.substring(1);
            case 1 -> normalised.charAt(0) + "O" + normalised.substring(2);
            default -> normalised.substring(0, 7);
        };
    }

    /** A date no reader may accept. */
    static String invalidDate(LocalDate date, SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> date.getYear() + "-13-" + String.format(Locale.ROOT, "%02d", date.getDayOfMonth());
            case 1 -> String.format(Locale.ROOT, "%02d.%02d.%d", date.getDayOfMonth(), date.getMonthValue(), date.getYear());
            default -> "31/02/" + date.getYear();
        };
    }
}
