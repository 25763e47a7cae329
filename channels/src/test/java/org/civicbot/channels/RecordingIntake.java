package org.civicbot.channels;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.civicbot.bot.Channel;
import org.civicbot.bot.inbound.InboundMessage;
import org.civicbot.bot.inbound.Intake;
import reactor.core.publisher.Mono;

/** An {@link Intake} that records what adapters hand in, answers duplicates, and can fail like a store that is down. */
public class RecordingIntake implements Intake {

    /** A delivery set aside as poison. */
    public record SetAside(Channel channel, String providerId, String reason, String rawBody) {}

    public final List<InboundMessage> received = new CopyOnWriteArrayList<>();
    public final List<SetAside> setAside = new CopyOnWriteArrayList<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private volatile boolean failing;

    public void failStorage() {
        failing = true;
    }

    @Override
    public Mono<Receipt> receive(InboundMessage message) {
        return Mono.defer(() -> {
            if (failing) {
                return Mono.error(new IllegalStateException("store down"));
            }
            if (!seen.add(message.channel() + ":" + message.providerId())) {
                return Mono.just(Receipt.DUPLICATE);
            }
            received.add(message);
            return Mono.just(Receipt.ACCEPTED);
        });
    }

    @Override
    public Mono<Void> setAside(Channel channel, String providerId, String reason, String rawBody) {
        return Mono.defer(() -> {
            if (failing) {
                return Mono.error(new IllegalStateException("store down"));
            }
            setAside.add(new SetAside(channel, providerId, reason, rawBody));
            return Mono.empty();
        });
    }
}
