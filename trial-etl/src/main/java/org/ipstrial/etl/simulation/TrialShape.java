package org.ipstrial.etl.simulation;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.definition.TrialDefinitionFile;

/**
 * The parts of the trial definition (config/trial-demo.yml) the simulation needs: sites and their
 * areas, trial groups, the screening criteria of each group, and the baseline questionnaire. Read
 * from the same file, by the same reader, as the service, so the simulated exports use the service's
 * codes and item names.
 */
record TrialShape(List<Site> sites, List<TrialGroup> trialGroups, List<Criterion> criteria, String baselineVersion,
        List<BaselineItem> baselineItems) {

    record Site(String code, List<String> areas) {
        Site {
            Objects.requireNonNull(code, "site code");
            areas = List.copyOf(areas);
        }
    }

    record TrialGroup(String code, String site) {}

    /** A screening criterion; {@code trialGroups} empty means every group. */
    record Criterion(String id, List<String> trialGroups) {
        Criterion {
            trialGroups = List.copyOf(trialGroups);
        }

        boolean appliesTo(String group) {
            return trialGroups.isEmpty() || trialGroups.contains(group);
        }
    }

    enum ItemType { single, multi, integer }

    /** A baseline item: its codes (single, multi) or range (integer). */
    record BaselineItem(String id, ItemType type, List<Integer> codes, int min, int max) {
        BaselineItem {
            codes = List.copyOf(codes);
        }

        /** Column names in the service's baseline export: one per code for a multi-choice item. */
        List<String> columns() {
            return type == ItemType.multi ? codes.stream().map(c -> id + "_" + c).toList() : List.of(id);
        }
    }

    TrialShape {
        sites = List.copyOf(sites);
        trialGroups = List.copyOf(trialGroups);
        criteria = List.copyOf(criteria);
        baselineItems = List.copyOf(baselineItems);
    }

    Site site(String code) {
        return sites.stream().filter(s -> s.code().equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no site " + code));
    }

    TrialGroup trialGroup(String code) {
        return trialGroups.stream().filter(g -> g.code().equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no trial group " + code));
    }

    /** The definition as the service reads it (and checks it), reduced to what the simulation uses. */
    static TrialShape read(Path file) {
        TrialDefinition d = TrialDefinitionFile.load(file);
        return new TrialShape(
                d.sites().stream().map(s -> new Site(s.code(), s.areas().stream().map(TrialDefinition.Area::code).toList())).toList(),
                d.trialGroups().stream().map(g -> new TrialGroup(g.code(), g.site())).toList(),
                // The criteria of the latest eligibility version: the simulation screens with one version.
                d.eligibility().get(d.eligibility().size() - 1).criteria().stream().map(c -> new Criterion(c.id(), c.trialGroups())).toList(),
                d.baseline().version(), d.baseline().items().stream().map(i -> new BaselineItem(i.id(), ItemType.valueOf(i.type().name()),
                        i.codes().stream().map(TrialDefinition.AnswerCode::code).toList(),
                        i.type() == TrialDefinition.ItemType.integer ? i.min() : 0, i.type() == TrialDefinition.ItemType.integer ? i.max() : 0))
                        .toList());
    }
}
