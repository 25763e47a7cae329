package org.civicbot.flows;

/**
 * Words a citizen may write at any point, in any language, and the texts the engine says on its own.
 *
 * @param restart words that go back to the main menu ("hola", "menu", "inici"...)
 * @param human words that ask for a person
 * @param stop words that opt the contact out of messages
 * @param skip words that skip an optional step (the photo)
 * @param texts what the engine says when it needs to
 */
public record Commands(LocalizedWords restart, LocalizedWords human, LocalizedWords stop, LocalizedWords skip,
        SystemTexts texts) {

    /**
     * Texts the engine says on its own.
     *
     * @param notUnderstood re-prompt when an answer matches no option
     * @param tooShort a text answer under the minimum length; may use {@code {min}}
     * @param tooLong a text answer over the maximum length; may use {@code {max}}
     * @param locationExpected a location step got something else
     * @param photoExpected a photo step got something else
     * @param optedOut confirmation of the stop command
     * @param humanDepartment the department a "person" command asks for
     */
    public record SystemTexts(LocalizedText notUnderstood, LocalizedText tooShort, LocalizedText tooLong,
            LocalizedText locationExpected, LocalizedText photoExpected, LocalizedText optedOut,
            LocalizedText humanRequested, String humanDepartment) {}
}
