package org.civicbot.channels.twilio;

import com.twilio.security.RequestValidator;
import java.util.Map;

/**
 * Checks {@code X-Twilio-Signature} against the URL Twilio was configured to call: our public base URL
 * plus the path, never the request's own URL (behind a proxy that differs).
 * See https://www.twilio.com/docs/usage/security#validating-requests
 */
final class TwilioSignature {

    static final String HEADER = "X-Twilio-Signature";

    private final RequestValidator validator;
    private final String publicBaseUrl;

    TwilioSignature(String authToken, String publicBaseUrl) {
        this.validator = new RequestValidator(authToken);
        this.publicBaseUrl = publicBaseUrl.endsWith("/")
                ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    }

    /**
     * The SDK compares in constant time and tries the URL both with and without the scheme's default
     * port, since Twilio signs whichever form was configured on the number.
     */
    boolean isValid(String path, String signature, Map<String, String> params) {
        if (signature == null || signature.isBlank()) {
            return false;
        }
        return validator.validate(publicBaseUrl + path, params, signature);
    }
}
