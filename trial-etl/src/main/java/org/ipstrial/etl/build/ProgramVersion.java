package org.ipstrial.etl.build;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The program version, from the build (recorded in the manifest). */
public final class ProgramVersion {
    private ProgramVersion() {}

    public static String get() {
        try (InputStream in = ProgramVersion.class.getResourceAsStream("/org/ipstrial/etl/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
