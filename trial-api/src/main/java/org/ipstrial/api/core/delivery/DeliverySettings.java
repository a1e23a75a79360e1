package org.ipstrial.api.core.delivery;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.ipstrial.definition.TrialDefinition;
import org.ipstrial.config.ConfigFile;
import org.ipstrial.config.Problem;

/**
 * Delivery monitoring and the IPS fidelity scale as configured (config/delivery-demo.yml): the
 * services and the areas they cover, the caseload limit, time limits, and the scale's items, bands
 * and item-15 day bands. Read by the project's one configuration reader; the rules within the file
 * are the records' {@code problems()}, the one against the trial definition (every area in exactly
 * one service) is checked after binding.
 */
public record DeliverySettings(@NotEmpty @Valid List<@NotNull Service> services, @Min(1) int caseloadLimitPerFte,
        @Valid TimeLimits timeLimits, @NotNull @Valid FidelityScale fidelityScale) implements ConfigFile.CrossFieldRules {
    public DeliverySettings {
        services = List.copyOf(services);
        timeLimits = Objects.requireNonNullElse(timeLimits, new TimeLimits(null, null));
    }

    @Override
    public List<Problem> problems() {
        Set<String> codes = new HashSet<>();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < services.size(); i++) {
            if (!codes.add(services.get(i).code())) {
                problems.add(Problem.at(services.get(i).code() + " is given twice", "services", i, "code"));
            }
        }
        return problems;
    }

    public record Service(@NotBlank String code, @NotBlank String name, @NotBlank String site, @NotNull List<@NotBlank String> areas) {
        public Service {
            areas = List.copyOf(areas);
        }
    }

    /** "IPS-lite" limits in months; null: time-unlimited. */
    public record TimeLimits(Integer jobSeekingMonths, Integer inWorkSupportMonths) {}

    public record FidelityScale(@NotBlank String version, @NotNull @Valid List<@NotNull Band> bands,
            @NotNull List<@NotNull Integer> remoteAdjustedItems, @NotNull @Valid List<@NotNull Item> items,
            @NotNull @Valid List<@NotNull DayBand> item15DayBands) implements ConfigFile.CrossFieldRules {
        public FidelityScale {
            bands = List.copyOf(bands);
            remoteAdjustedItems = List.copyOf(remoteAdjustedItems);
            items = List.copyOf(items);
            item15DayBands = List.copyOf(item15DayBands);
        }

        @Override
        public List<Problem> problems() {
            List<Problem> problems = new ArrayList<>();
            if (!items.stream().map(Item::item).toList().equals(IntStream.rangeClosed(1, 25).boxed().toList())) {
                problems.add(Problem.at("must be items 1 to 25, in order, once each", "items"));
            }
            if (!bands.stream().map(Band::band).collect(Collectors.toSet()).equals(BAND_CODES) || bands.size() != 4
                    || bands.get(bands.size() - 1).minimum() != 25) {
                problems.add(Problem.at("must name " + BAND_CODES + " once each, the last from 25", "bands"));
            }
            for (int i = 1; i < bands.size(); i++) {
                if (bands.get(i).minimum() >= bands.get(i - 1).minimum()) {
                    problems.add(Problem.at("must be below the band before it", "bands", i, "minimum"));
                }
            }
            var days = item15DayBands;
            if (days.isEmpty() || days.get(days.size() - 1).upToDays() != null
                    || days.stream().limit(days.size() - 1).anyMatch(d -> d.upToDays() == null)) {
                return List.of(Problem.at("every band but the last needs upToDays; the last has none", "item15DayBands"));
            }
            for (int i = 1; i < days.size() - 1; i++) {
                if (days.get(i).upToDays() <= days.get(i - 1).upToDays()) {
                    problems.add(Problem.at("must rise", "item15DayBands", i, "upToDays"));
                }
            }
            return problems;
        }

        /** The band of a total: the first (highest) whose minimum it reaches. */
        public String bandOf(int total) {
            return bands.stream().filter(b -> total >= b.minimum()).findFirst().orElseThrow().band();
        }

        /** Item 15's score for a number of days from vocational profile to first face-to-face employer contact. */
        public int item15Score(long days) {
            return item15DayBands.stream().filter(b -> b.upToDays() == null || days <= b.upToDays()).findFirst().orElseThrow().score();
        }
    }

    public record Band(@NotBlank String band, int minimum) {}

    public record Item(int item, @NotBlank String section, @NotBlank String text) {}

    public record DayBand(int score, Integer upToDays) {}

    static final Set<String> BAND_CODES = Set.of("exemplary", "good", "fair", "not_supported_employment");

    /** Reads and checks the file against the trial definition (every area in exactly one service). */
    public static DeliverySettings load(Path file, TrialDefinition definition) {
        return ConfigFile.of(DeliverySettings.class).read(file, settings -> settings.covering(definition));
    }

    private DeliverySettings covering(TrialDefinition definition) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < services.size(); i++) {
            Service s = services.get(i);
            Optional<TrialDefinition.Site> site = definition.site(s.site());
            if (site.isEmpty()) {
                throw new Problem.Refused(Problem.at(s.site() + " is not a site of the trial definition", "services", i, "site"));
            }
            for (int j = 0; j < s.areas().size(); j++) {
                String area = s.areas().get(j);
                if (!site.get().hasArea(area)) {
                    throw new Problem.Refused(Problem.at(area + " is not an area of site " + s.site(), "services", i, "areas", j));
                }
                if (!seen.add(area)) {
                    throw new Problem.Refused(Problem.at(area + " belongs to two services", "services", i, "areas", j));
                }
            }
        }
        definition.sites().stream().flatMap(site -> site.areas().stream()).filter(area -> !seen.contains(area.code())).findFirst()
                .ifPresent(area -> {
                    throw new Problem.Refused(Problem.at("area " + area.code() + " belongs to no service", "services"));
                });
        return this;
    }

    /** The service (provider) that covers an area. */
    public Service serviceOfArea(String area) {
        return services.stream().filter(s -> s.areas().contains(area)).findFirst()
                .orElseThrow(() -> new IllegalStateException("area " + area + " belongs to no service"));
    }

    public Optional<Service> service(String code) {
        return services.stream().filter(s -> s.code().equals(code)).findFirst();
    }
}
