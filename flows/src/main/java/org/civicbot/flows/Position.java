package org.civicbot.flows;

/** Where an element stands in a flow file: the file name, and 1-based line and column. */
public record Position(String file, int line, int column) {

    public static final Position UNKNOWN = new Position("?", 0, 0);

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
