package org.ipstrial.api.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
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

/** The caseload with its quick session entry (on a tablet held upright) and the managers' delivery and fidelity page, in real Chromium. */
@ExtendWith(DropwizardExtensionsSupport.class)
class DeliveryPagesIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("delivery-pages"));
    static ApiClient api;
    static String treatment;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    static void recruits() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
        long seed = 20261204L;
        System.out.println("DeliveryPagesIT: seed " + seed);
        Random random = new Random(seed);
        while (treatment == null) {
            String pid = Recruits.ready(api, "spec-a", "A", "A-north", "A-OOW", Recruits.identity(random), random);
            var allocated = api.post("spec-a", "/randomisations", Map.of("participantId", pid));
            assertThat(allocated.status()).isEqualTo(200);
            if (allocated.body().get("arm").asText().equals("treatment")) {
                treatment = pid;
            }
        }
    }

    @BeforeEach
    void openBrowser() {
        // A tablet held upright.
        browser = Browser.start(800, 1280);
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
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-loaded")));
    }

    @Test
    void aSpecialistRecordsASessionFromTheCaseloadAtTheEndOfAMeeting() {
        logIn("spec-a", "/caseload.html");
        WebElement row = browser.findElement(By.cssSelector("tr[data-participant='" + treatment + "']"));
        assertThat(row.getText()).contains("first meeting");
        row.findElement(By.cssSelector("button.record")).click();
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("session-form")));
        // A length of 0 first: the message appears beside the minutes, nothing is saved.
        WebElement minutes = form.findElement(By.id("session-minutes"));
        minutes.clear();
        minutes.sendKeys("0");
        form.findElement(By.cssSelector("input[name=mode][value=phone]")).click();
        form.findElement(By.id("session-button")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-field='minutes'] .field-error")));
        assertThat(error.getText()).contains("1 to 600");
        assertThat(api.get("spec-a", "/recruits/" + treatment + "/delivery").body().get("current")).isEmpty();
        form.findElement(By.cssSelector("button[data-minutes='45']")).click();
        form.findElement(By.id("session-button")).click();
        WebElement saved = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("saved")));
        assertThat(saved.getText()).startsWith("Saved: session");
        var records = api.get("spec-a", "/recruits/" + treatment + "/delivery").body().get("current");
        assertThat(records).hasSize(1);
        assertThat(records.get(0).get("mode").asText()).isEqualTo("phone");
        assertThat(records.get(0).get("minutes").asInt()).isEqualTo(45);

        new Select(browser.findElement(By.id("other-kind"))).selectByValue("vocational_profile");
        browser.findElement(By.id("other-button")).click();
        wait.until(d -> d.findElement(By.id("saved")).getText().contains("vocational profile"));
        browser.findElement(By.id("close-entry")).click();
        // The caseload is drawn again when the entry closes, from a fresh read: wait for the drawing that has the session
        // (each poll finds the cell anew, so an element of the earlier drawing is never read), then read its row.
        By treatmentRow = By.cssSelector("tr[data-participant='" + treatment + "']");
        wait.until(d -> "1".equals(d.findElement(treatmentRow).findElement(By.cssSelector("[data-cell=sessions]")).getText()));
        String rowText = wait.until(d -> d.findElement(treatmentRow).getText());
        assertThat(rowText).contains("employer contact");
    }

    @Test
    void aManagerSeesTheDeliveryReportWithChartsAndEntersAFidelityReview() {
        logIn("manager", "/delivery-report.html");
        assertThat(browser.findElements(By.cssSelector("#delivery-table tbody tr"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#engaged-chart svg"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#caseload-chart svg"))).isNotEmpty();
        new Select(browser.findElement(By.id("review-service"))).selectByValue("A-IPS-1");
        browser.findElement(By.id("review-date")).sendKeys("01012026");
        browser.findElement(By.id("reviewer-1")).sendKeys("Reviewer One");
        for (int item = 1; item <= 25; item++) {
            new Select(browser.findElement(By.id("score-" + item))).selectByValue(item == 15 ? "2" : "4");
        }
        // One reviewer and item 3 left unscored: both named, nothing saved.
        new Select(browser.findElement(By.id("score-3"))).selectByValue("");
        browser.findElement(By.id("review-button")).click();
        WebElement summary = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#review-form .error-summary")));
        assertThat(summary.getText()).contains("Reviewers").contains("Item 3 score");
        assertThat(api.get("manager", "/fidelity/reviews").body()).isEmpty();
        browser.findElement(By.id("reviewer-2")).sendKeys("Reviewer Two");
        new Select(browser.findElement(By.id("score-3"))).selectByValue("4");
        browser.findElement(By.id("review-button")).click();
        WebElement saved = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("review-saved")));
        // 24 items at 4 and item 15 at 2: 98, fair.
        assertThat(saved.getText()).contains("total 98").contains("fair");
        // The table is drawn again after the save: each poll reads the cell anew.
        wait.until(d -> "98 (fair)".equals(d.findElement(By.cssSelector("#fidelity-table [data-cell=total]")).getText()));
    }
}
