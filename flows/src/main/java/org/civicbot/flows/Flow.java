package org.civicbot.flows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One flow file: its id, the spec version it is written in, the node it starts at, and its nodes.
 * The entry flow ({@value FlowBundle#ENTRY_FLOW}) also carries the global {@link Commands}, and may
 * name a node shown once to a contact the first time they write (the privacy notice).
 */
public record Flow(String id, int spec, String start, Optional<String> firstContact, List<Node> nodes,
        Optional<Commands> commands, Position position) {

    public Flow {
        nodes = List.copyOf(nodes);
    }

    public Optional<Node> node(String nodeId) {
        return nodes.stream().filter(n -> n.id().equals(nodeId)).findFirst();
    }

    public Map<String, Node> nodesById() {
        Map<String, Node> byId = new LinkedHashMap<>();
        for (Node node : nodes) {
            byId.putIfAbsent(node.id(), node);
        }
        return byId;
    }

    public static List<Node> list(Node... nodes) {
        return List.of(nodes);
    }
}
