package org.ipstrial.api.core.person;

import java.text.Normalizer;
import java.util.Locale;

/** Names as compared when looking for the same person twice: case, spaces, accents and punctuation folded. */
public final class PersonName {
    private PersonName() {}

    public static String fold(String name) {
        String decomposed = Normalizer.normalize(name == null ? "" : name, Normalizer.Form.NFKD);
        return decomposed.replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }
}
