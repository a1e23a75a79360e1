package org.ipstrial.etl.build;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ipstrial.etl.config.EtlConfiguration;
import org.ipstrial.etl.pseudonym.PseudonymisationKey;
import org.ipstrial.etl.read.CsvSource;
import org.ipstrial.etl.write.DataDictionary;
import org.ipstrial.etl.write.Sha256;

/**
 * manifest.json: program version, configuration hash, input and output hashes and the key
 * identifier (never the key). Written last, over every other output file.
 */
final class Manifest {
    private Manifest() {}

    static void write(EtlConfiguration config, PseudonymisationKey key, InputFiles inputs, Map<Path, String> inputHashes, Path outFolder,
            List<Path> written) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("program", "trial-etl");
        m.put("version", ProgramVersion.get());
        m.put("configuration_sha256", Sha256.of(config.configFile()));
        m.put("key_identifier", key.identifier());
        m.put("rules_in_force", RulesInForce.of(config));
        List<Object> in = new ArrayList<>();
        for (CsvSource s : inputs.all()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("file", s.file().getFileName().toString());
            f.put("sha256", inputHashes.get(s.file()));
            in.add(f);
        }
        config.eq5dValueSet().ifPresent(p -> in.add(file(p.getFileName().toString(), p)));
        config.swemwbsConversion().ifPresent(p -> in.add(file(p.getFileName().toString(), p)));
        m.put("inputs", in);
        List<Object> out = new ArrayList<>();
        for (Path p : written.stream().sorted().toList()) {
            out.add(file(outFolder.relativize(p).toString().replace('\\', '/'), p));
        }
        m.put("outputs", out);
        DataDictionary.Json.write(outFolder.resolve(BuildCommand.MANIFEST), m);
    }

    private static Map<String, Object> file(String name, Path path) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("file", name);
        f.put("sha256", Sha256.of(path));
        return f;
    }
}
