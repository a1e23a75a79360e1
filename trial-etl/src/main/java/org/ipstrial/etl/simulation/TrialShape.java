package org.ipstrial.etl.simulation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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

    static TrialShape read(Path file) {
        ConfigNode root = ConfigNode.read(file);
        List<Site> sites = new ArrayList<>();
        for (ConfigNode site : root.required("sites").list()) {
            List<String> areas = new ArrayList<>();
            for (ConfigNode area : site.required("areas").list()) {
                areas.add(area.required("code").text());
            }
            if (areas.isEmpty()) {
                throw site.fail("a site needs at least one area");
            }
            sites.add(new Site(site.required("code").text(), areas));
        }
        List<TrialGroup> groups = new ArrayList<>();
        for (ConfigNode group : root.required("trialGroups").list()) {
            String site = group.required("site").text();
            if (sites.stream().noneMatch(s -> s.code().equals(site))) {
                throw group.fail("site " + site + " is not one of the sites");
            }
            groups.add(new TrialGroup(group.required("code").text(), site));
        }
        // The criteria of the latest eligibility version: the simulation screens with one version.
        List<ConfigNode> versions = root.required("eligibility").list();
        List<Criterion> criteria = new ArrayList<>();
        for (ConfigNode criterion : versions.get(versions.size() - 1).required("criteria").list()) {
            List<String> only = criterion.has("trialGroups") ? criterion.required("trialGroups").texts() : List.of();
            criteria.add(new Criterion(criterion.required("id").text(), only));
        }
        ConfigNode baseline = root.required("baseline");
        List<BaselineItem> items = new ArrayList<>();
        for (ConfigNode item : baseline.required("items").list()) {
            String id = item.required("id").text();
            ConfigNode typeNode = item.required("type");
            ItemType type;
            try {
                type = ItemType.valueOf(typeNode.text());
            } catch (IllegalArgumentException e) {
                throw typeNode.fail("type must be single, multi or integer");
            }
            List<Integer> codes = new ArrayList<>();
            if (type != ItemType.integer) {
                for (ConfigNode code : item.required("codes").list()) {
                    codes.add(code.required("code").integer(0, 10_000));
                }
            }
            int min = type == ItemType.integer ? item.required("min").integer(-1_000_000, 1_000_000) : 0;
            int max = type == ItemType.integer ? item.required("max").integer(min, 1_000_000) : 0;
            items.add(new BaselineItem(id, type, codes, min, max));
        }
        return new TrialShape(sites, groups, criteria, baseline.required("version").text(), items);
    }
}
