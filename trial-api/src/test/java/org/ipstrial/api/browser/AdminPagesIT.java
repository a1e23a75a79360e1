package org.ipstrial.api.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.ipstrial.api.TrialConfiguration;
import org.ipstrial.api.support.ApiClient;
import org.ipstrial.api.support.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin's pages in a real headless Chromium against a real service and database: an admin adds
 * a specialist, resets their password, the specialist signs in with the one-time code, is held on
 * the password page until they choose one, and then works; the sites page lists them.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminPagesIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("admin-pages"));
    static ApiClient api;
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
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

    void logIn(String username, String password) {
        Browser.submitLogin(browser, wait, base(), username, password);
    }

    void loaded() {
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
    }

    WebElement userRow(String username) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#users-table tr[data-username='" + username + "']")));
    }

    String codeShown() {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("one-time-code"))).getText();
    }

    @Test
    void anAdminAddsASpecialistWhoSignsInWithTheCodeMustChooseAPasswordAndThenWorks() {
        logIn("admin", TestService.PASSWORD);
        wait.until(ExpectedConditions.urlContains("/admin-users.html"));
        loaded();
        assertThat(userRow("spec-a").getText()).contains("Employment specialist").contains("A").contains("Active");

        // A specialist without a site: the message beside the site, nothing created.
        browser.findElement(By.id("new-username")).sendKeys("new-spec");
        new Select(browser.findElement(By.id("new-role"))).selectByValue("specialist");
        browser.findElement(By.id("create-button")).click();
        WebElement siteError = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#create-form [data-field='site'] .field-error")));
        assertThat(siteError.getText()).isEqualTo("Is required for a specialist.");
        assertThat(browser.findElements(By.cssSelector("#users-table tr[data-username='new-spec']"))).isEmpty();

        new Select(browser.findElement(By.id("new-site"))).selectByValue("A");
        browser.findElement(By.id("create-button")).click();
        String firstCode = codeShown();
        assertThat(firstCode).matches("([A-HJ-NP-Z2-9]{5}-){4}[A-HJ-NP-Z2-9]{5}");
        assertThat(userRow("new-spec").findElement(By.cssSelector("[data-cell='status']")).getText()).contains("Must choose a password");

        // Reset: a new code replaces the first.
        userRow("new-spec").findElement(By.cssSelector("button[data-action='reset']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(d -> !d.findElement(By.id("one-time-code")).getText().equals(firstCode));
        String code = codeShown();
        browser.findElement(By.id("code-hide")).click();
        assertThat(browser.findElements(By.id("one-time-code"))).isEmpty();
        browser.navigate().refresh();
        loaded();
        assertThat(browser.getPageSource()).as("the code is shown once, never listed").doesNotContain(code).doesNotContain(firstCode);

        // The last active admin cannot disable themselves: the page says why.
        userRow("admin").findElement(By.cssSelector("button[data-action='disable']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        WebElement refusal = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("refusal")));
        assertThat(refusal.getText()).contains("last active admin");
        assertThat(userRow("admin").getText()).contains("Active");

        // The specialist signs in with the first code: refused (replaced); with the second: sent to the password page.
        logIn("new-spec", firstCode);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#login .error-summary")));
        logIn("new-spec", code);
        wait.until(ExpectedConditions.urlContains("/password.html"));
        loaded();
        assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("Choose your password");
        assertThat(browser.findElement(By.id("required")).isDisplayed()).isTrue();
        // Any other page sends them back.
        browser.get(base() + "/specialist.html");
        wait.until(ExpectedConditions.urlContains("/password.html"));
        loaded();

        browser.findElement(By.id("current-password")).sendKeys(code);
        browser.findElement(By.id("new-password")).sendKeys("too short");
        browser.findElement(By.id("repeat-password")).sendKeys("too short");
        browser.findElement(By.id("password-button")).click();
        WebElement tooShort = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#password-form [data-field='newPassword'] .field-error")));
        assertThat(tooShort.getText()).isEqualTo("Must have at least 12 characters.");
        browser.findElement(By.id("new-password")).clear();
        browser.findElement(By.id("repeat-password")).clear();
        browser.findElement(By.id("new-password")).sendKeys("my own long password");
        browser.findElement(By.id("repeat-password")).sendKeys("my own long password");
        browser.findElement(By.id("password-button")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("go-on"))).click();

        wait.until(ExpectedConditions.urlContains("/specialist.html"));
        WebElement area = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#area option[value='A-north']")));
        assertThat(area.getText()).contains("North");
        new Select(browser.findElement(By.id("area"))).selectByValue("A-north");
        browser.findElement(By.id("start-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("form#screening")));

        // From now on the new password leads straight to the specialist's page, and the code no longer works.
        logIn("new-spec", code);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#login .error-summary")));
        logIn("new-spec", "my own long password");
        wait.until(ExpectedConditions.urlContains("/specialist.html"));

        // The sites page: the new specialist at site A, with the recruit they started.
        logIn("admin", TestService.PASSWORD);
        wait.until(ExpectedConditions.urlContains("/admin-users.html"));
        assertThat(userRow("new-spec").findElement(By.cssSelector("[data-cell='status']")).getText()).isEqualTo("Active");
        assertThat(userRow("new-spec").getText()).doesNotContain("never");
        browser.findElement(By.linkText("Sites")).click();
        wait.until(ExpectedConditions.urlContains("/admin-sites.html"));
        loaded();
        WebElement siteA = browser.findElement(By.cssSelector("#sites-table tr[data-site='A']"));
        assertThat(siteA.findElement(By.cssSelector("[data-role='specialist']")).getText()).contains("spec-a").contains("new-spec");
        assertThat(siteA.findElement(By.cssSelector("[data-cell='recruits']")).getText()).isEqualTo("1");
        WebElement siteB = browser.findElement(By.cssSelector("#sites-table tr[data-site='B']"));
        assertThat(siteB.getText()).contains("spec-b").doesNotContain("new-spec");
        assertThat(browser.findElement(By.id("across")).getText()).contains("statistician").contains("admin");
    }
}
