package org.ipstrial.etl.link;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ipstrial.identifiers.ParticipantId;
import org.ipstrial.etl.records.Participant;

/**
 * The accepted participants, in file order, with the two linkage indexes: by participant identifier
 * (surveys) and by the first eight characters of the National Insurance number (administrative
 * files). A NINO recorded for two participants links to neither: such rows are quarantined.
 */
public final class ParticipantRegister {
    private final List<Participant> participants;
    private final Map<ParticipantId, Integer> byId = new HashMap<>();
    private final Map<String, Integer> byNinoKey = new HashMap<>();
    private final Set<String> sharedNinoKeys = new HashSet<>();

    public ParticipantRegister(List<Participant> participants) {
        this.participants = List.copyOf(participants);
        for (int i = 0; i < this.participants.size(); i++) {
            Participant p = this.participants.get(i);
            if (byId.put(p.id(), i) != null) {
                throw new IllegalArgumentException("participant identifiers must be unique");
            }
            if (p.nino().isPresent()) {
                String key = p.nino().get().linkageKey();
                if (byNinoKey.putIfAbsent(key, i) != null) {
                    sharedNinoKeys.add(key);
                }
            }
        }
        sharedNinoKeys.forEach(byNinoKey::remove);
    }

    public List<Participant> participants() {
        return participants;
    }

    public int size() {
        return participants.size();
    }

    public Participant get(int index) {
        return participants.get(index);
    }

    public Optional<Integer> indexOf(ParticipantId id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** What an administrative row's NINO key finds. */
    public sealed interface NinoMatch {
        record One(int index) implements NinoMatch {}

        record Several() implements NinoMatch {}

        record None() implements NinoMatch {}
    }

    public NinoMatch matchNino(String linkageKey) {
        Integer i = byNinoKey.get(linkageKey);
        if (i != null) {
            return new NinoMatch.One(i);
        }
        return sharedNinoKeys.contains(linkageKey) ? new NinoMatch.Several() : new NinoMatch.None();
    }

    /** How many participants share their NINO with someone else (their rows cannot link). */
    public long participantsSharingANino() {
        return participants.stream().filter(p -> p.nino().map(n -> sharedNinoKeys.contains(n.linkageKey())).orElse(false)).count();
    }
}
