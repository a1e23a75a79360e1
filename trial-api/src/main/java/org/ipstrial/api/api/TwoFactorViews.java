package org.ipstrial.api.api;

import static io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import java.util.List;

/** Requests and answers of two-factor sign-in (docs/security.md#two-factor-sign-in). Codes and secrets never print. */
public final class TwoFactorViews {
    private TwoFactorViews() {}

    @Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    public record SecondFactorCode(@Schema(requiredMode = REQUIRED, description = "The 6 digits the authenticator app shows, or an unused recovery code")
            String code) {
        @Override
        public String toString() {
            return "SecondFactorCode[redacted]";
        }
    }

    /** What an authenticator app needs, shown once: the QR code, the key URI it holds, and the secret to type by hand. */
    public record TwoFactorEnrolment(
            @Schema(description = "The secret in base32 (RFC 4648), for typing into the app by hand") String secret,
            @Schema(description = "The otpauth:// key URI the QR code holds") String keyUri,
            @Schema(description = "The QR code of the key URI, as an SVG document") String qrCodeSvg,
            int digits, int periodSeconds) {
        @Override
        public String toString() {
            return "TwoFactorEnrolment[redacted]";
        }
    }

    /** Ten recovery codes, each usable once instead of a code from the app; shown this once only. */
    public record RecoveryCodes(List<String> recoveryCodes) {
        @Override
        public String toString() {
            return "RecoveryCodes[redacted]";
        }
    }

    public record TwoFactorStatus(boolean enrolled, @Schema(description = "Whether the user's role requires a second factor") boolean required,
            int recoveryCodesLeft) {}
}
