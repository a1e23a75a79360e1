package org.ipstrial.etl.derive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The questionnaire configuration in force: the totals to compute and the single items carried
 * through (e.g. {@code employed_now}). Together they name every item column a survey file may hold.
 */
public final class Questionnaires {
    private final List<ScoreDefinition> scores;
    private final List<CarriedItem> carriedItems;
    private final List<SurveyItem> catalogue;
    private final Map<String, Integer> catalogueIndex = new java.util.HashMap<>();

    /**
     * An item copied to the dataset as answered (in range) or empty.
     *
     * @param decimals how many decimals an answer may have (0: whole numbers; {@code hours_per_week}: 2)
     */
    public record CarriedItem(String name, String label, int min, int max, String codes, int decimals) {
        public CarriedItem {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(codes, "codes");
            new SurveyItem(name, min, max, decimals);
        }

        /** A whole-number item. */
        public CarriedItem(String name, String label, int min, int max, String codes) {
            this(name, label, min, max, codes, 0);
        }

        public SurveyItem item() {
            return new SurveyItem(name, min, max, decimals);
        }
    }

    public Questionnaires(List<ScoreDefinition> scores, List<CarriedItem> carriedItems) {
        this.scores = List.copyOf(scores);
        this.carriedItems = List.copyOf(carriedItems);
        Map<String, SurveyItem> seen = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (ScoreDefinition s : this.scores) {
            if (names.contains(s.name())) {
                throw new IllegalArgumentException("score " + s.name() + " is defined twice");
            }
            names.add(s.name());
            for (String item : s.items()) {
                SurveyItem range = new SurveyItem(item, s.min(), s.max());
                SurveyItem before = seen.putIfAbsent(item, range);
                if (before != null && !before.equals(range)) {
                    throw new IllegalArgumentException("item " + item + " has two different ranges");
                }
            }
        }
        for (CarriedItem c : this.carriedItems) {
            if (names.contains(c.name())) {
                throw new IllegalArgumentException("item " + c.name() + " is both a score and a carried item");
            }
            names.add(c.name());
        }
        this.catalogue = buildCatalogue();
        for (int i = 0; i < catalogue.size(); i++) {
            catalogueIndex.put(catalogue.get(i).column(), i);
        }
    }

    public List<ScoreDefinition> scores() {
        return scores;
    }

    public List<CarriedItem> carriedItems() {
        return carriedItems;
    }

    /** Every item column, each once, in a fixed order: score items first, then carried items. */
    public List<SurveyItem> itemCatalogue() {
        return catalogue;
    }

    /** The item of a column of the catalogue. */
    public SurveyItem item(String column) {
        return catalogue.get(catalogueIndex.get(column));
    }

    /** The position of an item column in the catalogue, or -1. */
    public int indexOf(String column) {
        return catalogueIndex.getOrDefault(column, -1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Questionnaires q && q.scores.equals(scores) && q.carriedItems.equals(carriedItems);
    }

    @Override
    public int hashCode() {
        return scores.hashCode() * 31 + carriedItems.hashCode();
    }

    private List<SurveyItem> buildCatalogue() {
        Map<String, SurveyItem> items = new LinkedHashMap<>();
        for (ScoreDefinition s : scores) {
            for (String item : s.items()) {
                items.putIfAbsent(item, new SurveyItem(item, s.min(), s.max()));
            }
        }
        for (CarriedItem c : carriedItems) {
            items.putIfAbsent(c.name(), c.item());
        }
        return List.copyOf(items.values());
    }
}
