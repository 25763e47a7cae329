package org.civicbot.flows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the reader made of one file, for the validator: the flow if its top level reads, the id it declares
 * even when it does not, where each field was written, and the ids of nodes too broken to build (so that
 * targets to them are not also reported as dangling).
 *
 * @param fields positions by path: {@code start}, {@code commands.restart}, {@code nodes[2].text},
 *        {@code nodes[2].options[0].label}; {@code nodes[i]} is the index in {@link Flow#nodes()}
 */
record ReadFlow(Optional<String> declaredId, Position position, Optional<Flow> flow, Map<String, Position> fields,
        Set<String> brokenNodeIds, List<Issue> issues) {

    ReadFlow {
        fields = Map.copyOf(fields);
        brokenNodeIds = Set.copyOf(brokenNodeIds);
        issues = List.copyOf(issues);
    }

    /** A flow built in code, with no file behind it: every position is the flow's or the node's own. */
    static ReadFlow of(Flow flow) {
        return new ReadFlow(Optional.of(flow.id()), flow.position(), Optional.of(flow), Map.of(), Set.of(), List.of());
    }

    Position field(String path, Position fallback) {
        return fields.getOrDefault(path, fallback);
    }

    /** Whether every node of the file was built: only then is reachability worth reporting. */
    boolean complete() {
        return flow.isPresent() && brokenNodeIds.isEmpty();
    }
}
