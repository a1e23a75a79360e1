package org.ipstrial.etl.simulation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ipstrial.config.ConfigFile;
import org.ipstrial.config.Problem;

/**
 * The parts of the trial definition (config/trial-demo.yml) the simulation needs: sites and their
 * areas, trial groups, the screening criteria of each group, and the baseline questionnaire. Read
 * from the same file the service reads, so the simulated exports use the service's codes and item
 * names; everything else in that file is left to the service.
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

    /** The parts of the definition file read here; the service's reader checks the rest of it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record DefinitionFile(@NotNull @Valid List<@NotNull SiteFile> sites, @NotNull @Valid List<@NotNull GroupFile> trialGroups,
            @NotEmpty @Valid List<@NotNull EligibilityFile> eligibility, @NotNull @Valid BaselineFile baseline)
            implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            List<Problem> problems = new ArrayList<>();
            for (int i = 0; i < trialGroups.size(); i++) {
                String site = trialGroups.get(i).site();
                if (sites.stream().noneMatch(s -> s.code().equals(site))) {
                    problems.add(Problem.at("site " + site + " is not one of the sites", "trialGroups", i, "site"));
                }
            }
            return problems;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SiteFile(@NotBlank String code, @NotEmpty(message = "a site needs at least one area") @Valid List<@NotNull AreaFile> areas) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AreaFile(@NotBlank String code) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record GroupFile(@NotBlank String code, @NotBlank String site) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record EligibilityFile(@NotNull @Valid List<@NotNull CriterionFile> criteria) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CriterionFile(@NotBlank String id, List<@NotBlank String> trialGroups) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record BaselineFile(@NotBlank String version, @NotNull @Valid List<@NotNull ItemFile> items) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ItemFile(@NotBlank String id, @NotNull ItemType type, @Valid List<@NotNull AnswerFile> codes, Integer min, Integer max)
            implements ConfigFile.CrossFieldRules {
        @Override
        public List<Problem> problems() {
            if (type != ItemType.integer) {
                return codes == null ? List.of(Problem.at("is required", "codes")) : List.of();
            }
            return min == null || max == null || min > max ? List.of(Problem.at("a whole-number item needs min <= max")) : List.of();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AnswerFile(@Min(0) @Max(10_000) int code) {}

    static TrialShape read(Path file) {
        return ConfigFile.of(DefinitionFile.class).read(file, d -> new TrialShape(
                d.sites().stream().map(s -> new Site(s.code(), s.areas().stream().map(AreaFile::code).toList())).toList(),
                d.trialGroups().stream().map(g -> new TrialGroup(g.code(), g.site())).toList(),
                // The criteria of the latest eligibility version: the simulation screens with one version.
                d.eligibility().get(d.eligibility().size() - 1).criteria().stream()
                        .map(c -> new Criterion(c.id(), Objects.requireNonNullElse(c.trialGroups(), List.of()))).toList(),
                d.baseline().version(), d.baseline().items().stream().map(i -> i.type() == ItemType.integer
                        ? new BaselineItem(i.id(), i.type(), List.of(), i.min(), i.max())
                        : new BaselineItem(i.id(), i.type(), i.codes().stream().map(AnswerFile::code).toList(), 0, 0)).toList()));
    }
}
