package org.ipstrial.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DesignDiagnosticsCommandTest {

    private static final String DEMO = Path.of("..", "config", "randomisation-demo.yml").toString();

    private static CommandRun diagnostics(String... arguments) {
        String[] all = new String[arguments.length + 1];
        all[0] = "design-diagnostics";
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        return CommandRun.run((out, err) -> new DesignDiagnosticsCommand(out), all);
    }

    @Test
    void printsTheDiagnosticsOfTheDemoDesign() {
        CommandRun run = diagnostics("--design", DEMO, "--per-stratum", "120", "--replications", "200", "--seed", "7");

        assertThat(run.succeeded()).as(run.err()).isTrue();
        assertThat(run.out())
                .startsWith("Design diagnostics: ips-reference-trial, version 1\n"
                        + "120 recruits per stratum, 200 simulated sequences per scheme, seed 7\n")
                .contains("Strata: A/A-OOW, A/A-IW, B/B-OOW")
                .contains("final imbalance:")
                .contains("correct guesses, convergence strategy: 0.7")
                .contains("allocations certain to a recruiter who knows the past: 0.0");
        assertThat(diagnostics("--design", DEMO, "--per-stratum", "120", "--replications", "200", "--seed", "7").out())
                .as("the same seed gives the same report").isEqualTo(run.out());
    }

    @Test
    void badNumbersAreRefusedWithTheirOption() {
        CommandRun zero = diagnostics("--design", DEMO, "--per-stratum", "0");
        assertThat(zero.succeeded()).isFalse();
        assertThat(zero.err().strip()).isEqualTo("design-diagnostics: --per-stratum: must be 1 to 1000000, was 0");

        CommandRun one = diagnostics("--design", DEMO, "--per-stratum", "10", "--replications", "1");
        assertThat(one.err()).contains("--replications: must be 2 to 100000, was 1");

        CommandRun huge = diagnostics("--design", DEMO, "--per-stratum", "1000000", "--replications", "100000");
        assertThat(huge.err()).contains("at most 50000000 simulated allocations");
    }

    @Test
    void aMissingDesignIsNamed() {
        CommandRun run = diagnostics("--design", "no-such.yml", "--per-stratum", "10");
        assertThat(run.succeeded()).isFalse();
        assertThat(run.err().strip()).isEqualTo("design-diagnostics: no-such.yml: does not exist");
    }
}
