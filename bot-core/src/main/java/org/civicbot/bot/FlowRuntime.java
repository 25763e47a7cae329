package org.civicbot.bot;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.civicbot.bot.engine.Area;
import org.civicbot.bot.engine.Engine;
import org.civicbot.flows.FlowBundle;

/**
 * The flows in force now. Publishing a new bundle (a content editor's change) takes effect at the next
 * turn of every conversation, without a restart; a turn in progress finishes on the flows it began with.
 */
public final class FlowRuntime implements Supplier<Engine> {

    private final AtomicReference<Engine> current;
    private final int maxPhotos;
    private final Area area;
    private final java.util.Map<String, String> town;

    public FlowRuntime(FlowBundle flows) {
        this(flows, Engine.DEFAULT_MAX_PHOTOS, Area.EVERYWHERE, java.util.Map.of());
    }

    /**
     * @param maxPhotos photos an incident takes ({@code civicbot.incident.max-photos})
     * @param area the municipality ({@code civicbot.municipality.boundary})
     * @param town the flows' {@code {town.*}} placeholders ({@code civicbot.town.*})
     */
    public FlowRuntime(FlowBundle flows, int maxPhotos, Area area, java.util.Map<String, String> town) {
        this.maxPhotos = maxPhotos;
        this.area = area;
        this.town = java.util.Map.copyOf(town);
        this.current = new AtomicReference<>(new Engine(flows, maxPhotos, area, this.town));
    }

    @Override
    public Engine get() {
        return current.get();
    }

    /** An engine on other flows with this runtime's settings, not published: a draft's, for its preview. */
    public Engine engineFor(FlowBundle flows) {
        return new Engine(flows, maxPhotos, area, town);
    }

    public void publish(FlowBundle flows) {
        current.set(new Engine(flows, maxPhotos, area, town));
    }
}
