package org.civicbot.flows;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads, checks and loads flow files: the entry point of this module for the engine and the back-office. */
public final class Flows {

    /** The classpath folder of the default flows, and the file listing them (a jar's folders cannot be listed). */
    static final String DEFAULTS = "/flows/";
    static final String DEFAULTS_INDEX = DEFAULTS + "index.txt";

    private Flows() {}

    /** Reads and checks the files; never throws for bad content, whatever the files hold. */
    public static ValidationReport check(List<FlowSource> sources) {
        return read(sources).report();
    }

    /**
     * Reads and checks the files and answers the bundle they make.
     *
     * @throws InvalidFlowsException when any file has an error; warnings do not refuse
     */
    public static FlowBundle load(List<FlowSource> sources) {
        Read read = read(sources);
        if (!read.report().isValid()) {
            throw new InvalidFlowsException(read.report());
        }
        return FlowBundle.of(read.flows());
    }

    /** The flows this build ships with, in the order {@code flows/index.txt} lists them. */
    public static List<FlowSource> defaults() {
        List<FlowSource> sources = new ArrayList<>();
        for (String line : resource(DEFAULTS_INDEX).split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                sources.add(new FlowSource(name, resource(DEFAULTS + name)));
            }
        }
        return sources;
    }

    /** Every {@code .yaml} and {@code .yml} file directly in {@code directory}, by name, named by file name. */
    public static List<FlowSource> fromDirectory(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> paths = files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yaml")
                            || p.getFileName().toString().endsWith(".yml"))
                    .sorted().toList();
            List<FlowSource> sources = new ArrayList<>();
            for (Path path : paths) {
                sources.add(new FlowSource(path.getFileName().toString(), Files.readString(path, StandardCharsets.UTF_8)));
            }
            return sources;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read flows from " + directory, e);
        }
    }

    private record Read(List<Flow> flows, ValidationReport report) {}

    private static Read read(List<FlowSource> sources) {
        List<ReadFlow> reads = sources.stream().map(FlowReader::read).toList();
        List<Issue> issues = new ArrayList<>();
        reads.forEach(r -> issues.addAll(r.issues()));
        issues.addAll(FlowValidator.validateRead(reads));
        List<Flow> flows = reads.stream().map(ReadFlow::flow).flatMap(Optional::stream).toList();
        return new Read(flows, ValidationReport.of(issues));
    }

    private static String resource(String name) {
        try (InputStream in = Flows.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + name, e);
        }
    }
}
