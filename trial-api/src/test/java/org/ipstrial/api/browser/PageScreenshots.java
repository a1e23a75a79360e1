package org.ipstrial.api.browser;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.reports.TrialHistory;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.Recruits;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Screenshots of the main pages for docs/pages.md, over twelve weeks of made-up recruitment. Not a
 * CI test (its name does not end in IT): run it with scripts/page-screenshots.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PageScreenshots {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("screenshots"));
    static final Path OUT = Path.of(System.getenv().getOrDefault("SCREENSHOTS_DIR", "target/screenshots"));

    ChromeDriver browser;
    WebDriverWait wait;

    @Test
    void mainPages() throws IOException {
        TestService.createUsers(APP);
        ApiClient api = TestService.client(APP);
        TrialHistory.recruit(APP, 220, 84, 7L);
        Random random = new Random(11L);
        // Two randomised today: counted in totals, not yet in the manager's arm columns.
        for (int i = 0; i < 2; i++) {
            String pid = Recruits.ready(api, "spec-a", "A", "A-east", "A-IW", Recruits.identity(random), random);
            api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid), Map.of("Idempotency-Key", "s-" + pid));
        }
        Files.createDirectories(OUT);
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        browser = Browser.start(1280, 900);
        try {
            wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
            browser.get(base + "/index.html");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("spec-a");
            shot("login.png");
            browser.findElement(By.id("password")).sendKeys(TestService.PASSWORD, Keys.ENTER);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#recruits tr")));
            shot("specialist-recruits.png");

            new Select(browser.findElement(By.id("area"))).selectByValue("A-north");
            browser.findElement(By.id("start-button")).click();
            WebElement screening = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("screening")));
            screening.findElement(By.cssSelector("input[name=trialGroup][value='A-OOW']")).click();
            Recruits.eligibleAnswers("A-OOW").forEach((q, yes) -> {
                if (!q.equals("wants_support")) {
                    screening.findElement(By.cssSelector("fieldset[data-field='answers." + q + "'] input[value='" + yes + "']")).click();
                }
            });
            browser.findElement(By.id("screen-button")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#screening .field-error")));
            shot("specialist-screening-error.png");

            // The result page of a recruit made ready through the API.
            String pid = Recruits.ready(api, "spec-a", "A", "A-south", "A-OOW", Recruits.identity(random), random);
            browser.get(base + "/specialist.html?recruit=" + pid);
            wait.until(ExpectedConditions.elementToBeClickable(By.id("randomise-button"))).sendKeys(Keys.ENTER);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("result-message")));
            shot("specialist-result.png");

            browser.manage().window().setSize(new Dimension(768, 1024));
            browser.get(base + "/specialist.html");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#recruits tr")));
            shot("specialist-tablet.png");

            // Dashboards are long: a taller window shows a table and its charts together.
            browser.manage().window().setSize(new Dimension(1280, 1400));
            browser.manage().deleteAllCookies();
            browser.get(base + "/index.html");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("manager");
            browser.findElement(By.id("password")).sendKeys(TestService.PASSWORD, Keys.ENTER);
            wait.until(ExpectedConditions.urlContains("/dashboard.html"));
            wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
            shot("dashboard-recruitment.png");
            browser.findElement(By.cssSelector("a[href='#consort']")).click();
            shot("dashboard-consort.png");
            WebElement diagram = browser.findElement(By.id("consort-diagram"));
            wait.until(d -> "true".equals(diagram.getDomAttribute("data-loaded")));
            browser.executeScript("arguments[0].scrollIntoView({block: 'start'})", browser.findElement(By.id("diagram-title")));
            shot("dashboard-consort-diagram.png");
            browser.findElement(By.cssSelector("a[href='#balance']")).click();
            shot("dashboard-balance.png");

            browser.manage().deleteAllCookies();
            browser.get(base + "/index.html");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("statistician");
            browser.findElement(By.id("password")).sendKeys(TestService.PASSWORD, Keys.ENTER);
            wait.until(ExpectedConditions.urlContains("/dashboard.html"));
            wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
            browser.findElement(By.cssSelector("a[href='#sequence']")).click();
            shot("dashboard-sequence.png");
        } finally {
            browser.quit();
        }
    }

    private void shot(String name) throws IOException {
        Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, OUT.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        System.out.println("screenshot " + OUT.resolve(name).toAbsolutePath());
    }
}
