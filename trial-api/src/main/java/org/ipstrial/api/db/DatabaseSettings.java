package org.ipstrial.api.db;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;

/**
 * Where the database server is. Embedded (the default) starts PostgreSQL inside this process with
 * a data directory kept across restarts; otherwise {@code database.url} names an external server.
 * Migrations run as the owner role; the application pool connects as a role that owns no table,
 * so the append-only triggers on audit and allocation rows bind it.
 */
public class DatabaseSettings {
    @JsonProperty
    private boolean embedded = true;

    @NotEmpty @JsonProperty
    private String dataDirectory = "data/postgres";

    /** Port of the embedded server on loopback; 0 picks a free one. */
    @Min(0) @Max(65535) @JsonProperty
    private int port = 0;

    /**
     * Embedded server only: fsync, synchronous commit and full-page writes on (true, always for
     * trial data). Tests of throwaway databases set false to spare the disk.
     */
    @JsonProperty
    private boolean durable = true;

    /** The role that owns the schema and runs Liquibase (external servers). */
    @NotEmpty @JsonProperty
    private String ownerUser = "postgres";

    @JsonProperty
    private String ownerPassword = "";

    public boolean isEmbedded() {
        return embedded;
    }

    public String getDataDirectory() {
        return dataDirectory;
    }

    public int getPort() {
        return port;
    }

    public boolean isDurable() {
        return durable;
    }

    public String getOwnerUser() {
        return ownerUser;
    }

    public String getOwnerPassword() {
        return ownerPassword;
    }
}
