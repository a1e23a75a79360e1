package org.ipstrial.api.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Base64;
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
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard's monitoring pack links in a real headless Chromium: there for the right roles, and the PDF downloads. */
@ExtendWith(DropwizardExtensionsSupport.class)
class MonitoringPackPageIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("pack-pages"));
    static ApiClient api;
    static String pid;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    static void oneRandomisedRecruit() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
        Random random = new Random(18_12L);
        System.out.println("MonitoringPackPageIT seed " + 18_12L);
        pid = Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW", Recruits.identity(random), random);
        var allocated = api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid), Map.of("Idempotency-Key", "pack-" + pid));
        assertThat(allocated.status()).as(allocated.toString()).isEqualTo(200);
    }

    @BeforeEach
    void openBrowser() {
        browser = Browser.start(1024, 900);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theStatisticianDownloadsBothPartsAsOfAChosenDay() throws Exception {
        dashboard("statistician");
        browser.findElement(By.cssSelector("a[href='#pack']")).click();
        WebElement open = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pack-open")));
        WebElement closed = browser.findElement(By.id("pack-closed"));
        assertThat(open.getText()).isEqualTo("open part, pooled (PDF)");
        assertThat(closed.isDisplayed()).isTrue();
        String yesterday = LocalDate.now(ZoneId.of("Europe/London")).minusDays(1).toString();
        WebElement asOf = browser.findElement(By.id("pack-as-of"));
        browser.executeScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", asOf, yesterday);
        assertThat(open.getDomAttribute("href")).isEqualTo("/api/v1/reports/monitoring-pack.pdf?asOf=" + yesterday);
        assertThat(closed.getDomAttribute("href")).isEqualTo("/api/v1/reports/monitoring-pack.pdf?part=closed&asOf=" + yesterday);
        String openText = pdfText(fetch(open.getDomAttribute("href"), 200));
        assertThat(openText).contains("OPEN PART", "As of " + yesterday).doesNotContain(pid);
        String closedText = pdfText(fetch(closed.getDomAttribute("href"), 200));
        assertThat(closedText).contains("CLOSED PART, by arm", "As of " + yesterday, "IPS employment support").doesNotContain(pid);
        asOf.sendKeys(Keys.SHIFT);
        Browser.screenshot(browser, Path.of(System.getenv().getOrDefault("SCREENSHOTS_DIR", "target/screenshots")), "dashboard-monitoring-pack.png");
    }

    @Test
    void aManagerHasTheOpenPartOnly() throws Exception {
        dashboard("manager");
        browser.findElement(By.cssSelector("a[href='#pack']")).click();
        WebElement open = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pack-open")));
        assertThat(browser.findElement(By.id("pack-closed")).isDisplayed()).isFalse();
        assertThat(open.getDomAttribute("href")).isEqualTo("/api/v1/reports/monitoring-pack.pdf");
        String text = pdfText(fetch(open.getDomAttribute("href"), 200));
        assertThat(text).contains("OPEN PART", "Whole trial").doesNotContain("IPS employment support").doesNotContain(pid);
        // The closed part's address typed by hand: refused with the manager's session.
        fetch("/api/v1/reports/monitoring-pack.pdf?part=closed", 403);
    }

    void dashboard(String username) {
        browser.get("http://127.0.0.1:" + APP.getLocalPort() + "/index.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(TestService.PASSWORD, Keys.ENTER);
        wait.until(ExpectedConditions.urlContains("/dashboard.html"));
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
    }

    /** What a link points at, fetched by the page with its session cookie, as a click would. */
    byte[] fetch(String href, int status) {
        List<?> got = (List<?>) browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.arrayBuffer().then(b => {"
                + "  let s = ''; new Uint8Array(b).forEach(x => s += String.fromCharCode(x));"
                + "  done([r.status, r.headers.get('Content-Type'), r.headers.get('Content-Disposition'), btoa(s)]); }));", href);
        assertThat(((Number) got.get(0)).intValue()).as(href).isEqualTo(status);
        if (status == 200) {
            assertThat((String) got.get(1)).startsWith("application/pdf");
            assertThat((String) got.get(2)).startsWith("attachment;").contains("monitoring-pack-");
        }
        return Base64.getDecoder().decode((String) got.get(3));
    }

    static String pdfText(byte[] pdf) throws java.io.IOException {
        try (var document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            return new org.apache.pdfbox.text.PDFTextStripper().getText(document);
        }
    }
}
