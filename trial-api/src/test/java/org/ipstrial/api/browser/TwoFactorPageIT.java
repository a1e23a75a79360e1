package org.ipstrial.api.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.auth.TotpCodes;
import org.ipstrial.api.reports.MutableClock;
import org.ipstrial.api.support.ApiClient;
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

/**
 * Two-factor sign-in in a real headless Chromium: a custodian (a role that requires it) signs in,
 * lands on the set-up page, reads the key from the page, types the code the test computes from it,
 * keeps the recovery codes; the next sign-in asks for a code, refuses a wrong one beside the field,
 * and opens with the right one. The service runs on a clock the test moves, so no step is waited for.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class TwoFactorPageIT {
    static final MutableClock CLOCK = new MutableClock(Instant.ofEpochSecond(TotpCodes.stepAt(Instant.parse("2026-05-04T08:00:00Z")) * 30 + 5));
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("two-factor-page"), CLOCK,
            ConfigOverride.config("security.twoFactorRequiredFor", "custodian,statistician,admin"));
    static final TotpCodes CODES = new TotpCodes();
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
    }

    @BeforeEach
    void openBrowser() {
        browser = Browser.start(1280, 1000);
        wait = Browser.waitFor(browser);
    }

    @AfterEach
    void closeBrowser() {
        Browser.quit(browser);
    }

    String base() {
        return "http://127.0.0.1:" + APP.getLocalPort();
    }

    void logIn(String username) {
        Browser.submitLogin(browser, wait, base(), username, TestService.PASSWORD);
    }

    static long step() {
        return TotpCodes.stepAt(CLOCK.instant());
    }

    @Test
    void aCustodianSetsUpTheSecondFactorFromThePageAndThenSignsInWithACode() {
        logIn("custodian");
        wait.until(ExpectedConditions.urlContains("/two-factor.html"));
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
        assertThat(browser.findElement(By.id("status")).getText()).contains("Your role signs in with a second factor");
        browser.findElement(By.id("start")).click();
        String shown = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("two-factor-secret"))).getText();
        assertThat(shown).matches("[A-Z2-7]{4}( [A-Z2-7]{4})+");
        assertThat(browser.findElements(By.cssSelector("#qr svg path"))).hasSize(1);
        byte[] secret = TotpCodes.fromBase32(shown);
        assertThat(secret).hasSize(20);

        WebElement code = browser.findElement(By.id("code"));
        code.sendKeys("000000".equals(CODES.codeOf(secret, step())) ? "111111" : "000000", Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#confirm .field-error")));
        assertThat(browser.findElement(By.cssSelector("#confirm .field-error")).getText()).contains("not the app's code");
        code = browser.findElement(By.id("code"));
        code.clear();
        code.sendKeys(CODES.codeOf(secret, step()), Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recovery-section")));
        List<WebElement> recovery = browser.findElements(By.cssSelector("#recovery-codes li"));
        assertThat(recovery).hasSize(10);
        assertThat(recovery.get(0).getText()).matches("[a-z2-9]{5}-[a-z2-9]{5}");
        wait.until(d -> d.findElement(By.id("continue")).getDomAttribute("href").equals("/no-pages.html"));
        browser.findElement(By.id("continue")).click();
        wait.until(ExpectedConditions.urlContains("/no-pages.html"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "custodian"));

        // The next sign-in, a step later: the password, then the code.
        CLOCK.set(CLOCK.instant().plusSeconds(30));
        logIn("custodian");
        WebElement second = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("code")));
        assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();
        String wrong = CODES.codeOf(secret, step() + 5);
        second.sendKeys(wrong, Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#second-factor .error-summary")));
        assertThat(browser.findElement(By.cssSelector("#second-factor .error-summary")).getText()).contains("wrong or was used already");
        assertThat(browser.getCurrentUrl()).contains("/index.html");
        second = browser.findElement(By.id("code"));
        second.sendKeys(CODES.codeOf(secret, step()), Keys.ENTER);
        wait.until(ExpectedConditions.urlContains("/no-pages.html"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "custodian"));

        // The header links to the page, which now says the second factor is on.
        browser.findElement(By.id("two-factor-link")).click();
        wait.until(ExpectedConditions.urlContains("/two-factor.html"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Recovery codes left: 10"));
    }

    @Test
    void anAdminResetsAStatisticiansSecondFactorFromTheUsersPage() {
        CLOCK.set(CLOCK.instant().plusSeconds(3600));
        ApiClient api = TestService.client(APP);
        String token = api.send("POST", "/session", null, Map.of("username", "statistician", "password", TestService.PASSWORD), Map.of())
                .body().get("token").asText();
        byte[] statisticianSecret = TotpCodes.fromBase32(api.send("POST", "/two-factor/enrolment", token, null, Map.of())
                .body().get("secret").asText());
        assertThat(api.send("POST", "/two-factor/enrolment/confirmation", token, Map.of("code", CODES.codeOf(statisticianSecret, step())),
                Map.of()).status()).isEqualTo(200);

        logIn("admin");
        wait.until(ExpectedConditions.urlContains("/two-factor.html"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("start"))).click();
        byte[] secret = TotpCodes.fromBase32(wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("two-factor-secret"))).getText());
        browser.findElement(By.id("code")).sendKeys(CODES.codeOf(secret, step()), Keys.ENTER);
        wait.until(d -> "/admin-users.html".equals(d.findElement(By.id("continue")).getDomAttribute("href")));
        browser.findElement(By.id("continue")).click();
        WebElement reset = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#users-table tr[data-username='statistician'] button[data-action='two-factor']")));
        reset.click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("done"), "The second factor of statistician is reset"));
        assertThat(api.send("GET", "/two-factor", token, null, Map.of()).status()).as("the statistician's session ended").isEqualTo(401);
        var again = api.send("POST", "/session", null, Map.of("username", "statistician", "password", TestService.PASSWORD), Map.of());
        assertThat(again.body().get("pendingStep").asText()).isEqualTo("enrolment");
    }

    @Test
    void aRoleThatDoesNotRequireItSignsInWithThePasswordAlone() {
        logIn("manager");
        wait.until(ExpectedConditions.urlContains("/dashboard.html"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "manager"));
    }
}
