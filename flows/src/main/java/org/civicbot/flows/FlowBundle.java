package org.civicbot.flows;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The set of flows a deployment runs, entered at {@value #ENTRY_FLOW}; built only from valid flows. */
public record FlowBundle(Map<String, Flow> flows) {

    public static final String ENTRY_FLOW = "main";

    /**
     * The flows in the order of their ids, the same in every run: what is built from them (the understanding's index,
     * whose ties go to what was indexed first) must read a message the same way after a restart. ({@code Map.copyOf}
     * iterates in an order that changes from one JVM to the next.)
     */
    public FlowBundle {
        flows = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(flows));
    }

    public static FlowBundle of(Collection<Flow> flows) {
        Map<String, Flow> byId = new LinkedHashMap<>();
        flows.forEach(f -> byId.put(f.id(), f));
        return new FlowBundle(byId);
    }

    public Flow entry() {
        return flows.get(ENTRY_FLOW);
    }

    public Commands commands() {
        return entry().commands().orElseThrow();
    }

    public Optional<Flow> flow(String id) {
        return Optional.ofNullable(flows.get(id));
    }

    public Optional<Node> node(String flowId, String nodeId) {
        return flow(flowId).flatMap(f -> f.node(nodeId));
    }

    /**
     * The label of the menu option that stores {@code value} in a variable (an incident's category as the citizen
     * chose it); empty when no such option is left in the flows.
     */
    public Optional<LocalizedText> valueLabel(String value) {
        for (Flow flow : flows.values()) {
            for (Node node : flow.nodes()) {
                if (node instanceof Node.Menu menu && menu.var().isPresent()) {
                    for (Node.Option option : menu.options()) {
                        if (option.value().equals(value)) {
                            return Optional.of(option.label());
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The options of the menus that choose an incident's category (the menu whose variable an incident node files
     * as its category), each value once, in the order the flows list them: the categories the chat offers.
     */
    public java.util.List<Node.Option> categoryOptions() {
        java.util.Map<String, Node.Option> byValue = new LinkedHashMap<>();
        for (Flow flow : flows.values()) {
            java.util.Set<String> categoryVars = new java.util.HashSet<>();
            for (Node node : flow.nodes()) {
                if (node instanceof Node.Incident incident) {
                    categoryVars.add(incident.categoryVar());
                }
            }
            for (Node node : flow.nodes()) {
                if (node instanceof Node.Menu menu && menu.var().filter(categoryVars::contains).isPresent()) {
                    // An option that files nothing (back to the menu) is a way out, not a category.
                    menu.options().stream().filter(option -> option.value() != null && !option.value().isBlank())
                            .forEach(option -> byValue.putIfAbsent(option.value(), option));
                }
            }
        }
        return java.util.List.copyOf(byValue.values());
    }
}
