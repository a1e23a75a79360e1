package org.ipstrial.api.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One trial-api instance as its own JVM process (the shaded jar with
 * {@code config/trial-api-external-db.yml}), on its own loopback ports, against a shared external
 * PostgreSQL. A test can kill it with SIGKILL as an operating system would.
 */
public final class ServiceInstance implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int port;
    private final int adminPort;
    private final Path log;

    private ServiceInstance(String name, Process process, int port, int adminPort, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.log = log;
    }

    /** Starts the instance; returns once the process runs (see {@link #awaitHealthy}). */
    public static ServiceInstance start(String name, Path repository, Path shadedJar, Path folder, Map<String, String> environment) {
        try {
            int port = freePort();
            int adminPort = freePort();
            Path log = folder.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xms128m", "-Xmx384m", "-XX:+UseSerialGC",
                    "-Djava.io.tmpdir=" + folder.resolve("tmp")));
            // SERVICE_JAVA_OPTIONS: extra JVM options for every instance, e.g. a JFR recording when profiling.
            String extra = System.getenv("SERVICE_JAVA_OPTIONS");
            if (extra != null && !extra.isBlank()) {
                command.addAll(List.of(extra.trim().replace("{name}", name).split("\\s+")));
            }
            command.addAll(List.of("-jar", shadedJar.toString(), "server", repository.resolve("config/trial-api-external-db.yml").toString()));
            Files.createDirectories(folder.resolve("tmp"));
            ProcessBuilder builder = new ProcessBuilder(command).directory(repository.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            builder.environment().put("PORT", Integer.toString(port));
            builder.environment().put("ADMIN_PORT", Integer.toString(adminPort));
            return new ServiceInstance(name, builder.start(), port, adminPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start service instance " + name, e);
        }
    }

    /** Waits until the admin health check answers 200 (database reachable), or fails with the log's tail. */
    public ServiceInstance awaitHealthy(Duration limit) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Service instance " + name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (healthy(http)) {
                return this;
            }
            pause(Duration.ofMillis(100));
        }
        throw new IllegalStateException("Service instance " + name + " not healthy within " + limit + ":\n" + logTail());
    }

    private boolean healthy(HttpClient http) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** True when the health check answers 200 now. */
    public boolean healthyNow() {
        return process.isAlive() && healthy(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
    }

    /** SIGKILL: no shutdown hook, no graceful close of connections or in-flight requests. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    public String apiBase() {
        return "http://127.0.0.1:" + port + "/api/v1";
    }

    public String adminBase() {
        return "http://127.0.0.1:" + adminPort;
    }

    public Path log() {
        return log;
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the instance gracefully (SIGTERM), as an operator would. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
