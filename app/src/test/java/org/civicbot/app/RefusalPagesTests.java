package org.civicbot.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.civicbot.backoffice.staff.StaffUser;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;

/** A refused page says why and what to do, in the reader's language, instead of a bare "Access Denied". */
class RefusalPagesTests extends FullStackTest {

    @Test
    void aPageNotForTheirRoleAndAFormWithoutItsTokenExplainThemselves() {
        staff("refused-agent", StaffUser.Role.AGENT);
        PageSession agent = PageSession.signIn(web, "refused-agent", STAFF_PASSWORD);

        assertThat(agent.get("/incidents")).as("the town's name in the header")
                .contains("<span id=\"town-name\">Ajuntament de Prova</span>");
        String notAllowed = agent.getting("/admin?lang=en").expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(notAllowed).contains("This page is not for your role").contains("ask an administrator")
                .doesNotContain("Access Denied");

        String expired = web.post().uri("/incidents/INC-2026-000001/notes").cookie("SESSION", agent.id())
                .header("Accept-Language", "ca").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("text", "sense testimoni")).exchange()
                .expectStatus().isForbidden().expectBody(String.class).returnResult().getResponseBody();
        assertThat(expired).contains("El formulari ha caducat").contains("civicbot.secure-cookies");
    }
}
