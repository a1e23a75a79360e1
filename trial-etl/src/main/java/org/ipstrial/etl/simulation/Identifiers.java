package org.ipstrial.etl.simulation;

import java.util.Set;
import java.util.SplittableRandom;
import org.ipstrial.identifiers.ParticipantId;

/**
 * Made-up identifiers in the formats the trial uses: participant identifiers (7 digits and a Damm
 * check digit, as the service issues them), National Insurance numbers with valid prefixes, NHS
 * numbers in the 999 range reserved for testing, and postcodes of the right shape in postcode
 * areas that do not exist (ZA, ZB...), so no simulated record can be mistaken for a real person.
 */
final class Identifiers {
    private static final String FIRST_LETTERS = "ABCEGHJKLMNOPRSTWXYZ";
    private static final String SECOND_LETTERS = "ABCEGHJKLMNPRSTWXYZ";
    private static final Set<String> INVALID_PAIRS = Set.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ");
    private static final String POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

    private Identifiers() {}

    static String participantId(SplittableRandom random) {
        String body = String.format("%07d", random.nextInt(10_000_000));
        return body + ParticipantId.checkDigit(body);
    }

    /** Accepts 8 digits with an optional hyphen or space after the fourth (the contract's rule). */
    static boolean isValidParticipantId(String text) {
        return ParticipantId.parse(text).isPresent();
    }

    /** A valid, normalised National Insurance number (two letters, six digits, suffix A-D). */
    static String nino(SplittableRandom random) {
        while (true) {
            String prefix = "" + FIRST_LETTERS.charAt(random.nextInt(FIRST_LETTERS.length()))
                    + SECOND_LETTERS.charAt(random.nextInt(SECOND_LETTERS.length()));
            if (!INVALID_PAIRS.contains(prefix)) {
                return prefix + String.format("%06d", random.nextInt(1_000_000)) + "ABCD".charAt(random.nextInt(4));
            }
        }
    }

    /** Ten digits from 999 (the range reserved for testing), the last a modulus-11 check digit. */
    static String nhsNumber(SplittableRandom random) {
        while (true) {
            String body = "999" + String.format("%06d", random.nextInt(1_000_000));
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (body.charAt(i) - '0') * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 11) {
                check = 0;
            }
            if (check != 10) {
                return body + check;
            }
        }
    }

    /** A postcode of the right shape in a made-up area ("Z" and the site's letter). */
    static String postcode(SplittableRandom random, String site) {
        char area = Character.isLetter(site.charAt(0)) ? Character.toUpperCase(site.charAt(0)) : 'A';
        return "Z" + area + (1 + random.nextInt(20)) + " " + random.nextInt(10)
                + POSTCODE_LETTERS.charAt(random.nextInt(POSTCODE_LETTERS.length()))
                + POSTCODE_LETTERS.charAt(random.nextInt(POSTCODE_LETTERS.length()));
    }
}
