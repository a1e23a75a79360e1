package org.ipstrial.api.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Screenshots of the audit trail page for docs/pages.md and docs/audit-trail.md: a made-up recruit
 * screened twice, randomised, corrected, flagged and withdrawn (seeded), as a manager and as the
 * statistician sees it, and with its chain broken by a superuser. Not a CI test: run it with
 * scripts/page-screenshots audit.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AuditPageScreenshots {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("audit-screenshots"));
    static final Path OUT = Path.of(System.getenv().getOrDefault("SCREENSHOTS_DIR", "target/screenshots"));

    ChromeDriver browser;
    WebDriverWait wait;

    @Test
    void auditTrailPage() throws IOException {
        TestService.createUsers(APP);
        ApiClient api = TestService.client(APP);
        Random random = new Random(18L);
        String today = LocalDate.now(ZoneId.of("Europe/London")).toString();
        var created = api.post("spec-a", "/recruits", Map.of("site", "A", "area", "A-north"));
        String pid = created.body().get("participantId").asText();
        Map<String, Boolean> notYet = new HashMap<>(Recruits.eligibleAnswers("A-OOW"));
        notYet.put("health_obstacle", false);
        api.post("spec-a", "/recruits/" + pid + "/screening", Map.of("trialGroup", "A-OOW", "answers", notYet));
        api.post("spec-a", "/recruits/" + pid + "/screening", Map.of("trialGroup", "A-OOW", "answers", Recruits.eligibleAnswers("A-OOW")));
        api.post("spec-a", "/recruits/" + pid + "/agreement", Map.of("formVersion", "agree-3", "answers", Recruits.agreeAll()));
        Map<String, Object> person = Recruits.identity(random);
        person.put("givenName", "Alex");
        person.put("familyName", "Example");
        api.put("spec-a", "/recruits/" + pid + "/identity", person);
        api.put("spec-a", "/recruits/" + pid + "/baseline", Map.of("answers", Recruits.baseline(random)));
        assertThat(api.post("spec-a", "/randomisations", Map.of("participantId", pid)).status()).isEqualTo(200);
        api.post("manager", "/recruits/" + pid + "/corrections", Map.of("fields", Map.of("familyName", "Exemple"),
                "reason", "family name misspelt at the first appointment (checked with the participant)"));
        api.post("manager", "/recruits/" + pid + "/flags", Map.of("kind", "wrong_stratum", "note", "lives in the south area"));
        api.post("manager", "/recruits/" + pid + "/status", Map.of("kind", "withdrawn_research", "effectiveDate", today,
                "reason", "asked not to be contacted for the surveys"));
        ((org.ipstrial.api.TrialApplication) APP.getApplication()).sealer().seal();
        Files.createDirectories(OUT);
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        browser = Browser.start(1280, 1250);
        try {
            wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
            logIn(base, "manager", "/audit.html?recruit=" + pid);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("chain-ok")));
            shot("audit-trail.png");

            // A second recruit at site B, for the trial-wide view.
            String other = Recruits.ready(api, "spec-b", "B", "B-west", "B-OOW", Recruits.identity(random), random);
            api.post("spec-b", "/randomisations", Map.of("participantId", other));
            browser.get(base + "/audit.html?all=1&limit=12");
            wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("chain-ok")));
            shot("audit-trail-all.png");

            browser.manage().deleteAllCookies();
            logIn(base, "statistician", "/audit.html?recruit=" + pid + "&action=randomised");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("chain-ok")));
            shot("audit-trail-statistician.png");

            long seq = api.get("manager", "/recruits/" + pid + "/audit?action=randomised").body().get("events").get(0).get("seq").asLong();
            TestService.ownerJdbi(APP).useTransaction(h -> {
                h.execute("SET LOCAL session_replication_role = replica");
                // The arm the event records, swapped: what someone hiding an allocation might do.
                h.execute("UPDATE audit_event SET details = CASE WHEN details LIKE '%\"arm\":\"control\"%' "
                        + "THEN replace(details, '\"arm\":\"control\"', '\"arm\":\"treatment\"') "
                        + "ELSE replace(details, '\"arm\":\"treatment\"', '\"arm\":\"control\"') END WHERE seq = ?", seq);
            });
            browser.manage().deleteAllCookies();
            logIn(base, "manager", "/audit.html?recruit=" + pid);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("chain-broken")));
            shot("audit-trail-broken.png");
        } finally {
            browser.quit();
        }
    }

    private void logIn(String base, String user, String page) {
        browser.get(base + "/index.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(TestService.PASSWORD, Keys.ENTER);
        wait.until(d -> !d.getCurrentUrl().endsWith("/index.html"));
        browser.get(base + page);
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
    }

    private void shot(String name) throws IOException {
        Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, OUT.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        System.out.println("screenshot " + OUT.resolve(name).toAbsolutePath());
    }
}
