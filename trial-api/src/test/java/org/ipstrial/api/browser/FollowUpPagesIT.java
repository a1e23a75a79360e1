package org.ipstrial.api.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.util.List;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.followup.FollowUpHistory;
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

/** The follow-up page in real Chromium: fieldwork's due list with contact details, filters, an attempt (a 422, then saved); managers without contact details. */
@ExtendWith(DropwizardExtensionsSupport.class)
class FollowUpPagesIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("followup-pages"));
    static String due;
    static String upcoming;
    static String dueFamilyName;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    static void recruits() {
        TestService.createUsers(APP);
        FollowUpHistory history = new FollowUpHistory(APP, 20261205L);
        due = history.randomised("A", 125, true);
        upcoming = history.randomised("B", 20, true);
        dueFamilyName = TestService.ownerJdbi(APP).withHandle(h -> h.createQuery(
                "SELECT c.family_name FROM baseline_contact c JOIN recruit r ON r.id = c.recruit_id WHERE r.participant_id = :p")
                .bind("p", due).mapTo(String.class).one());
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

    void logIn(String username) {
        browser.get("http://127.0.0.1:" + APP.getLocalPort() + "/index.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(TestService.PASSWORD, Keys.ENTER);
        wait.until(d -> !d.getCurrentUrl().endsWith("/index.html"));
    }

    void loaded() {
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
    }

    List<String> listed() {
        return browser.findElements(By.cssSelector("#list-table tbody tr")).stream()
                .map(r -> r.getDomAttribute("data-participant") + " " + r.getDomAttribute("data-wave") + " " + r.getDomAttribute("data-state"))
                .toList();
    }

    @Test
    void fieldworkOpensOnTheDueListWithContactDetailsAndRecordsAnAttempt() {
        logIn("fieldwork");
        wait.until(d -> d.getCurrentUrl().endsWith("/followup.html") || d.getCurrentUrl().contains("/followup.html?"));
        loaded();
        assertThat(listed()).containsExactly(due + " 4m due");
        WebElement row = browser.findElement(By.cssSelector("#list-table tbody tr[data-participant='" + due + "']"));
        assertThat(row.findElement(By.cssSelector("[data-cell=contact]")).getText()).contains(dueFamilyName);

        // Upcoming waves: listed, but no contact details anywhere on the page.
        new Select(browser.findElement(By.id("filter-state"))).selectByValue("upcoming");
        browser.findElement(By.id("show-button")).click();
        wait.until(d -> listed().contains(upcoming + " 4m upcoming"));
        assertThat(listed()).contains(due + " 12m upcoming", upcoming + " 12m upcoming").noneMatch(l -> l.endsWith(" due"));
        assertThat(browser.findElement(By.id("list-table")).getText()).doesNotContain(dueFamilyName);
        assertThat(browser.getCurrentUrl()).contains("state=upcoming");
        assertThat(browser.findElement(By.id("csv-link")).getDomProperty("href")).endsWith("/api/v1/followup.csv?state=upcoming");

        // Back to the due list; an attempt without an outcome is refused beside the field, then recorded.
        new Select(browser.findElement(By.id("filter-state"))).selectByValue("due");
        browser.findElement(By.id("show-button")).click();
        wait.until(d -> listed().equals(List.of(due + " 4m due")));
        browser.findElement(By.cssSelector("tr[data-participant='" + due + "'] .record-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("attempt-panel")));
        browser.findElement(By.id("attempt-button")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-field=outcome] .field-error")));
        assertThat(error.getText()).startsWith("Must be one of");
        assertThat(browser.findElement(By.id("attempt-outcome")).getDomAttribute("aria-invalid")).isEqualTo("true");
        new Select(browser.findElement(By.id("attempt-outcome"))).selectByValue("no_answer");
        browser.findElement(By.id("attempt-note")).sendKeys("try after 6pm");
        browser.findElement(By.id("attempt-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("saved"), "1 attempt so far"));
        wait.until(d -> d.findElement(By.cssSelector("tr[data-participant='" + due + "'] [data-cell=attempts]")).getText().equals("1"));
        assertThat(browser.findElement(By.cssSelector("tr[data-participant='" + due + "'] [data-cell=last]")).getText()).startsWith("No answer");
        assertThat(browser.findElement(By.id("attempt-panel")).isDisplayed()).isFalse();
    }

    @Test
    void aManagerSeesTheListWithoutContactDetailsOrTheAttemptForm() {
        logIn("manager");
        browser.get("http://127.0.0.1:" + APP.getLocalPort() + "/followup.html?wave=4m");
        loaded();
        assertThat(listed()).contains(due + " 4m due", upcoming + " 4m upcoming");
        assertThat(browser.findElements(By.cssSelector("#list-table .fieldwork-only"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector(".record-button"))).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain(dueFamilyName);
        // A site filter narrows the list.
        new Select(browser.findElement(By.id("filter-site"))).selectByValue("B");
        browser.findElement(By.id("show-button")).click();
        wait.until(d -> listed().equals(List.of(upcoming + " 4m upcoming")));
    }

    @Test
    void aSpecialistIsRefusedThePage() {
        logIn("spec-a");
        browser.get("http://127.0.0.1:" + APP.getLocalPort() + "/followup.html");
        loaded();
        assertThat(browser.findElement(By.id("refused-message")).getText()).contains("survey fieldwork and trial managers");
        assertThat(browser.findElement(By.id("page")).isDisplayed()).isFalse();
    }
}
