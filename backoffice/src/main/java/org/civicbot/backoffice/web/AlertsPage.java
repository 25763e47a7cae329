package org.civicbot.backoffice.web;

import java.time.Duration;
import java.util.List;
import org.civicbot.bot.device.MongoDeviceAlerts;
import org.civicbot.bot.live.LiveFeed;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The live "Alerts" feed: what devices tell staff only (a {@code NOTICE} alert type), newest first, refreshed as
 * notices arrive. No citizen hears of them.
 */
@Controller
class AlertsPage {

    static final int SHOWN = 50;
    static final Duration HEARTBEAT = Duration.ofSeconds(25);

    private final MongoDeviceAlerts alerts;
    private final LiveFeed feed;
    private final TownTime time;

    AlertsPage(MongoDeviceAlerts alerts, LiveFeed feed, TownTime time) {
        this.alerts = alerts;
        this.feed = feed;
        this.time = time;
    }

    /** A notice as the feed shows it. */
    record Row(String id, String at, String device, String asset, String type, String message, boolean resolved) {}

    private Mono<List<Row>> rows() {
        return alerts.notices(SHOWN).map(n -> new Row(n.id(), time.format(n.at()), n.device(), n.asset(), n.type(),
                n.message(), n.resolved())).collectList();
    }

    @GetMapping("/alerts")
    String page(Model model) {
        model.addAttribute("notices", rows());
        return "alerts";
    }

    @GetMapping("/alerts/list")
    String list(Model model) {
        model.addAttribute("notices", rows());
        return "alerts :: list";
    }

    @GetMapping(path = "/alerts/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> events() {
        return LiveEvents.stream(feed.changes().filter(c -> MongoDeviceAlerts.NOTICED.equals(c.what())), HEARTBEAT);
    }
}
