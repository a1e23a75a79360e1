package org.ipstrial.api.browser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium through Debian's chromedriver. Both paths are given explicitly, so
 * Selenium Manager has nothing to look up and never downloads a driver or a browser. A missing
 * browser fails the test (here and in CI): browser tests never skip.
 */
public final class Browser {
    static final String DRIVER = System.getProperty("browser.driver", "/usr/bin/chromedriver");
    static final String BINARY = System.getProperty("browser.binary", "/usr/bin/chromium");

    private Browser() {}

    public static ChromeDriver start(int width, int height) {
        for (String path : new String[] {DRIVER, BINARY}) {
            if (!Files.isExecutable(Path.of(path))) {
                throw new IllegalStateException(path + " is missing: install Debian's chromium and chromium-driver "
                        + "(apt-get install -y chromium chromium-driver; .ci/run does this). Browser tests never skip.");
            }
        }
        System.setProperty("webdriver.chrome.driver", DRIVER);
        Path profile;
        try {
            profile = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chromium-profile-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60))
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return driver;
    }

    /** A wait of up to 20 s that looks an element up again when a page's redrawing replaced it. */
    public static org.openqa.selenium.support.ui.WebDriverWait waitFor(ChromeDriver browser) {
        var wait = new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /** Quits the browser, if it started. */
    public static void quit(ChromeDriver browser) {
        if (browser != null) {
            browser.quit();
        }
    }

    /** Opens the login page of the service at {@code base} (an earlier user's cookies cleared) and submits a name and password. */
    public static void submitLogin(ChromeDriver browser, org.openqa.selenium.support.ui.WebDriverWait wait, String base, String username,
            String password) {
        if (browser.getCurrentUrl().startsWith("http")) {
            browser.manage().deleteAllCookies();
        }
        browser.get(base + "/index.html");
        wait.until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(org.openqa.selenium.By.id("username")))
                .sendKeys(username);
        browser.findElement(org.openqa.selenium.By.id("password")).sendKeys(password, org.openqa.selenium.Keys.ENTER);
    }

    /** A screenshot of the browser's window into {@code folder} (docs/screenshots through scripts/page-screenshots). */
    static void screenshot(ChromeDriver browser, Path folder, String name) throws IOException {
        Files.createDirectories(folder);
        Path file = browser.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath();
        Files.copy(file, folder.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println("screenshot " + folder.resolve(name).toAbsolutePath());
    }
}
