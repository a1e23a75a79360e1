package org.ipstrial.etl.impact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Proof that the plan was fixed and recorded before any outcome was read, as a statistical analysis
 * plan is signed off before unblinding. Only {@link #write} makes one, and reading outcomes needs
 * one. The lock file holds the plan's SHA-256, its canonical form and the dataset it was locked
 * against; every output carries the same hash.
 */
public final class PlanLock {
    public static final String FILE_NAME = "analysis-plan.lock.json";

    private final String planSha256;

    private PlanLock(String planSha256) {
        this.planSha256 = planSha256;
    }

    public String planSha256() {
        return planSha256;
    }

    /** Writes the lock file into {@code outputDirectory} (when not null) and returns the lock. */
    public static PlanLock write(AnalysisPlan plan, String datasetName, int rows, Path outputDirectory) {
        String hash = AnalysisPlanReader.sha256(plan);
        if (outputDirectory != null) {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode lock = json.createObjectNode();
            lock.put("plan_sha256", hash);
            lock.put("plan", plan.name());
            lock.put("dataset", datasetName);
            lock.put("dataset_rows", rows);
            lock.put("locked_before", "any outcome or survey response column was read");
            try {
                JsonNode canonical = json.readTree(AnalysisPlanReader.canonicalBytes(plan));
                lock.set("canonical_plan", canonical);
                Files.createDirectories(outputDirectory);
                Files.write(outputDirectory.resolve(FILE_NAME), (json.writeValueAsString(lock) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the canonical plan is always valid JSON", e);
            } catch (IOException e) {
                throw new AnalysisInputException("output directory " + outputDirectory + ": cannot write the plan lock (" + e.getMessage() + ")", e);
            }
        }
        return new PlanLock(hash);
    }
}
