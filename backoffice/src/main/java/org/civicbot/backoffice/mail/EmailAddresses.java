package org.civicbot.backoffice.mail;

import java.util.regex.Pattern;

/**
 * What the back-office accepts as an e-mail address (a department's, a staff member's): one plain address,
 * {@code name@example.org}, with no display name and a domain with a dot; what mail servers here deliver to.
 */
public final class EmailAddresses {

    /** Longest address SMTP carries (RFC 5321: 256 for the path, less its brackets). */
    public static final int MAX_LENGTH = 254;
    /** For {@code @Pattern}: the same rule as {@link #valid}. */
    public static final String PATTERN = "^(?!\\.)(?!.*\\.\\.)(?!.*\\.@)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$";
    public static final String MESSAGE = "must be one e-mail address, like name@example.org";

    private static final Pattern ADDRESS = Pattern.compile(PATTERN);

    private EmailAddresses() {}

    public static boolean valid(String address) {
        return address != null && address.length() <= MAX_LENGTH && ADDRESS.matcher(address).matches();
    }

    /** An address as stored: trimmed, null when blank (no address). */
    public static String normalized(String address) {
        return address == null || address.isBlank() ? null : address.strip();
    }
}
