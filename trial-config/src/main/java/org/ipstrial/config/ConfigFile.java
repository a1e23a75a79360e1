package org.ipstrial.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.jsontype.TypeIdResolver;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.io.IOException;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ResourceBundleMessageInterpolator;
import org.hibernate.validator.resourceloading.PlatformResourceBundleLocator;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads a YAML configuration file into a record, the one way the project does it. Jackson binds the
 * file (an unknown field, a wrong type or a duplicated key is refused), Bean Validation checks the
 * annotations on the record's components (every violation of the file at once), then each record
 * that has {@link CrossFieldRules} states the rules that span fields. Every problem names the file,
 * the line and column of the value, the field's full path, what was expected and what was found:
 * {@code config/foo.yml: line 12, column 5: strata[2].ratio: must be at least 1 (found: 0)}.
 */
public final class ConfigFile<T> {
    private static final ObjectMapper YAML = YAMLMapper.builder(
                    YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                    DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .addHandler(new FirstKindByDefault())
            .build();
    /** Messages worded for a file ("is required"), from a bundle of its own so the service's are unchanged. */
    private static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class).configure()
            .messageInterpolator(new ResourceBundleMessageInterpolator(
                    new PlatformResourceBundleLocator("org/ipstrial/config/ConfigMessages")))
            .buildValidatorFactory().getValidator();

    /** Rules across fields, said once as a method of the record they belong to. */
    public interface CrossFieldRules {
        /** Problems at paths relative to this record; empty when it is sound. */
        List<Problem> problems();
    }

    /** A file that leaves out its kind ({@code @JsonTypeInfo}'s property) is of the first kind {@code @JsonSubTypes} lists. */
    private static final class FirstKindByDefault extends DeserializationProblemHandler {
        @java.lang.Override
        public JavaType handleMissingTypeId(DeserializationContext context, JavaType base, TypeIdResolver resolver, String message) {
            JsonSubTypes kinds = base.getRawClass().getAnnotation(JsonSubTypes.class);
            return kinds == null ? null : context.constructType(kinds.value()[0].value());
        }
    }

    private final Class<T> type;

    private ConfigFile(Class<T> type) {
        this.type = type;
    }

    public static <T> ConfigFile<T> of(Class<T> type) {
        return new ConfigFile<>(type);
    }

    public T read(java.nio.file.Path file) {
        return read(file, Function.identity());
    }

    /** Reads the file, then turns it into domain values; a {@link Problem.Refused} there is placed in the file too. */
    public <R> R read(java.nio.file.Path file, Function<? super T, R> then) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigFileException(file.toString(), List.of("does not exist"));
        } catch (CharacterCodingException e) {
            throw new ConfigFileException(file.toString(), List.of("is not UTF-8 text"));
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), List.of("cannot be read (" + e.getClass().getSimpleName() + ")"));
        }
        return parse(text, file.toString(), then);
    }

    public T parse(String text, String source) {
        return parse(text, source, Function.identity());
    }

    /** Reads YAML text; {@code source} names it in every error. */
    public <R> R parse(String text, String source, Function<? super T, R> then) {
        Map<String, JsonLocation> locations = locations(text, source);
        Located located = new Located(source, locations, text);
        T value;
        try {
            JsonNode tree = YAML.readTree(text);
            if (tree == null || tree.isMissingNode()) {
                throw new ConfigFileException(source, List.of("the file is empty"));
            }
            // Unknown fields and wrong types first: Jackson checks primitives left out before the fields it did not know.
            YAML.readerFor(type).without(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).readValue(tree);
            value = YAML.readerFor(type).readValue(tree);
        } catch (JsonMappingException e) {
            throw located.fail(List.of(binding(e)));
        } catch (IOException e) {
            throw new ConfigFileException(source, List.of("cannot be read: " + e.getMessage()));
        }
        List<Problem> problems = VALIDATOR.validate(value).stream().map(this::problem).toList();
        if (problems.isEmpty()) {
            problems = new ArrayList<>();
            rules(value, List.of(), problems);
        }
        if (!problems.isEmpty()) {
            throw located.fail(problems);
        }
        try {
            return then.apply(value);
        } catch (Problem.Refused e) {
            throw located.fail(List.of(e.problem()));
        }
    }

    /** The location of every value by its JSON pointer ("/strata/2/ratio"); also refuses text that is not YAML. */
    private static Map<String, JsonLocation> locations(String text, String source) {
        Map<String, JsonLocation> locations = new HashMap<>();
        try (JsonParser parser = YAML.getFactory().createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME || token.isStructEnd()) {
                    continue;
                }
                JsonStreamContext context = token.isStructStart() ? parser.getParsingContext().getParent() : parser.getParsingContext();
                locations.putIfAbsent(context.pathAsPointer().toString(), parser.currentTokenLocation());
            }
        } catch (JsonProcessingException e) {
            String duplicate = e.getOriginalMessage().startsWith("Duplicate field '")
                    ? e.getOriginalMessage().replaceFirst("Duplicate field '(.*)'.*", "not valid YAML: $1 is given twice")
                    : "not valid YAML: " + e.getOriginalMessage();
            throw new ConfigFileException(source, List.of(at(e.getLocation()) + duplicate));
        } catch (IOException e) {
            throw new ConfigFileException(source, List.of("cannot be read: " + e.getMessage()));
        }
        return locations;
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
    }

    /** A binding failure: Jackson stops at the first, so it is the only one reported. */
    private Problem binding(JsonMappingException e) {
        List<Object> path = e.getPath().stream()
                .<Object>map(r -> r.getFieldName() != null ? r.getFieldName() : Integer.valueOf(r.getIndex())).toList();
        if (e instanceof UnrecognizedPropertyException unknown) {
            Class<?> owner = unknown.getReferringClass();
            var renamed = owner == null || !owner.isRecord() ? null : Arrays.stream(owner.getRecordComponents())
                    .filter(c -> c.isAnnotationPresent(FormerlyCalled.class)
                            && List.of(c.getAnnotation(FormerlyCalled.class).value()).contains(unknown.getPropertyName()))
                    .findFirst().orElse(null);
            if (renamed != null) {
                return new Problem(path, "is now called " + jsonName(owner, renamed.getName()));
            }
            return new Problem(path, "is not a known field (known: " + String.join(", ",
                    unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().toList()) + ")");
        }
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            return new Problem(path, e.getCause().getMessage());
        }
        if (e instanceof InvalidTypeIdException unknownKind && unknownKind.getBaseType() != null) {
            Class<?> base = unknownKind.getBaseType().getRawClass();
            List<String> kinds = Arrays.stream(base.getAnnotation(JsonSubTypes.class).value()).map(JsonSubTypes.Type::name).sorted().toList();
            return new Problem(concat(path, List.of(base.getAnnotation(JsonTypeInfo.class).property())),
                    "must be " + String.join(" or ", kinds) + Located.FOUND);
        }
        if (e instanceof InvalidNullException) {
            return new Problem(path, "has no value");
        }
        if (e instanceof MismatchedInputException mismatch) {
            return new Problem(path, "must be " + expected(mismatch.getTargetType()) + Located.FOUND);
        }
        return new Problem(path, e.getOriginalMessage());
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "another kind of value";
        }
        if (target.isEnum()) {
            List<String> names = Arrays.stream(target.getEnumConstants()).map(c -> c.toString().toLowerCase(Locale.ROOT)).toList();
            return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        }
        if (Stream.of(int.class, Integer.class, long.class, Long.class).anyMatch(target::equals)) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(target) || target == double.class) {
            return "a number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (target == LocalDate.class) {
            return "a date written YYYY-MM-DD";
        }
        if (target == Instant.class) {
            return "a UTC time such as 2026-01-05T09:00:00Z";
        }
        if (target == String.class) {
            return "a text value";
        }
        return Collection.class.isAssignableFrom(target) ? "a list" : "a mapping of fields";
    }

    /** A Bean Validation violation, its Java property path turned into the file's field names. */
    private Problem problem(ConstraintViolation<T> violation) {
        List<Object> path = new ArrayList<>();
        Type current = type;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.isInIterable()) {
                path.add(node.getIndex() != null ? node.getIndex() : String.valueOf(node.getKey()));
                current = elementType(current);
            }
            if (node.getKind() == ElementKind.PROPERTY) {
                Class<?> owner = raw(current);
                path.add(jsonName(owner, node.getName()));
                current = componentType(owner, node.getName());
            }
        }
        Object invalid = violation.getInvalidValue();
        boolean scalar = invalid instanceof Number || invalid instanceof CharSequence || invalid instanceof Boolean;
        return new Problem(path, violation.getMessage() + (scalar ? " (found: " + invalid + ")" : ""));
    }

    private static Type elementType(Type container) {
        if (container instanceof ParameterizedType parameterized) {
            Type[] arguments = parameterized.getActualTypeArguments();
            return arguments[arguments.length - 1];
        }
        return Object.class;
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType()
                : type instanceof Class<?> c ? c : Object.class;
    }

    private static Type componentType(Class<?> owner, String name) {
        return owner.isRecord() ? Arrays.stream(owner.getRecordComponents()).filter(c -> c.getName().equals(name))
                .findFirst().map(RecordComponent::getGenericType).orElse(Object.class) : Object.class;
    }

    /** The name a component has in the file (a record may be snake_case in YAML). */
    static String jsonName(Class<?> owner, String javaName) {
        return YAML.getDeserializationConfig().introspect(YAML.constructType(owner)).findProperties().stream()
                .filter(p -> p.getInternalName().equals(javaName)).findFirst().map(BeanPropertyDefinition::getName)
                .orElse(javaName);
    }

    /** Each record's cross-field rules, at its place in the file. */
    private static void rules(Object value, List<Object> at, List<Problem> problems) {
        if (value instanceof CrossFieldRules rules) {
            rules.problems().forEach(p -> problems.add(new Problem(concat(at, p.at()), p.message())));
        }
        if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    component.getAccessor().setAccessible(true);
                    rules(component.getAccessor().invoke(record),
                            concat(at, List.of(jsonName(record.getClass(), component.getName()))), problems);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("a record's accessor can always be called", e);
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                rules(list.get(i), concat(at, List.of(i)), problems);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> rules(item, concat(at, List.of(String.valueOf(key))), problems));
        }
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    /** Problems placed at their line and column, and the value found there. */
    private record Located(String source, Map<String, JsonLocation> locations, String text) {
        static final String FOUND = "\u0000found";

        ConfigFileException fail(List<Problem> problems) {
            JsonNode tree;
            try {
                tree = YAML.readTree(text);
            } catch (IOException e) {
                throw new IllegalStateException("the text was read once already", e);
            }
            record Placed(JsonLocation location, String text) {}
            List<Placed> placed = new ArrayList<>();
            for (Problem problem : problems) {
                String pointer = problem.pointer().toString();
                JsonLocation location = locate(pointer);
                String message = problem.message();
                if (message.endsWith(FOUND)) {
                    JsonNode found = tree.at(pointer);
                    // A primitive component left out fails as a null: it is required.
                    message = found.isMissingNode() && !problem.at().isEmpty() ? "is required"
                            : message.substring(0, message.length() - FOUND.length()) + (found.isMissingNode() ? ""
                            : " (found: " + (found.isValueNode() ? found.asText() : found.isArray() ? "a list" : "a mapping") + ")");
                }
                String field = problem.field();
                placed.add(new Placed(location, at(location) + (field.isEmpty() ? "" : field + ": ") + message));
            }
            placed.sort(Comparator.comparing((Placed p) -> p.location() == null ? 0 : p.location().getLineNr())
                    .thenComparing(p -> p.location() == null ? 0 : p.location().getColumnNr()).thenComparing(Placed::text));
            return new ConfigFileException(source, placed.stream().map(Placed::text).toList());
        }

        /** The value at the pointer, or else its nearest enclosing value (a missing field: its mapping). */
        private JsonLocation locate(String pointer) {
            for (String p = pointer; ; p = p.substring(0, p.lastIndexOf('/'))) {
                JsonLocation location = locations.get(p);
                if (location != null || p.isEmpty()) {
                    return location;
                }
            }
        }
    }
}
