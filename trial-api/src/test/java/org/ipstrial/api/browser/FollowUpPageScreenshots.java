package org.ipstrial.api.browser;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Random;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.core.recruitment.TrialContext;
import org.ipstrial.api.followup.FollowUpHistory;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Screenshots of the follow-up page for docs/pages.md: made-up recruits randomised over the last
 * ten months, a few contact attempts, as fieldwork and a manager see it. Not a CI test (its name
 * does not end in IT): run it with scripts/page-screenshots followup.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FollowUpPageScreenshots {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("followup-screenshots"));
    static final Path OUT = Path.of(System.getenv().getOrDefault("SCREENSHOTS_DIR", "target/screenshots"));
    static final String[] OUTCOMES = {"no_answer", "left_message", "interview_booked", "wrong_number", "completed"};

    ChromeDriver browser;
    WebDriverWait wait;

    @Test
    void followUpPage() throws IOException {
        TestService.createUsers(APP);
        ApiClient api = TestService.client(APP);
        FollowUpHistory history = new FollowUpHistory(APP, 31L);
        Random random = new Random(31L);
        String today = LocalDate.now(TrialContext.TRIAL_ZONE).toString();
        for (int i = 0; i < 24; i++) {
            int daysAgo = 5 + random.nextInt(320);
            String pid = history.randomised(random.nextBoolean() ? "A" : "B", daysAgo, true);
            if (daysAgo > 112 && random.nextInt(3) > 0) {
                api.post("fieldwork", "/recruits/" + pid + "/followup/4m/attempts",
                        Map.of("date", today, "outcome", OUTCOMES[random.nextInt(OUTCOMES.length)]));
            }
        }
        Files.createDirectories(OUT);
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        browser = Browser.start(1280, 1100);
        try {
            wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
            logIn(base, "fieldwork");
            new Select(browser.findElement(By.id("filter-state"))).selectByValue("");
            new Select(browser.findElement(By.id("filter-wave"))).selectByValue("4m");
            browser.findElement(By.id("show-button")).click();
            wait.until(d -> d.getCurrentUrl().contains("wave=4m"));
            browser.findElements(By.cssSelector(".record-button")).stream().findFirst().ifPresent(b -> b.click());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("attempt-panel")));
            shot("followup-fieldwork.png");
            browser.manage().deleteAllCookies();
            logIn(base, "manager");
            browser.get(base + "/followup.html?wave=4m");
            wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
            shot("followup-manager.png");
        } finally {
            browser.quit();
        }
    }

    private void logIn(String base, String user) {
        browser.get(base + "/index.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(TestService.PASSWORD, Keys.ENTER);
        wait.until(d -> !d.getCurrentUrl().endsWith("/index.html"));
        wait.until(d -> !d.getCurrentUrl().endsWith("/followup.html") || "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
    }

    private void shot(String name) throws IOException {
        Browser.screenshot(browser, OUT, name);
    }
}
