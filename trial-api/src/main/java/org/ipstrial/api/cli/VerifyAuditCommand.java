package org.ipstrial.api.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.core.audit.AuditLog;
import org.ipstrial.api.db.CommandDatabase;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code verify-audit CONFIG}: recomputes the audit log's hash chain and says whether it is
 * intact or where it breaks. Exit status 0 when intact, 1 otherwise. Read only: while the service
 * runs on the embedded data directory it attaches to that service's PostgreSQL and stops nothing.
 */
public final class VerifyAuditCommand extends ConfiguredCommand<TrialConfiguration> {
    public VerifyAuditCommand() {
        super("verify-audit", "Verify the hash chain of the audit log");
    }

    @Override
    protected void run(Bootstrap<TrialConfiguration> bootstrap, Namespace namespace, TrialConfiguration configuration) {
        CommandDatabase database = CommandDatabase.open(configuration.getDatabaseServer(), configuration.getDatabase().getUrl(),
                CommandDatabase.Access.READ_ONLY);
        database.attached().ifPresent(server -> System.out.println("The service is running: reading its database "
                + "(PostgreSQL process " + server.postgresPid() + ", port " + server.port() + "), read only."));
        // The audit log reads through a SqlObject DAO: the handle factory installs the plugin.
        Jdbi jdbi = database.jdbi();
        AuditLog.ChainCheck check = jdbi.inTransaction(AuditLog::verify);
        if (check instanceof AuditLog.ChainCheck.Intact intact) {
            System.out.println("Audit chain intact: " + intact.events() + " events, head " + intact.headHash());
            return;
        }
        AuditLog.ChainCheck.Broken broken = (AuditLog.ChainCheck.Broken) check;
        System.out.println("Audit chain BROKEN at event " + broken.atSequence() + ": " + broken.problem());
        System.exit(1);
    }
}
