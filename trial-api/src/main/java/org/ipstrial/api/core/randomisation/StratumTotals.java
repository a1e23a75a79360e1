package org.ipstrial.api.core.randomisation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ipstrial.randomiser.MarginalTotals;
import org.ipstrial.randomiser.MinimisationDesign;
import org.ipstrial.randomiser.MinimisationFactor;
import org.ipstrial.randomiser.MinimisedAllocation;

/**
 * A minimisation stratum's marginal totals as its lock row keeps them: one count per factor, level
 * and arm, flattened in the design's orders ([factor][level][arm]); null before the first
 * allocation. The factors, levels and arms never change in a trial (a changed list changes the
 * recorded version 1, which stops the service), so the layout is fixed.
 */
public record StratumTotals(MinimisationDesign design, MarginalTotals totals) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The totals of a lock row holding {@code allocations} allocations; refuses a row whose counts do not add up. */
    public static StratumTotals of(MinimisationDesign design, Long[] flat, long allocations) {
        MarginalTotals totals = new MarginalTotals(design);
        if (flat == null) {
            if (allocations != 0) {
                throw new IllegalStateException("a minimisation stratum with " + allocations + " allocations has no totals");
            }
            return new StratumTotals(design, totals);
        }
        if (flat.length != size(design)) {
            throw new IllegalStateException("a stratum's totals hold " + flat.length + " counts where the design has " + size(design));
        }
        int i = 0;
        for (MinimisationFactor factor : design.factors()) {
            long sum = 0;
            for (String level : factor.levels()) {
                for (String arm : design.arms()) {
                    totals.set(factor.name(), level, arm, flat[i]);
                    sum += flat[i++];
                }
            }
            if (sum != allocations) {
                throw new IllegalStateException("factor " + factor.name() + ": a stratum's totals add up to " + sum + ", not "
                        + allocations + " allocations");
            }
        }
        totals.setAllocations(allocations);
        return new StratumTotals(design, totals);
    }

    /** The totals with this allocation added, flattened as text (bound as a text array). */
    public String[] after(MinimisedAllocation allocation) {
        MarginalTotals next = totals.copy();
        next.add(allocation.levels(), allocation.arm());
        String[] flat = new String[size(design)];
        int i = 0;
        for (MinimisationFactor factor : design.factors()) {
            for (String level : factor.levels()) {
                for (String arm : design.arms()) {
                    flat[i++] = Long.toString(next.count(factor.name(), level, arm));
                }
            }
        }
        return flat;
    }

    private static int size(MinimisationDesign design) {
        return design.factors().stream().mapToInt(f -> f.levels().size()).sum() * design.arms().size();
    }

    /** A recruit's levels as the allocation row keeps them: a JSON object, factor to level. */
    public static String levelsJson(Map<String, String> levels) {
        try {
            return JSON.writeValueAsString(levels);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The levels of an allocation row, in the design's factor order. */
    public static Map<String, String> levels(MinimisationDesign design, String json) {
        Map<String, String> read;
        try {
            read = JSON.readValue(json, new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an allocation's factor levels are not JSON", e);
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        design.factorNames().forEach(f -> {
            if (read.containsKey(f)) {
                ordered.put(f, read.get(f));
            }
        });
        read.forEach(ordered::putIfAbsent);
        return ordered;
    }
}
