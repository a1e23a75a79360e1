package org.ipstrial.api;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ipstrial.api.auth.Role;
import org.ipstrial.api.auth.UserService;
import org.ipstrial.definition.TrialDefinition;

/**
 * One demo user per role, named after it, created at the first start of an empty database. The
 * password comes from TRIAL_DEMO_PASSWORD, or is generated and printed once to the console (never
 * logged, never stored in clear).
 */
final class DemoUsers {
    private DemoUsers() {}

    static void createIfNone(UserService users, TrialDefinition definition) {
        if (!users.noUsers()) {
            return;
        }
        String fromEnvironment = System.getenv("TRIAL_DEMO_PASSWORD");
        boolean generated = fromEnvironment == null || fromEnvironment.isBlank();
        String password = generated ? generate() : fromEnvironment;
        String siteA = definition.sites().get(0).code();
        String siteB = definition.sites().size() > 1 ? definition.sites().get(1).code() : siteA;
        Map<String, Object[]> demo = new LinkedHashMap<>();
        demo.put("specialist-scr", new Object[] {Role.specialist, siteA});
        demo.put("specialist-wmca", new Object[] {Role.specialist, siteB});
        demo.put("manager", new Object[] {Role.manager, null});
        demo.put("statistician", new Object[] {Role.statistician, null});
        demo.put("custodian", new Object[] {Role.custodian, null});
        demo.put("fieldwork", new Object[] {Role.fieldwork, null});
        demo.put("analyst", new Object[] {Role.analyst, null});
        demo.put("admin", new Object[] {Role.admin, null});
        demo.forEach((name, roleAndSite) -> users.createInitial(name, (Role) roleAndSite[0], (String) roleAndSite[1], password));
        if (generated) {
            // Printed once, to the console of whoever started the service: not to the log.
            System.out.println("\n=== Demo users created: " + String.join(", ", demo.keySet()));
            System.out.println("=== Their password (shown only now; set TRIAL_DEMO_PASSWORD to choose one): " + password + "\n");
        } else {
            System.out.println("\n=== Demo users created with the password from TRIAL_DEMO_PASSWORD: " + String.join(", ", demo.keySet()) + "\n");
        }
    }

    private static String generate() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
