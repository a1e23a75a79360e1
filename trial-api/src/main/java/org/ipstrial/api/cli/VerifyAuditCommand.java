package org.ipstrial.api.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.DataSourceFactory;
import net.sourceforge.argparse4j.inf.Namespace;
import org.ipstrial.api.TrialApplication;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.core.audit.AuditLog;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * {@code verify-audit CONFIG}: recomputes the audit log's hash chain and says whether it is
 * intact or where it breaks. Exit status 0 when intact, 1 otherwise.
 */
public final class VerifyAuditCommand extends ConfiguredCommand<TrialConfiguration> {
    public VerifyAuditCommand() {
        super("verify-audit", "Verify the hash chain of the audit log");
    }

    @Override
    protected void run(Bootstrap<TrialConfiguration> bootstrap, Namespace namespace, TrialConfiguration configuration) {
        DataSourceFactory owner = TrialApplication.ownerDataSource(configuration);
        // The audit log reads through a SqlObject DAO: without the plugin every run failed.
        Jdbi jdbi = Jdbi.create(owner.getUrl(), owner.getUser(), owner.getPassword()).installPlugin(new SqlObjectPlugin());
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
