package org.ipstrial.api.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.List;
import java.util.Map;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rules every migration must keep, read from the catalogue of the migrated database. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SchemaIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("schema"));

    /**
     * Foreign keys that delete or empty rows when their target goes (ON DELETE CASCADE, SET NULL,
     * SET DEFAULT: an erasure deletes a recruit and everything of theirs), with whether an index is
     * led by the key's columns and covers every row that can hold a value (no predicate, or only
     * "column IS NOT NULL").
     */
    static final String CASCADING_KEYS = """
            SELECT c.conrelid::regclass::text AS "table", c.conname AS "key",
                   EXISTS (SELECT 1 FROM pg_index i
                           WHERE i.indrelid = c.conrelid
                             AND (i.indkey::int2[])[0 : cardinality(c.conkey) - 1] = c.conkey
                             AND (i.indpred IS NULL OR pg_get_expr(i.indpred, i.indrelid) ~ '^\\(\\w+ IS NOT NULL\\)$')) AS indexed
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.confdeltype IN ('c', 'n', 'd') AND c.connamespace = 'public'::regnamespace
            ORDER BY 1, 2""";

    @Test
    void everyForeignKeyThatCascadesHasAnIndexSoThatAnErasureNeverReadsAWholeTable() {
        List<Map<String, Object>> keys = TestService.ownerJdbi(APP).withHandle(h -> h.createQuery(CASCADING_KEYS).mapToMap().list());
        assertThat(keys).as("the schema's cascading keys (recruit's records, delivery records, sessions)").hasSizeGreaterThan(10);
        assertThat(keys.stream().filter(k -> !(Boolean) k.get("indexed")).map(k -> k.get("table") + "." + k.get("key")).toList())
                .as("cascading foreign keys without an index led by their columns").isEmpty();
    }
}
