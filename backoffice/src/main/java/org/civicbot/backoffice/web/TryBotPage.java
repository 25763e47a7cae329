package org.civicbot.backoffice.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * "Try the bot": a chat with the bot in the page, as a citizen would have it on WhatsApp (numbered text) or Telegram
 * (buttons), in any of its languages; the published flows for every staff member, the drafts too for editors. It
 * talks to {@code /api/v1/simulator}: nothing is sent and nothing is created.
 */
@Controller
class TryBotPage {

    /** What the host would do with a turn, as the page names it (the simulator's action types). */
    static final java.util.List<String> ACTION_TYPES = java.util.List.of("IncidentReported", "IncidentJoined",
            "HandoffRequested", "FollowRequested", "StatusRequested", "PhotosAdded", "SatisfactionGiven",
            "SatisfactionCommented", "Subscribed", "Unsubscribed", "UnsubscribedAll", "LanguageChanged",
            "PrivacyNoticeShown", "ContactOptedOut", "ContactOptedIn");

    private final double[] center;

    TryBotPage(@Value("${civicbot.map.center-latitude:41.7251}") double centerLatitude,
            @Value("${civicbot.map.center-longitude:1.8266}") double centerLongitude) {
        this.center = new double[] {centerLatitude, centerLongitude};
    }

    @GetMapping("/try")
    String page(Model model) {
        model.addAttribute("center", center);
        model.addAttribute("actionTypes", ACTION_TYPES);
        return "try-bot";
    }
}
