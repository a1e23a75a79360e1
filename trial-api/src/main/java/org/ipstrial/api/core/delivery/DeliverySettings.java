package org.ipstrial.api.core.delivery;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.ipstrial.api.core.definition.DefinitionException;
import org.ipstrial.api.core.definition.TrialDefinition;

/**
 * Delivery monitoring and the IPS fidelity scale as configured (config/delivery-demo.yml): the
 * services and the areas they cover, the caseload limit, time limits, and the scale's items, bands
 * and item-15 day bands. The reader is self-contained on purpose (Jackson's YAML binding into these
 * records, then {@link #check}), so it moves to another configuration reader in one piece.
 */
public record DeliverySettings(List<Service> services, int caseloadLimitPerFte, TimeLimits timeLimits, FidelityScale fidelityScale) {
    public DeliverySettings {
        services = List.copyOf(services);
    }

    public record Service(String code, String name, String site, List<String> areas) {
        public Service {
            areas = List.copyOf(areas);
        }
    }

    /** "IPS-lite" limits in months; null: time-unlimited. */
    public record TimeLimits(Integer jobSeekingMonths, Integer inWorkSupportMonths) {}

    public record FidelityScale(String version, List<Band> bands, List<Integer> remoteAdjustedItems, List<Item> items,
            List<DayBand> item15DayBands) {
        public FidelityScale {
            bands = List.copyOf(bands);
            remoteAdjustedItems = List.copyOf(remoteAdjustedItems);
            items = List.copyOf(items);
            item15DayBands = List.copyOf(item15DayBands);
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

    public record Band(String band, int minimum) {}

    public record Item(int item, String section, String text) {}

    public record DayBand(int score, Integer upToDays) {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
    static final Set<String> BAND_CODES = Set.of("exemplary", "good", "fair", "not_supported_employment");

    /** Reads and checks the file against the trial definition (every area in exactly one service). */
    public static DeliverySettings load(Path file, TrialDefinition definition) {
        DeliverySettings settings;
        try {
            settings = YAML.readValue(Files.readString(file, StandardCharsets.UTF_8), DeliverySettings.class);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw new DefinitionException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), field, e.getOriginalMessage());
        } catch (IOException e) {
            throw new DefinitionException(file, 0, "", "cannot be read or is not valid YAML (" + e.getClass().getSimpleName() + ")");
        }
        settings.check(file, definition);
        return settings;
    }

    private void check(Path file, TrialDefinition definition) {
        Set<String> seen = new HashSet<>();
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < services.size(); i++) {
            Service s = services.get(i);
            if (!codes.add(s.code())) {
                throw new DefinitionException(file, 0, "services[" + i + "].code", s.code() + " is given twice");
            }
            Optional<TrialDefinition.Site> site = definition.site(s.site());
            if (site.isEmpty()) {
                throw new DefinitionException(file, 0, "services[" + i + "].site", s.site() + " is not a site of the trial definition");
            }
            for (String area : s.areas()) {
                if (!site.get().hasArea(area)) {
                    throw new DefinitionException(file, 0, "services[" + i + "].areas", area + " is not an area of site " + s.site());
                }
                if (!seen.add(area)) {
                    throw new DefinitionException(file, 0, "services[" + i + "].areas", area + " belongs to two services");
                }
            }
        }
        for (var site : definition.sites()) {
            for (var area : site.areas()) {
                if (!seen.contains(area.code())) {
                    throw new DefinitionException(file, 0, "services", "area " + area.code() + " belongs to no service");
                }
            }
        }
        if (caseloadLimitPerFte < 1) {
            throw new DefinitionException(file, 0, "caseloadLimitPerFte", "must be at least 1");
        }
        List<Integer> items = fidelityScale.items().stream().map(Item::item).toList();
        if (!items.equals(java.util.stream.IntStream.rangeClosed(1, 25).boxed().toList())) {
            throw new DefinitionException(file, 0, "fidelityScale.items", "must be items 1 to 25, in order, once each");
        }
        var bands = fidelityScale.bands();
        if (!bands.stream().map(Band::band).collect(Collectors.toSet()).equals(BAND_CODES) || bands.size() != 4
                || bands.get(bands.size() - 1).minimum() != 25) {
            throw new DefinitionException(file, 0, "fidelityScale.bands", "must name " + BAND_CODES + " once each, the last from 25");
        }
        for (int i = 1; i < bands.size(); i++) {
            if (bands.get(i).minimum() >= bands.get(i - 1).minimum()) {
                throw new DefinitionException(file, 0, "fidelityScale.bands[" + i + "].minimum", "must be below the band before it");
            }
        }
        var days = fidelityScale.item15DayBands();
        if (days.isEmpty() || days.get(days.size() - 1).upToDays() != null
                || days.stream().limit(days.size() - 1).anyMatch(d -> d.upToDays() == null)) {
            throw new DefinitionException(file, 0, "fidelityScale.item15DayBands", "every band but the last needs upToDays; the last has none");
        }
        for (int i = 1; i < days.size() - 1; i++) {
            if (days.get(i).upToDays() <= days.get(i - 1).upToDays()) {
                throw new DefinitionException(file, 0, "fidelityScale.item15DayBands[" + i + "].upToDays", "must rise");
            }
        }
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
