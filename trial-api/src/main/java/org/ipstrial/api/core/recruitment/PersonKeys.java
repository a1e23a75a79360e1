package org.ipstrial.api.core.recruitment;

import java.util.ArrayList;
import java.util.List;
import org.ipstrial.api.core.person.PersonName;
import org.ipstrial.api.db.RecruitDao.IdentityRow;

/**
 * The keys that say two records are the same person: the National Insurance number (first eight
 * characters), the NHS number, and the folded name with date of birth and postcode. Stored only
 * as keyed hashes, in an erasable table.
 */
final class PersonKeys {
    private PersonKeys() {}

    static List<byte[]> of(TrialContext trial, IdentityRow identity) {
        List<byte[]> keys = new ArrayList<>();
        if (identity.nino() != null) {
            keys.add(trial.personKey("nino", identity.nino().substring(0, 8)));
        }
        if (identity.nhsNumber() != null) {
            keys.add(trial.personKey("nhs", identity.nhsNumber()));
        }
        keys.add(trial.personKey("name-dob-postcode", PersonName.fold(identity.givenName()) + "|"
                + PersonName.fold(identity.familyName()) + "|" + identity.dateOfBirth() + "|"
                + identity.postcode().replace(" ", "")));
        return keys;
    }
}
