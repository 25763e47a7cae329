package org.civicbot.flows;

import java.util.Objects;

/**
 * The text of one flow file and the name it is reported under (e.g. {@code main.yaml}).
 *
 * @param fileName the name issues point at; not necessarily a path on disk
 * @param yaml the file's content
 */
public record FlowSource(String fileName, String yaml) {

    public FlowSource {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(yaml, "yaml");
    }
}
