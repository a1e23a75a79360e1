package org.ipstrial.api.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The audit trail page in real Chromium: a manager's and the statistician's view, the filters, a 422, the CSV link, a broken chain. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AuditPagesIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("audit-pages"));
    static final String TODAY = LocalDate.now(ZoneId.of("Europe/London")).toString();
    static ApiClient api;
    static String participant;
    static Map<String, Object> person;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    static void recruit() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
        long seed = 20261204L;
        System.out.println("AuditPagesIT: seed " + seed);
        Random random = new Random(seed);
        person = Recruits.identity(random);
        participant = Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW", person, random);
        assertThat(api.post("spec-a", "/randomisations", Map.of("participantId", participant)).status()).isEqualTo(200);
        assertThat(api.post("manager", "/recruits/" + participant + "/flags", Map.of("kind", "wrong_stratum", "note", "lives in B")).status())
                .isEqualTo(200);
    }

    @BeforeEach
    void openBrowser() {
        browser = Browser.start(1280, 1000);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    void logIn(String username, String page) {
        browser.get("http://127.0.0.1:" + APP.getLocalPort() + "/index.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(TestService.PASSWORD, Keys.ENTER);
        wait.until(d -> !d.getCurrentUrl().endsWith("/index.html"));
        browser.get("http://127.0.0.1:" + APP.getLocalPort() + page);
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
    }

    void setDate(WebElement input, String isoDate) {
        browser.executeScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", input, isoDate);
    }

    List<String> actionsShown() {
        return browser.findElements(By.cssSelector("#trail-table tbody tr[data-action]")).stream().map(r -> r.getDomAttribute("data-action")).toList();
    }

    @Test
    void aManagerFindsARecruitsTrailFiltersItAndIsShownTheChainIntact() {
        logIn("manager", "/dashboard.html");
        browser.findElement(By.cssSelector("a[href='/audit.html']")).click();
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
        browser.findElement(By.id("participant")).sendKeys(participant.substring(0, 4) + " " + participant.substring(4));
        browser.findElement(By.id("show-button")).click();
        WebElement ok = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("chain-ok")));
        assertThat(ok.getText()).contains("intact").contains("7 events checked");
        assertThat(actionsShown()).containsExactly("recruit_created", "screened", "agreement_taken", "identity_recorded",
                "baseline_recorded", "randomised", "flagged");
        WebElement flagged = browser.findElement(By.cssSelector("tr[data-action=flagged]"));
        assertThat(flagged.findElement(By.cssSelector("[data-cell=reason]")).getText()).isEqualTo("lives in B");
        assertThat(flagged.getText()).contains("manager");
        assertThat(browser.findElement(By.id("trail-title")).getText()).contains(person.get("givenName").toString());
        assertThat(browser.findElement(By.cssSelector("tr[data-action=identity_recorded] li[data-field=nationalInsuranceNumber]")).getText())
                .contains("[masked]");
        assertThat(browser.getPageSource()).doesNotContain(person.get("nationalInsuranceNumber").toString());

        // Filter by what was done: the rows, the address and the CSV link follow.
        new Select(browser.findElement(By.id("filter-action"))).selectByValue("randomised");
        browser.findElement(By.id("show-button")).click();
        wait.until(d -> actionsShown().equals(List.of("randomised")));
        assertThat(browser.findElement(By.id("trail-count")).getText()).isEqualTo("1 of 7 changes match the filters.");
        assertThat(browser.getCurrentUrl()).contains("recruit=" + participant).contains("action=randomised");
        String csv = browser.findElement(By.id("csv-link")).getDomProperty("href");
        assertThat(csv).endsWith("/api/v1/recruits/" + participant + "/audit.csv?action=randomised");

        // A day range the wrong way round: the service's 422 beside the field, the table left as it was.
        setDate(browser.findElement(By.id("filter-from")), TODAY);
        setDate(browser.findElement(By.id("filter-to")), LocalDate.parse(TODAY).minusDays(3).toString());
        browser.findElement(By.id("show-button")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-field=to] .field-error")));
        assertThat(error.getText()).isEqualTo("Is before from.");
        assertThat(browser.findElement(By.id("filter-to")).getDomAttribute("aria-invalid")).isEqualTo("true");

        browser.findElement(By.id("clear-button")).click();
        wait.until(d -> actionsShown().size() == 7);
        assertThat(browser.findElements(By.cssSelector("#trail-form .field-error"))).isEmpty();
    }

    @Test
    void theStatisticianSeesTheTrailMaskedAndAnUnknownRecruitIsNamedBesideTheField() {
        logIn("statistician", "/audit.html?recruit=" + participant);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("chain-ok")));
        assertThat(browser.findElement(By.id("trail-title")).getText()).contains("[masked]").doesNotContain(person.get("givenName").toString());
        assertThat(browser.findElement(By.cssSelector("tr[data-action=flagged] [data-cell=reason]")).getText()).isEqualTo("[masked]");
        assertThat(browser.findElement(By.cssSelector("tr[data-action=randomised] li[data-field=sequence]")).getText()).startsWith("Sequence in the stratum: ");

        WebElement id = browser.findElement(By.id("participant"));
        id.clear();
        id.sendKeys("00000000");
        browser.findElement(By.id("show-button")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-field=participantId] .field-error")));
        assertThat(error.getText()).isEqualTo("Names no recruit you may see.");
        assertThat(browser.findElement(By.id("trail")).isDisplayed()).isFalse();
    }

    @Test
    void aBrokenChainIsShownAsAnAlertNamingTheEvent() {
        Random random = new Random(7L);
        String other = Recruits.ready(api, "spec-a", "A", "A-south", "A-OOW", Recruits.identity(random), random);
        long seq = api.get("manager", "/recruits/" + other + "/audit?action=baseline_recorded").body().get("events").get(0).get("seq").asLong();
        // A superuser around the append-only triggers.
        TestService.ownerJdbi(APP).useTransaction(h -> {
            h.execute("SET LOCAL session_replication_role = replica");
            h.execute("UPDATE audit_event SET actor = 'someone else' WHERE seq = ?", seq);
        });
        logIn("manager", "/audit.html?recruit=" + other);
        WebElement broken = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("chain-broken")));
        assertThat(broken.getDomAttribute("role")).isEqualTo("alert");
        assertThat(broken.getText()).contains("Audit chain broken at event " + seq).contains("position 5").contains("does not match its hash");
        assertThat(browser.findElement(By.cssSelector("tr[data-seq='" + seq + "']")).getText()).contains("someone else");
    }

    @Test
    void everyRecruitsChangesAtASiteNewestFirstPageByPage() {
        Random random = new Random(8L);
        String atB = Recruits.ready(api, "spec-b", "B", "B-west", "B-OOW", Recruits.identity(random), random);
        logIn("manager", "/audit.html");
        new Select(browser.findElement(By.id("filter-site"))).selectByValue("B");
        browser.findElement(By.id("show-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("chain-ok")));
        // Site B has this one recruit: created, screened, agreement, identifiers, baseline, newest first.
        assertThat(actionsShown()).containsExactly("baseline_recorded", "identity_recorded", "agreement_taken", "screened", "recruit_created");
        assertThat(browser.findElements(By.cssSelector("#trail-table tbody tr[data-participant='" + atB + "']"))).hasSize(5);
        assertThat(browser.findElement(By.cssSelector("#trail-table tbody tr [data-cell=recruit]")).isDisplayed()).isTrue();
        assertThat(browser.getCurrentUrl()).contains("site=B").contains("all=1");
        assertThat(browser.findElement(By.id("csv-link")).getDomProperty("href")).endsWith("/api/v1/audit/trail.csv?site=B");
        assertThat(browser.findElement(By.id("older-button")).isDisplayed()).isFalse();

        // Every site, a page at a time (4 rows, as the address asks): the older button adds the next page below.
        browser.get("http://127.0.0.1:" + APP.getLocalPort() + "/audit.html?all=1&limit=4");
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
        wait.until(d -> actionsShown().size() == 4);
        List<String> firstPage = browser.findElements(By.cssSelector("#trail-table tbody tr[data-seq]")).stream()
                .map(r -> r.getDomAttribute("data-seq")).toList();
        browser.findElement(By.id("older-button")).click();
        wait.until(d -> actionsShown().size() == 8);
        List<Long> seqs = browser.findElements(By.cssSelector("#trail-table tbody tr[data-seq]")).stream()
                .map(r -> Long.parseLong(r.getDomAttribute("data-seq"))).toList();
        assertThat(seqs).isSortedAccordingTo(java.util.Comparator.reverseOrder()).doesNotHaveDuplicates();
        assertThat(seqs.subList(0, 4).stream().map(String::valueOf).toList()).isEqualTo(firstPage);
        assertThat(browser.findElement(By.id("trail-count")).getText()).isEqualTo("8 changes shown; older ones on the next page.");
        browser.get("http://127.0.0.1:" + APP.getLocalPort() + "/audit.html?all=1&site=B");
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
        // Following a recruit's link opens its own trail, oldest first.
        browser.findElement(By.cssSelector("tr[data-participant='" + atB + "'] [data-cell=recruit] a")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("chain-ok")));
        wait.until(d -> actionsShown().size() == 5 && actionsShown().get(0).equals("recruit_created"));
        assertThat(browser.findElement(By.id("participant")).getDomProperty("value")).isEqualTo(atB);
    }

    @Test
    void aSpecialistIsRefusedThePage() {
        logIn("spec-a", "/audit.html");
        assertThat(browser.findElement(By.id("refused-message")).getText()).contains("for trial managers and the statistician");
        assertThat(browser.findElement(By.id("page")).isDisplayed()).isFalse();
    }
}
