package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicbot.backoffice.staff.StaffUser;
import org.junit.jupiter.api.Test;

/** "My work" lists the open incidents assigned to me, the soonest due first, and nobody else's. */
class MyWorkTests extends FullStackTest {

    String enter(String category, String priority, String assignee) {
        return json(postAs("work-admin", "/api/v1/incidents", Map.of("intake", "INTERNAL", "category", category,
                "description", "Feina " + category, "priority", priority, "assignee", assignee))
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody())
                .get("code").asText();
    }

    @Test
    void myWorkListsWhatIsAssignedToMeSoonestDueFirst() {
        staff("work-admin");
        staff("work-laia", StaffUser.Role.AGENT);
        String later = enter("other", "NORMAL", "work-laia");
        String urgentLater = enter("other", "URGENT", "work-laia");
        String soonest = enter("street_lighting", "NORMAL", "work-laia");
        String someoneElse = enter("street_lighting", "HIGH", "work-admin");
        String closed = enter("street_lighting", "NORMAL", "work-laia");
        okPost("work-admin", "/api/v1/incidents/" + closed + "/status", Map.of("status", "CLOSED",
                "outcome", "POSITIVE"));

        String page = PageSession.signIn(web, "work-laia", STAFF_PASSWORD).get("/incidents/mine?lang=en");
        List<String> codes = new ArrayList<>();
        Matcher m = Pattern.compile("<tr class=\"incident\" data-code=\"([^\"]+)\"").matcher(page);
        while (m.find()) {
            codes.add(m.group(1));
        }
        assertThat(codes).containsExactly(soonest, later, urgentLater);
        assertThat(codes).doesNotContain(someoneElse, closed);
        assertThat(page).contains("Urgent");
    }
}
