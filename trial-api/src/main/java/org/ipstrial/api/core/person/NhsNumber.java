package org.ipstrial.api.core.person;

import java.util.Optional;

/** An NHS number: ten digits, the last a modulus-11 check digit. Spaces are ignored on input. */
public record NhsNumber(String value) {
    public NhsNumber {
        Optional<String> problem = problem(value);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
    }

    public static NhsNumber parse(String text) {
        return new NhsNumber(text == null ? "" : text.replaceAll("[\\s-]", ""));
    }

    public static Optional<String> problem(String digits) {
        if (digits == null || !digits.matches("\\d{10}")) {
            return Optional.of("must be ten digits, for example 943 476 5919");
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (digits.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - sum % 11;
        if (check == 11) {
            check = 0;
        }
        if (check == 10 || check != digits.charAt(9) - '0') {
            return Optional.of("the check digit does not match: please check each digit");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "NhsNumber[redacted]";
    }
}
