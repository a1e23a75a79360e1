package org.ipstrial.api.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.file.Path;
import java.time.Duration;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The pages in a real headless Chromium against a real service and database. */
@ExtendWith(DropwizardExtensionsSupport.class)
class PagesIT {
    static final DropwizardAppExtension<TrialConfiguration> APP = TestService.extension(TestService.newFolder("pages"));
    static ApiClient api;
    ChromeDriver browser;
    WebDriverWait wait;
    Random random;

    @BeforeAll
    static void users() {
        TestService.createUsers(APP);
        api = TestService.client(APP);
    }

    @BeforeEach
    void openBrowser(org.junit.jupiter.api.TestInfo test) {
        random = TestService.seededRandom(test);
        // Tablet width: the pages must work there (and so at laptop widths too).
        browser = Browser.start(1024, 900);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        // A page being replaced by the next one leaves stale elements behind: look again.
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    String base() {
        return "http://127.0.0.1:" + APP.getLocalPort();
    }

    /** Logs in by keyboard alone: type, then Enter. */
    void logIn(String username) {
        browser.get(base() + "/index.html");
        WebElement user = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        user.sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(TestService.PASSWORD, Keys.ENTER);
    }

    WebElement form(String id) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("form#" + id)));
    }

    void answer(WebElement form, String fieldsetField, String value) {
        form.findElement(By.cssSelector("fieldset[data-field='" + fieldsetField + "'] input[value='" + value + "']")).click();
    }

    @Test
    void aSpecialistTakesARecruitFromLogInToARandomisedResult() {
        logIn("spec-a");
        wait.until(ExpectedConditions.urlContains("/specialist.html"));
        WebElement area = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#area option[value='A-north']")));
        assertThat(area.getText()).contains("North");
        new Select(browser.findElement(By.id("area"))).selectByValue("A-north");
        browser.findElement(By.id("start-button")).click();

        WebElement screening = form("screening");
        screening.findElement(By.cssSelector("input[name=trialGroup][value='A-OOW']")).click();
        wait.until(d -> !d.findElements(By.cssSelector("fieldset[data-field='answers.not_working']")).isEmpty());
        // Leave one question unanswered first: the message appears beside that question, in plain words.
        Map<String, Boolean> answers = Recruits.eligibleAnswers("A-OOW");
        answers.forEach((q, yes) -> {
            if (!q.equals("over_18")) {
                answer(screening, "answers." + q, yes.toString());
            }
        });
        screening.findElement(By.id("screen-button")).click();
        WebElement missing = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("fieldset[data-field='answers.over_18'] .field-error")));
        assertThat(missing.getText()).isEqualTo("Needs a yes or no answer.");
        assertThat(browser.findElement(By.cssSelector("#screening .error-summary")).getAttribute("role")).isEqualTo("alert");
        answer(screening, "answers.over_18", "true");
        screening.findElement(By.id("screen-button")).click();

        WebElement agreement = form("agreement");
        Recruits.agreeAll().keySet().forEach(s -> answer(agreement, "answers." + s, "true"));
        agreement.findElement(By.id("agree-button")).click();

        WebElement identity = form("identity");
        Map<String, Object> person = Recruits.identity(random);
        for (String field : List.of("givenName", "familyName", "postcode", "phone", "email", "nationalInsuranceNumber", "language")) {
            identity.findElement(By.id("i-" + field)).sendKeys((String) person.get(field));
        }
        identity.findElement(By.id("i-nhsNumber")).sendKeys("123");
        setDate(identity.findElement(By.id("i-dateOfBirth")), (String) person.get("dateOfBirth"));
        new Select(identity.findElement(By.id("i-sex"))).selectByValue("female");
        new Select(identity.findElement(By.id("i-surveyMode"))).selectByValue("telephone");
        identity.findElement(By.id("identity-button")).click();
        WebElement nhsError = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#identity .field .field-error")));
        assertThat(nhsError.getText()).doesNotContain("123").isNotBlank();
        assertThat(browser.findElement(By.cssSelector("#identity .error-summary")).getText()).contains("NHS number:");
        WebElement nhs = browser.findElement(By.id("i-nhsNumber"));
        assertThat(nhs.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(nhs.getAttribute("aria-describedby")).contains(nhsError.getAttribute("id"));
        nhs.clear();
        nhs.sendKeys((String) person.get("nhsNumber"));
        browser.findElement(By.id("identity-button")).click();

        WebElement baseline = form("baseline");
        for (WebElement select : baseline.findElements(By.tagName("select"))) {
            new Select(select).selectByIndex(1);
        }
        for (WebElement fieldset : baseline.findElements(By.tagName("fieldset"))) {
            fieldset.findElement(By.cssSelector("input[type=checkbox]")).click();
        }
        for (WebElement number : baseline.findElements(By.cssSelector("input[inputmode=numeric]"))) {
            number.sendKeys("50");
        }
        baseline.findElement(By.id("baseline-button")).click();

        WebElement randomise = wait.until(ExpectedConditions.elementToBeClickable(By.id("randomise-button")));
        randomise.sendKeys(Keys.ENTER);
        WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("result-message")));
        assertThat(message.getText()).startsWith("Randomisation is complete. The allocation is:");
        assertThat(browser.findElement(By.id("result-next")).getText()).isNotBlank();
        assertThat(browser.findElement(By.id("result")).getAttribute("aria-live")).isEqualTo("polite");

        String pid = browser.getCurrentUrl().replaceAll(".*recruit=", "");
        var view = api.get("spec-a", "/recruits/" + pid);
        assertThat(view.body().path("allocation").path("arm").asText()).isIn("treatment", "control");
        // The trial definition's words, never the code.
        String words = view.body().path("allocation").path("armLabel").asText();
        assertThat(words).isIn("IPS employment support", "usual support");
        assertThat(message.getText()).endsWith(words + ".").doesNotContain("treatment").doesNotContain("control");
    }

    @Test
    void aSpecialistPrintsTheAllocationConfirmationFromTheResultPage() throws Exception {
        Map<String, Object> person = Recruits.identity(random);
        String pid = Recruits.ready(api, "spec-a", "A", "A-north", "A-IW", person, random);
        logIn("spec-a");
        wait.until(ExpectedConditions.urlContains("/specialist.html"));
        browser.get(base() + "/specialist.html?recruit=" + pid);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("randomise-button"))).sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("result-message")));

        WebElement link = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirmation-pdf")));
        assertThat(link.getText()).isEqualTo("Print confirmation (PDF)");
        String href = link.getDomAttribute("href");
        assertThat(href).isEqualTo("/api/v1/recruits/" + pid + "/allocation/confirmation.pdf");
        assertThat(browser.findElement(By.id(link.getDomAttribute("aria-describedby"))).getText()).contains("no name");
        // What the link points at, fetched by the page with its session cookie, as a click would.
        List<?> got = (List<?>) browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.arrayBuffer().then(b => {"
                + "  let s = ''; new Uint8Array(b).forEach(x => s += String.fromCharCode(x));"
                + "  done([r.status, r.headers.get('Content-Type'), r.headers.get('Content-Disposition'), btoa(s)]); }));", href);
        assertThat(((Number) got.get(0)).intValue()).isEqualTo(200);
        assertThat((String) got.get(1)).startsWith("application/pdf");
        assertThat((String) got.get(2)).startsWith("attachment;").contains("allocation-confirmation-" + pid + ".pdf");
        byte[] pdf = java.util.Base64.getDecoder().decode((String) got.get(3));
        String text;
        try (var document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            text = new org.apache.pdfbox.text.PDFTextStripper().getText(document);
        }
        String words = api.get("spec-a", "/recruits/" + pid).body().path("allocation").path("armLabel").asText();
        assertThat(text).contains("Allocation confirmation", pid.substring(0, 4) + "-" + pid.substring(4), words, "spec-a")
                .doesNotContain((String) person.get("familyName")).doesNotContain((String) person.get("nationalInsuranceNumber"));

        link.sendKeys(Keys.SHIFT); // focus, so the screenshot shows where the keyboard is
        Browser.screenshot(browser, Path.of(System.getenv().getOrDefault("SCREENSHOTS_DIR", "target/screenshots")),
                "specialist-confirmation.png");
    }

    /** Date inputs take the keys of the browser's locale: set the value the way a person's picker would. */
    void setDate(WebElement input, String isoDate) {
        browser.executeScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", input, isoDate);
    }

    @Test
    void aManagerSeesTheNewRecruitCountedOnTheDashboard() {
        long before = api.get("manager", "/reports/consort").body().get("rows").get(0).get("randomised").asLong();
        String pid = Recruits.ready(api, "spec-b", "B", "B-west", "B-OOW", Recruits.identity(random), random);
        var allocated = api.send("POST", "/randomisations", api.token("spec-b"), Map.of("participantId", pid),
                Map.of("Idempotency-Key", "pages-" + pid));
        assertThat(allocated.status()).as(allocated.toString()).isEqualTo(200);

        logIn("manager");
        wait.until(ExpectedConditions.urlContains("/dashboard.html"));
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
        WebElement trial = browser.findElement(By.cssSelector("td[data-consort='trial:all'][data-cell='randomised']"));
        assertThat(trial.getText()).isEqualTo(String.valueOf(before + 1));
        WebElement group = browser.findElement(By.cssSelector("tr[data-unit='trial_group:B-OOW'] td[data-cell='randomised']"));
        assertThat(Long.parseLong(group.getText())).isGreaterThanOrEqualTo(1);
        // Randomised today: counted, but not yet in any arm column a manager sees.
        WebElement treatment = browser.findElement(By.cssSelector("tr[data-unit='trial_group:B-OOW'] td[data-cell='arm-treatment']"));
        WebElement control = browser.findElement(By.cssSelector("tr[data-unit='trial_group:B-OOW'] td[data-cell='arm-control']"));
        assertThat(Long.parseLong(treatment.getText()) + Long.parseLong(control.getText())).isZero();
        assertThat(browser.findElement(By.id("arms-note")).getText()).contains("up to the end of");
        assertThat(browser.findElement(By.tagName("body")).getText()).as("arm columns in the trial definition's words")
                .contains("IPS employment support").contains("usual support");
        assertThat(browser.findElements(By.cssSelector("#cumulative-chart svg"))).as("chart drawn by the packaged ECharts").isNotEmpty();
        // The CONSORT diagram: the server's SVG shown on the page, then of one trial group, with a download link to the same.
        browser.findElement(By.cssSelector("a[href='#consort']")).click();
        wait.until(d -> "true".equals(d.findElement(By.id("consort-diagram")).getDomAttribute("data-loaded")));
        WebElement diagram = browser.findElement(By.id("consort-diagram"));
        assertThat(((Number) browser.executeScript("return arguments[0].naturalWidth", diagram)).intValue()).as("the SVG was drawn").isEqualTo(760);
        new Select(browser.findElement(By.id("diagram-unit"))).selectByValue("B-OOW");
        wait.until(d -> "true".equals(d.findElement(By.id("consort-diagram")).getDomAttribute("data-loaded")));
        assertThat(diagram.getDomAttribute("alt")).contains("trial group");
        String download = browser.findElement(By.id("diagram-download")).getDomAttribute("href");
        assertThat(download).isEqualTo("/api/v1/reports/consort.svg?trialGroup=B-OOW");
        var fetched = browser.executeAsyncScript("const done = arguments[arguments.length - 1]; fetch(arguments[0], {credentials: 'same-origin'})"
                + ".then(r => r.text().then(t => done([r.status, r.headers.get('Content-Type'), t])));", download);
        List<?> got = (List<?>) fetched;
        assertThat(((Number) got.get(0)).intValue()).isEqualTo(200);
        assertThat((String) got.get(1)).startsWith("image/svg+xml");
        assertThat((String) got.get(2)).contains("Allocated to IPS employment support").doesNotContain(pid);
        assertThat(browser.findElement(By.id("sequence")).isDisplayed()).as("sequence is the statistician's").isFalse();
    }

    @Test
    void aManagerRecordsAWithdrawalWithADateAndAReason() {
        String pid = Recruits.ready(api, "spec-a", "A", "A-south", "A-IW", Recruits.identity(random), random);
        api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid), Map.of("Idempotency-Key", "w-" + pid));
        logIn("manager");
        wait.until(ExpectedConditions.urlContains("/dashboard.html"));
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
        // Under permuted blocks there is no minimisation balance (MinimisationServiceIT shows it under minimisation).
        assertThat(browser.findElement(By.id("minimisation")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("minimisation-link")).isDisplayed()).isFalse();
        browser.findElement(By.id("find-q")).sendKeys(pid, Keys.ENTER);
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-pick='" + pid + "']"))).click();
        WebElement form = form("status-form");
        form.findElement(By.cssSelector("input[name=kind][value=withdrawn_service]")).click();
        form.findElement(By.id("status-button")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#status-form .field .field-error")));
        assertThat(error.getText()).startsWith("Is required");
        setDate(form.findElement(By.id("status-date")), java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).toString());
        form.findElement(By.id("status-reason")).sendKeys("Moved out of the area");
        form.findElement(By.id("status-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("record-result"), "Recorded: withdrawn service"));
        assertThat(api.get("manager", "/recruits/" + pid).body().get("status").asText()).isEqualTo("withdrawn_service");
    }

    @Test
    void aManagerErasesARecruitGivingTheDateOfTheRequestAndAReason() {
        String pid = Recruits.ready(api, "spec-a", "A", "A-east", "A-OOW", Recruits.identity(random), random);
        api.send("POST", "/randomisations", api.token("spec-a"), Map.of("participantId", pid), Map.of("Idempotency-Key", "e-" + pid));
        // Someone found not eligible, so the reasons table has a row to show in words.
        var ineligible = api.post("spec-a", "/recruits", Map.of("site", "A", "area", "A-east")).body().get("participantId").asText();
        Map<String, Boolean> answers = new java.util.HashMap<>(Recruits.eligibleAnswers("A-OOW"));
        answers.put("over_18", false);
        api.post("spec-a", "/recruits/" + ineligible + "/screening", Map.of("trialGroup", "A-OOW", "answers", answers));
        logIn("manager");
        wait.until(ExpectedConditions.urlContains("/dashboard.html"));
        wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
        assertThat(browser.findElement(By.id("reasons-table")).getText()).contains("Aged over 18").doesNotContain("over_18");
        long erasedBefore = Long.parseLong(browser.findElement(By.cssSelector("td[data-consort='trial:all'][data-cell='erased']")).getText());

        browser.findElement(By.id("find-q")).sendKeys(pid, Keys.ENTER);
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-pick='" + pid + "']"))).click();
        WebElement form = form("erasure-form");
        form.findElement(By.cssSelector("input[name=ground][value=participant_request]")).click();
        form.findElement(By.id("erasure-confirmed")).click();
        form.findElement(By.id("erasure-button")).click();
        // No date given: the message is beside the date, and nothing is erased.
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#erasure-form .field .field-error")));
        assertThat(error.getText()).startsWith("Is required");
        assertThat(api.get("manager", "/recruits/" + pid).status()).isEqualTo(200);

        // The recruit was first seen today, so the request cannot be older.
        String requested = java.time.LocalDate.now(java.time.ZoneId.of("Europe/London")).toString();
        setDate(form.findElement(By.id("erasure-date")), requested);
        form.findElement(By.id("erasure-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("record-result"), "request received " + requested));
        assertThat(api.get("manager", "/recruits/" + pid).status()).isEqualTo(404);
        wait.until(ExpectedConditions.textToBe(By.cssSelector("td[data-consort='trial:all'][data-cell='erased']"),
                String.valueOf(erasedBefore + 1)));
        var row = TestService.ownerJdbi(APP).withHandle(h -> h.createQuery(
                "SELECT requested_on::text || ' ' || ground FROM erasure WHERE requested_on IS NOT NULL ORDER BY erased_on DESC LIMIT 1")
                .mapTo(String.class).one());
        assertThat(row).isEqualTo(requested + " participant_request");
    }

    @Test
    void aSpecialistIsRefusedTheDashboard() {
        logIn("spec-b");
        wait.until(ExpectedConditions.urlContains("/specialist.html"));
        browser.get(base() + "/dashboard.html");
        WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("refused-message")));
        assertThat(refused.getText()).contains("for trial managers and the statistician");
        assertThat(browser.findElement(By.id("dashboard")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector("td[data-cell]"))).isEmpty();
        // And the API itself refuses, whatever the page does.
        Object status = browser.executeAsyncScript("const done = arguments[0];"
                + "fetch('/api/v1/reports/recruitment', {credentials: 'same-origin'}).then(r => done(r.status));");
        assertThat(((Number) status).intValue()).isEqualTo(403);
    }

}
