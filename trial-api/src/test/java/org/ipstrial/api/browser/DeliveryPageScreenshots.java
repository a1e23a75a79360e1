package org.ipstrial.api.browser;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.ipstrial.api.DemoHistory;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.core.delivery.DeliverySettings;
import org.ipstrial.api.core.design.SecretFile;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Screenshots of the delivery pages for docs/pages.md, over a made-up history of recruitment and
 * delivery ({@link DemoHistory}, seeded). Not a CI test: run it with scripts/page-screenshots.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DeliveryPageScreenshots {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("delivery-screenshots"));
    static final Path OUT = Path.of(System.getenv().getOrDefault("SCREENSHOTS_DIR", "target/screenshots"));

    ChromeDriver browser;
    WebDriverWait wait;

    @Test
    void deliveryPages() throws IOException {
        TestService.createUsers(APP);
        var config = APP.getConfiguration().getTrial();
        var trial = TestService.trial(APP);
        new DemoHistory(TestService.jdbi(APP), trial.definition(), trial.design(), SecretFile.read(Path.of(config.getSecretFile())),
                DeliverySettings.load(Path.of(config.getDeliveryFile()), trial.definition()), Instant.now(), 12L)
                .load(new DemoHistory.Staff(Map.of("A", TestService.user(APP, "spec-a"), "B", TestService.user(APP, "spec-b")),
                        TestService.user(APP, "manager")), 240, 300);
        Files.createDirectories(OUT);
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        browser = Browser.start(1280, 1000);
        try {
            wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
            logIn(base, "spec-a", "/caseload.html");
            shot("caseload.png");
            browser.manage().window().setSize(new Dimension(800, 1280));
            browser.findElement(By.cssSelector("button.record")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("session-form")));
            browser.findElement(By.cssSelector("input[name=mode][value=face_to_face]")).click();
            browser.findElement(By.cssSelector("button[data-minutes='45']")).click();
            shot("caseload-session-tablet.png");

            browser.manage().window().setSize(new Dimension(1280, 1500));
            browser.manage().deleteAllCookies();
            logIn(base, "manager", "/delivery-report.html");
            shot("delivery-report.png");
            browser.findElement(By.cssSelector("a[href='#fidelity']")).click();
            shot("delivery-fidelity.png");
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
