package org.ipstrial.api.browser;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.ipstrial.api.TrialConfiguration;
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
 * Screenshots of the admin pages for docs/pages.md: a few made-up users (one locked out, one
 * disabled, one still to choose a password), a new user's one-time code just shown, the sites with
 * a few recruits, and the password page a one-time code leads to. Not a CI test (its name does not
 * end in IT): run it with scripts/page-screenshots admin.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminPageScreenshots {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("admin-screenshots"));
    static final Path OUT = Path.of(System.getenv().getOrDefault("SCREENSHOTS_DIR", "target/screenshots"));

    ChromeDriver browser;
    WebDriverWait wait;

    @Test
    void adminPages() throws IOException {
        TestService.createUsers(APP);
        ApiClient api = TestService.client(APP);
        TestService.createUserThroughAdmin(api, "locked-out", "manager", "B", "a long enough password");
        for (int i = 0; i < APP.getConfiguration().getSecurity().getMaxFailedLogins(); i++) {
            api.send("POST", "/session", null, Map.of("username", "locked-out", "password", "wrong guess " + i), Map.of());
        }
        TestService.createUserThroughAdmin(api, "moved-on", "specialist", "B", "a long enough password");
        api.put("admin", "/users/moved-on/disabled", Map.of("disabled", true));
        String code = api.post("admin", "/users", Map.of("username", "spec-new", "role", "specialist", "site", "A"))
                .body().get("oneTimeCode").asText();
        var definition = TestService.trial(APP).definition();
        for (int i = 0; i < 5; i++) {
            var site = definition.sites().get(i % 2);
            api.post(i % 2 == 0 ? "spec-a" : "spec-b", "/recruits", Map.of("site", site.code(), "area", site.areas().get(0).code()));
        }
        Files.createDirectories(OUT);
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        browser = Browser.start(1280, 1200);
        try {
            wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
            logIn(base, "admin", TestService.PASSWORD);
            wait.until(ExpectedConditions.urlContains("/admin-users.html"));
            loaded();
            browser.findElement(By.id("new-username")).sendKeys("fieldwork-two");
            new Select(browser.findElement(By.id("new-role"))).selectByValue("fieldwork");
            browser.findElement(By.id("create-button")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("one-time-code")));
            Browser.screenshot(browser, OUT, "admin-users.png");
            browser.get(base + "/admin-sites.html");
            loaded();
            Browser.screenshot(browser, OUT, "admin-sites.png");
            browser.manage().deleteAllCookies();
            logIn(base, "spec-new", code);
            wait.until(ExpectedConditions.urlContains("/password.html"));
            loaded();
            Browser.screenshot(browser, OUT, "admin-password-required.png");
        } finally {
            browser.quit();
        }
    }

    private void loaded() {
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
    }

    private void logIn(String base, String user, String password) {
        browser.get(base + "/index.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password, Keys.ENTER);
        wait.until(d -> !d.getCurrentUrl().endsWith("/index.html"));
    }
}
