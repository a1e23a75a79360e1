package org.ipstrial.api.db;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.extension.ExtensionFactory;
import org.jdbi.v3.core.extension.Extensions;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;
import org.jdbi.v3.sqlobject.SqlObjectFactory;

/**
 * What every Jdbi of the service is set up with, for the CPU each request costs (measured with
 * {@code scripts/load-test}: docs/benchmarks.md, "Where the service's CPU went").
 */
public final class JdbiDefaults {
    /** The DAOs the service attaches to handles. */
    static final List<Class<?>> DAOS = List.of(RecruitDao.class, AllocationDao.class, SessionDao.class, UserDao.class, ReportDao.class);

    private JdbiDefaults() {
    }

    public static Jdbi apply(Jdbi jdbi) {
        // Dropwizard's NamePrependingTemplateEngine renders every statement anew, and so parses
        // its template with ANTLR at each execution; the engine it wraps parses a template once,
        // and Jdbi keeps the result. (The name it prepended was a comment, read by nothing here.)
        jdbi.setTemplateEngine(new DefinedAttributeTemplateEngine());
        // Each handle starts from a copy of the Jdbi's extension metadata cache, and an attach on a
        // handle fills only the handle's copy: without this every request built every DAO's
        // metadata (each method's annotations, by reflection) again.
        Extensions extensions = jdbi.getConfig(Extensions.class);
        ExtensionFactory sqlObjects = extensions.findFactory(SqlObjectFactory.class)
                .orElseThrow(() -> new IllegalStateException("the SqlObject plugin is not installed"));
        DAOS.forEach(dao -> extensions.findMetadata(dao, sqlObjects));
        return jdbi;
    }
}
