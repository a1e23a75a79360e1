package org.ipstrial.api.browser;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The two-factor set-up page for docs/security.md, as a statistician (a role that requires it) sees
 * it right after the password: the QR code and the key to type by hand. Not a CI test (its name
 * does not end in IT): run it with scripts/page-screenshots two-factor.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TwoFactorPageScreenshots {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("two-factor-screenshots"),
            ConfigOverride.config("security.twoFactorRequiredFor", "custodian,statistician,admin"));
    static final Path OUT = Path.of(System.getenv().getOrDefault("SCREENSHOTS_DIR", "target/screenshots"));

    @Test
    void enrolment() throws IOException {
        TestService.createUsers(APP);
        ChromeDriver browser = Browser.start(1280, 1250);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            browser.get("http://127.0.0.1:" + APP.getLocalPort() + "/index.html");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("statistician");
            browser.findElement(By.id("password")).sendKeys(TestService.PASSWORD, Keys.ENTER);
            wait.until(ExpectedConditions.urlContains("/two-factor.html"));
            wait.until(ExpectedConditions.elementToBeClickable(By.id("start"))).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#qr svg")));
            Browser.screenshot(browser, OUT, "two-factor-enrol.png");
        } finally {
            browser.quit();
        }
    }
}
