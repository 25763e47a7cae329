package org.civicbot.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** One test per rule, each asserting the exact report an editor reads. */
class FlowValidatorTests {

    /** Commands go after the nodes, so that node lines in a test are easy to count: nodes start at line 5. */
    static final String COMMANDS = """
            commands:
              restart: {ca: [hola], es: [hola], en: [hi]}
              human: {ca: [persona], es: [persona], en: [person]}
              stop: {ca: [baixa], es: [baja], en: [stop]}
              skip: {ca: [ometre], es: [omitir], en: [skip]}
              yes: {ca: [Sí, si], es: [Sí, si], en: ["Yes", yeah]}
              no: {ca: ["No"], es: ["No"], en: ["No"]}
              follow: {ca: [seguir], es: [seguir], en: [follow]}
              unfollow: {ca: [deixar de seguir], es: [dejar de seguir], en: [unfollow]}
              satisfaction_scale: {ca: ["1", "2", "3", "4", "5"], es: ["1", "2", "3", "4", "5"], en: ["1", "2", "3", "4", "5"]}
              notices:
                queue_wait: {ca: "queue_wait ca", es: "queue_wait es", en: "queue_wait en"}
                queue_closed: {ca: "queue_closed ca", es: "queue_closed es", en: "queue_closed en"}
                when: {ca: "when ca", es: "when es", en: "when en"}
                incident_in_progress: {ca: "incident_in_progress ca", es: "incident_in_progress es", en: "incident_in_progress en"}
                incident_assigned: {ca: "incident_assigned ca", es: "incident_assigned es", en: "incident_assigned en"}
                incident_update: {ca: "incident_update ca", es: "incident_update es", en: "incident_update en"}
                incident_closed: {ca: "incident_closed ca", es: "incident_closed es", en: "incident_closed en"}
                incident_closed_note: {ca: "incident_closed_note ca", es: "incident_closed_note es", en: "incident_closed_note en"}
                incident_reopened: {ca: "incident_reopened ca", es: "incident_reopened es", en: "incident_reopened en"}
                incident_registered: {ca: "incident_registered {code} {url}", es: "incident_registered {code} {url}", en: "incident_registered {code} {url}"}
                satisfaction_incident: {ca: "Com ho hem fet amb {code}?", es: "¿Qué tal con {code}?", en: "How did we do with {code}?"}
                satisfaction_chat: {ca: "Com us hem atès?", es: "¿Qué tal le hemos atendido?", en: "How did we do?"}
                outcome_positive: {ca: "outcome_positive ca", es: "outcome_positive es", en: "outcome_positive en"}
                outcome_negative: {ca: "outcome_negative ca", es: "outcome_negative es", en: "outcome_negative en"}
                outcome_not_our_competence: {ca: "outcome_not_our_competence ca", es: "outcome_not_our_competence es", en: "outcome_not_our_competence en"}
                outcome_suspended: {ca: "outcome_suspended ca", es: "outcome_suspended es", en: "outcome_suspended en"}
                outcome_duplicate: {ca: "outcome_duplicate ca", es: "outcome_duplicate es", en: "outcome_duplicate en"}
                outcome_improper: {ca: "outcome_improper ca", es: "outcome_improper es", en: "outcome_improper en"}
                incident_merged: {ca: "incident_merged ca", es: "incident_merged es", en: "incident_merged en"}
                request_incident: {ca: incidència, es: incidencia, en: incident}
                request_other: {ca: sol·licitud, es: solicitud, en: request}
                announcement: {ca: "{topic}: {text}", es: "{topic}: {text}", en: "{topic}: {text}"}
                page_title: {ca: "page_title ca", es: "page_title es", en: "page_title en"}
                page_intro: {ca: "page_intro ca", es: "page_intro es", en: "page_intro en"}
                page_step_received: {ca: "page_step_received ca", es: "page_step_received es", en: "page_step_received en"}
                page_step_in_progress: {ca: "page_step_in_progress ca", es: "page_step_in_progress es", en: "page_step_in_progress en"}
                page_step_closed: {ca: "page_step_closed ca", es: "page_step_closed es", en: "page_step_closed en"}
                page_updates: {ca: "page_updates ca", es: "page_updates es", en: "page_updates en"}
                page_update_received: {ca: "page_update_received ca", es: "page_update_received es", en: "page_update_received en"}
                page_update_in_progress: {ca: "page_update_in_progress ca", es: "page_update_in_progress es", en: "page_update_in_progress en"}
                page_update_assigned: {ca: "page_update_assigned ca", es: "page_update_assigned es", en: "page_update_assigned en"}
                page_update_closed: {ca: "page_update_closed ca", es: "page_update_closed es", en: "page_update_closed en"}
                page_update_reopened: {ca: "page_update_reopened ca", es: "page_update_reopened es", en: "page_update_reopened en"}
                page_privacy: {ca: "page_privacy ca", es: "page_privacy es", en: "page_privacy en"}
                page_not_found: {ca: "page_not_found ca", es: "page_not_found es", en: "page_not_found en"}
              texts:
                not_understood: {ca: No t'entenc, es: No te entiendo, en: Pardon}
                too_short: {ca: "Mínim {min}", es: "Mínimo {min}", en: "At least {min}"}
                too_long: {ca: "Màxim {max}", es: "Máximo {max}", en: "At most {max}"}
                location_expected: {ca: Adreça, es: Dirección, en: Address}
                photo_expected: {ca: Foto, es: Foto, en: Photo}
                opted_out: {ca: Fet, es: Hecho, en: Done}
                human_requested: {ca: Ara, es: Ahora, en: Now}
                human_department: citizen_service
                thanks: {ca: "thanks ca", es: "thanks es", en: "thanks en"}
                greeting: {ca: "greeting ca", es: "greeting es", en: "greeting en"}
                can_help_with: {ca: "can_help_with ca", es: "can_help_with es", en: "can_help_with en"}
                did_you_mean: {ca: "did_you_mean ca", es: "did_you_mean es", en: "did_you_mean en"}
                handoff_warning: {ca: "handoff_warning ca", es: "handoff_warning es", en: "handoff_warning en"}
                language_changed: {ca: "language_changed ca", es: "language_changed es", en: "language_changed en"}
                status_none: {ca: "status_none ca", es: "status_none es", en: "status_none en"}
                status_list: {ca: "status_list ca", es: "status_list es", en: "status_list en"}
                status_line: {ca: "status_line ca", es: "status_line es", en: "status_line en"}
                status_own_line: {ca: "own {code} {url}", es: "own {code} {url}", en: "own {code} {url}"}
                status_detail: {ca: "detail {code} {status} {update}", es: "detail {code} {status} {update}", en: "detail {code} {status} {update}"}
                status_own_detail: {ca: "own detail {code} {description} {url}", es: "own detail {code} {description} {url}", en: "own detail {code} {description} {url}"}
                status_new: {ca: "status_new ca", es: "status_new es", en: "status_new en"}
                status_in_progress: {ca: "status_in_progress ca", es: "status_in_progress es", en: "status_in_progress en"}
                status_closed: {ca: "status_closed ca", es: "status_closed es", en: "status_closed en"}
                status_unknown: {ca: "Cap {code}.", es: "Ninguna {code}.", en: "No {code}."}
                photo_added: {ca: "Afegida.", es: "Añadida.", en: "Added."}
                photos_full: {ca: "Prou.", es: "Basta.", en: "Enough."}
                location_outside: {ca: "Fora.", es: "Fuera.", en: "Outside."}
                location_confirm: {ca: "{address}?", es: "¿{address}?", en: "{address}?"}
                unsupported: {ca: "No.", es: "No.", en: "No."}
                status_follow: {ca: "seguir {code}", es: "seguir {code}", en: "follow {code}"}
                follow_which: {ca: "follow_which {code}", es: "follow_which {code}", en: "follow_which {code}"}
                follow_started: {ca: "follow_started {code}", es: "follow_started {code}", en: "follow_started {code}"}
                follow_stopped: {ca: "follow_stopped {code}", es: "follow_stopped {code}", en: "follow_stopped {code}"}
                follow_closed: {ca: "follow_closed {code}", es: "follow_closed {code}", en: "follow_closed {code}"}
                duplicate_question: {ca: "És {code} ({status}, {date}, {address})?", es: "¿Es {code}?", en: "Is it {code}?"}
                duplicate_yes: {ca: "Sí, la mateixa", es: "Sí, la misma", en: "Yes, the same"}
                duplicate_no: {ca: "No, una altra", es: "No, otra", en: "No, another"}
                duplicate_joined: {ca: "Afegit a {incident.code}.", es: "Añadido a {incident.code}.", en: "Added to {incident.code}."}
                satisfaction_thanks: {ca: "Gràcies {score}.", es: "Gracias.", en: "Thanks."}
                satisfaction_comment: {ca: "Comentari rebut.", es: "Comentario recibido.", en: "Comment received."}
                notices_menu: {ca: "Avisos: {list}", es: "Avisos: {list}", en: "Avisos: {list}"}
                notices_none: {ca: "cap", es: "cap", en: "cap"}
                notices_line: {ca: "{topic} ({area})", es: "{topic} ({area})", en: "{topic} ({area})"}
                notices_add: {ca: "Afegir", es: "Afegir", en: "Afegir"}
                notices_remove: {ca: "Treure", es: "Treure", en: "Treure"}
                notices_remove_all: {ca: "Treure-ho tot", es: "Treure-ho tot", en: "Treure-ho tot"}
                notices_back: {ca: "Tornar", es: "Tornar", en: "Tornar"}
                notices_topic: {ca: "Tema?", es: "Tema?", en: "Tema?"}
                notices_area: {ca: "Zona?", es: "Zona?", en: "Zona?"}
                notices_whole_town: {ca: "Tot", es: "Tot", en: "Tot"}
                notices_which: {ca: "Quin?", es: "Quin?", en: "Quin?"}
                notices_added: {ca: "Afegit {topic} ({area}).", es: "Afegit {topic} ({area}).", en: "Afegit {topic} ({area})."}
                notices_removed: {ca: "Tret {topic} ({area}).", es: "Tret {topic} ({area}).", en: "Tret {topic} ({area})."}
                notices_removed_all: {ca: "Tots fora.", es: "Tots fora.", en: "Tots fora."}
                understood: {ca: "Entesos: {choice}.", es: "Entendido: {choice}.", en: "Got it: {choice}."}
            """;

    static String entry(String start, String nodes) {
        return "spec: 1\nid: main\nstart: " + start + "\nnodes:\n" + nodes + COMMANDS;
    }

    static String report(String... fileNameAndYaml) {
        List<FlowSource> sources = new ArrayList<>();
        for (int i = 0; i < fileNameAndYaml.length; i += 2) {
            sources.add(new FlowSource(fileNameAndYaml[i], fileNameAndYaml[i + 1]));
        }
        return Flows.check(sources).format();
    }

    static String main(String nodes) {
        return report("main.yaml", entry("hello", nodes));
    }

    @Test
    void acceptsASmallCompleteFlow() {
        assertThat(main("""
                  - {id: hello, kind: message, text: {ca: Hola, es: Hola, en: Hi}, next: bye}
                  - {id: bye, kind: end}
                """)).isEmpty();
    }

    @Test
    void reportsMalformedYamlWithItsPosition() {
        assertThat(report("main.yaml", "spec: 1\nid: main\nnodes: [\n")).isEqualTo(
                "main.yaml:4:1: error [yaml-syntax] while parsing a flow node: expected the node content, but found '<stream end>'");
    }

    @Test
    void doesNotClaimTheEntryFlowIsMissingWhenAFileCannotBeRead() {
        assertThat(report("main.yaml", "id: [main\n")).startsWith("main.yaml:2:1: error [yaml-syntax]")
                .doesNotContain("missing-entry-flow");
    }

    @Test
    void refusesASpecThisBuildCannotRead() {
        assertThat(report("main.yaml", "spec: 2\nid: main\nstart: x\nnodes: []\n")).isEqualTo(
                "main.yaml:1:7: error [unsupported-spec] spec 2 is not supported; this build reads spec 1");
    }

    @Test
    void refusesANodeWithoutARequiredField() {
        assertThat(main("""
                  - id: hello
                    kind: text
                    text: {ca: Digues, es: Di, en: Say}
                    next: hello
                """)).isEqualTo("main.yaml:5:5: error [missing-field] node \"hello\" (text) lacks required field \"var\"");
    }

    @Test
    void refusesAnUnknownFieldNamingTheKnownOnes() {
        assertThat(main("""
                  - id: hello
                    kind: message
                    text: {ca: Hola, es: Hola, en: Hi}
                    next: bye
                    nxt: hello
                  - {id: bye, kind: end}
                """)).isEqualTo("main.yaml:9:5: error [unknown-field] node \"hello\" (message) has unknown field"
                        + " \"nxt\"; known fields: id, kind, text, next");
    }

    @Test
    void refusesAFieldOfTheWrongType() {
        assertThat(main("""
                  - id: hello
                    kind: text
                    text: {ca: Digues, es: Di, en: Say}
                    var: answer
                    min_length: ten
                    next: hello
                """)).isEqualTo("main.yaml:9:17: error [wrong-type] field \"min_length\" of node \"hello\" (text)"
                        + " must be a whole number, not a text");
    }

    @Test
    void refusesAnUnknownKindListingTheKnownKinds() {
        assertThat(main("""
                  - id: hello
                    kind: greeting
                """)).isEqualTo("main.yaml:6:11: error [unknown-kind] node \"hello\" has unknown kind \"greeting\";"
                        + " known kinds: message, menu, text, location, photo, info, incident, handoff, language, notices, news,"
                        + " agenda, pharmacies, directory, appointments, end");
    }

    @Test
    void refusesTwoNodesWithTheSameId() {
        assertThat(main("""
                  - {id: hello, kind: location, text: {ca: On, es: Donde, en: Where}, var: where, next: hello}
                  - {id: hello, kind: end}
                """)).isEqualTo("main.yaml:6:5: error [duplicate-id] node id \"hello\" is already used in flow"
                        + " \"main\" at main.yaml:5:5");
    }

    @Test
    void refusesTwoFlowsWithTheSameIdNamingTheOtherFile() {
        String other = "spec: 1\nid: main\nstart: bye\nnodes:\n  - {id: bye, kind: end}\n";
        assertThat(report("main.yaml", entry("bye", "  - {id: bye, kind: end}\n"), "other.yaml", other))
                .isEqualTo("other.yaml:2:5: error [duplicate-id] flow id \"main\" is already used at main.yaml:2:5");
    }

    @Test
    void refusesATargetThatIsNotANodeOfTheFlow() {
        assertThat(main("""
                  - id: hello
                    kind: message
                    text: {ca: Hola, es: Hola, en: Hi}
                    next: nowhere
                """)).isEqualTo("main.yaml:8:11: error [dangling-target] node \"hello\" goes to \"nowhere\", which"
                        + " is not a node of flow \"main\"");
    }

    @Test
    void refusesATargetThatIsNotAKnownFlow() {
        assertThat(main("""
                  - {id: hello, kind: message, text: {ca: Hola, es: Hola, en: Hi}, next: "flow:nowhere"}
                """)).isEqualTo("main.yaml:5:74: error [dangling-target] node \"hello\" goes to \"flow:nowhere\", but"
                        + " no flow has id \"nowhere\"");
    }

    @Test
    void refusesAStartThatIsNotANode() {
        assertThat(report("main.yaml", entry("nowhere", "  - {id: bye, kind: end}\n"))).isEqualTo("""
                main.yaml:3:8: error [dangling-target] start "nowhere" is not a node of flow "main"
                main.yaml:5:5: error [unreachable-node] node "bye" is not reachable from the start of flow "main\"""");
    }

    @Test
    void refusesANodeThatDoesNotSayWhereToGoNext() {
        assertThat(main("""
                  - id: hello
                    kind: menu
                    text: {ca: Tria, es: Elige, en: Choose}
                    options:
                      - label: {ca: Un, es: Uno, en: One}
                """)).isEqualTo("main.yaml:9:9: error [missing-target] option 1 of node \"hello\" (menu) needs"
                        + " \"next\": where to go after it");
    }

    @Test
    void refusesANodeNoPathReaches() {
        assertThat(main("""
                  - {id: hello, kind: end}
                  - {id: lonely, kind: end}
                """)).isEqualTo("main.yaml:6:5: error [unreachable-node] node \"lonely\" is not reachable from the"
                        + " start of flow \"main\"");
    }

    @Test
    void refusesAFlowNoPathReachesFromTheEntryFlow() {
        String other = "spec: 1\nid: orphan\nstart: bye\nnodes:\n  - {id: bye, kind: end}\n";
        assertThat(report("main.yaml", entry("hello", "  - {id: hello, kind: end}\n"), "orphan.yaml", other))
                .isEqualTo("orphan.yaml:1:1: error [unreachable-node] flow \"orphan\" is not reachable from the"
                        + " entry flow \"main\"");
    }

    @Test
    void reachesOtherFlowsThroughFlowTargets() {
        String other = "spec: 1\nid: other\nstart: bye\nnodes:\n  - {id: bye, kind: end}\n";
        assertThat(report("main.yaml", entry("hello", """
                  - {id: hello, kind: message, text: {ca: Hola, es: Hola, en: Hi}, next: "flow:other"}
                """), "other.yaml", other)).isEmpty();
    }

    @Test
    void refusesMessagesThatLoopIntoEachOtherWithoutAskingAnything() {
        assertThat(main("""
                  - {id: hello, kind: message, text: {ca: A, es: A, en: A}, next: again}
                  - {id: again, kind: info, title: {ca: B, es: B, en: B}, text: {ca: B, es: B, en: B}, next: hello}
                """)).isEqualTo("main.yaml:5:5: error [endless-loop] node \"main/hello\" starts a loop of nodes that"
                        + " never wait for an answer: main/hello -> main/again -> main/hello");
    }

    @Test
    void acceptsALoopThatWaitsForAnAnswer() {
        assertThat(main("""
                  - {id: hello, kind: message, text: {ca: A, es: A, en: A}, next: ask}
                  - {id: ask, kind: location, text: {ca: On, es: Donde, en: Where}, var: where, next: hello}
                """)).isEmpty();
    }

    @Test
    void refusesATextMissingALanguageNamingWhichOnes() {
        assertThat(main("""
                  - id: hello
                    kind: message
                    text: {ca: Hola, en: "  "}
                    next: bye
                  - {id: bye, kind: end}
                """)).isEqualTo("main.yaml:7:11: error [missing-translation] \"text\" of node \"hello\" lacks a"
                        + " translation in es, en");
    }

    @Test
    void refusesCommandWordsMissingALanguage() {
        String flow = entry("bye", "  - {id: bye, kind: end}\n").replace("stop: {ca: [baixa], es: [baja], en: [stop]}",
                "stop: {ca: [baixa], es: []}");
        assertThat(report("main.yaml", flow)).isEqualTo(
                "main.yaml:9:9: error [missing-translation] \"stop\" of commands has no words in es, en");
    }

    @Test
    void refusesAPhraseClaimedByTwoTargetsNamingWhereBothAreWritten() {
        assertThat(main("""
                  - id: hello
                    kind: menu
                    text: {ca: Tria, es: Elige, en: Choose}
                    options:
                      - label: {ca: Turisme, es: Turismo, en: Tourism}
                        next: bye
                        examples: {ca: [què puc visitar], es: [qué puedo visitar], en: [what can I visit]}
                      - label: {ca: Agenda, es: Agenda, en: Events}
                        next: other
                        examples: {ca: ["Què puc VISITAR?"], es: [conciertos], en: [concerts]}
                  - {id: bye, kind: end}
                  - {id: other, kind: end}
                """)).isEqualTo("main.yaml:14:25: error [intent-conflict] phrase \"Què puc VISITAR?\" (ca) of main/other"
                + " is already claimed by main/bye (\"què puc visitar\" at main.yaml:11:25); keep it under one of them");
    }

    @Test
    void refusesExamplesMissingALanguage() {
        assertThat(main("""
                  - id: hello
                    kind: menu
                    text: {ca: Tria, es: Elige, en: Choose}
                    options:
                      - label: {ca: Turisme, es: Turismo, en: Tourism}
                        next: bye
                        examples: {ca: [què puc visitar]}
                  - {id: bye, kind: end}
                """)).isEqualTo("main.yaml:11:19: error [missing-translation] examples of option 1 of node \"hello\""
                + " has no words in es, en");
    }

    @Test
    void refusesMenuWithMoreOptionsThanWhatsAppAllows() {
        StringBuilder options = new StringBuilder();
        for (int i = 1; i <= 11; i++) {
            options.append("      - {label: {ca: O").append(i).append(", es: O, en: O}, next: bye}\n");
        }
        assertThat(main("""
                  - id: hello
                    kind: menu
                    text: {ca: Tria, es: Elige, en: Choose}
                    options:
                """ + options + "  - {id: bye, kind: end}\n")).isEqualTo(
                "main.yaml:9:7: error [menu-limits] node \"hello\" has 11 options; a WhatsApp list holds at most 10");
    }

    @Test
    void refusesAnOptionLabelTooLongForAButton() {
        String label = "Una etiqueta massa llarga per a un botó de xat";
        assertThat(main("""
                  - id: hello
                    kind: menu
                    text: {ca: Tria, es: Elige, en: Choose}
                    options:
                      - {label: {ca: %s, es: Uno, en: One}, next: hello}
                """.formatted(label))).isEqualTo("main.yaml:9:17: error [menu-limits] option 1 of node \"hello\""
                        + " has a 46-character label in ca; a button stays readable up to 40");
    }

    @Test
    void refusesAMenuThatNoLongerFitsOneMessageOnceItsOptionsAreListed() {
        String text = "a".repeat(1595);
        assertThat(main("""
                  - id: hello
                    kind: menu
                    text: {ca: %s, es: Tria, en: Choose}
                    options:
                      - {label: {ca: Un, es: Uno, en: One}, next: hello}
                """.formatted(text))).isEqualTo("main.yaml:7:11: error [menu-limits] node \"hello\" is 1603"
                        + " characters in ca with its options listed; a message holds at most 1600");
    }

    @Test
    void refusesATextLongerThanTwilioSends() {
        String text = "a".repeat(1601);
        assertThat(main("""
                  - {id: hello, kind: message, text: {ca: %s, es: Hola, en: Hi}, next: bye}
                  - {id: bye, kind: end}
                """.formatted(text))).isEqualTo("main.yaml:5:38: error [text-too-long] \"text\" of node \"hello\""
                        + " is 1601 characters in ca; a message holds at most 1600");
    }

    @Test
    void refusesLengthBoundsNoAnswerOrMessageCanMeet() {
        assertThat(main("""
                  - id: hello
                    kind: text
                    text: {ca: Digues, es: Di, en: Say}
                    var: answer
                    min_length: -1
                    max_length: 2000
                    next: hello
                  - id: again
                    kind: text
                    text: {ca: Digues, es: Di, en: Say}
                    var: answer
                    min_length: 10
                    max_length: 5
                    next: hello
                """)).isEqualTo("""
                main.yaml:9:17: error [bad-length-bounds] node "hello" has min_length -1, but a length cannot be negative
                main.yaml:10:17: error [bad-length-bounds] node "hello" has max_length 2000, more than the 1600 characters a message holds
                main.yaml:12:5: error [unreachable-node] node "again" is not reachable from the start of flow "main"
                main.yaml:17:17: error [bad-length-bounds] node "again" has max_length 5 below its min_length 10, so no answer fits""");
    }

    @Test
    void refusesFlowsWithoutTheEntryFlow() {
        String other = "spec: 1\nid: other\nstart: bye\nnodes:\n  - {id: bye, kind: end}\n";
        assertThat(report("other.yaml", other)).isEqualTo("<flows>:0:0: error [missing-entry-flow] no flow has id"
                + " \"main\", the flow every conversation enters at");
    }

    @Test
    void refusesCommandsOutsideTheEntryFlow() {
        String other = "spec: 1\nid: other\nstart: bye\nnodes:\n  - {id: bye, kind: end}\n" + COMMANDS;
        assertThat(report("main.yaml", entry("hello", "  - {id: hello, kind: message, text: {ca: Hola, es: Hola,"
                + " en: Hi}, next: \"flow:other\"}\n"), "other.yaml", other)).isEqualTo("other.yaml:7:3: error"
                        + " [commands-outside-entry] flow \"other\" has \"commands\", which only the entry flow \"main\""
                        + " may have");
    }

    @Test
    void refusesAnEntryFlowWithoutCommands() {
        assertThat(report("main.yaml", "spec: 1\nid: main\nstart: bye\nnodes:\n  - {id: bye, kind: end}\n"))
                .isEqualTo("main.yaml:1:1: error [missing-commands] entry flow \"main\" has no \"commands\": the words"
                        + " that restart, ask for a person, stop and skip");
    }

    @Test
    void refusesAFirstContactNodeOutsideTheEntryFlow() {
        String other = "spec: 1\nid: other\nstart: bye\nfirst_contact: bye\nnodes:\n  - {id: bye, kind: end}\n";
        assertThat(report("main.yaml", entry("hello", "  - {id: hello, kind: message, text: {ca: Hola, es: Hola,"
                + " en: Hi}, next: \"flow:other\"}\n"), "other.yaml", other)).isEqualTo("other.yaml:4:16: error"
                        + " [first-contact-outside-entry] flow \"other\" has \"first_contact\", which only the entry"
                        + " flow \"main\" may have");
    }

    @Test
    void warnsOfAnIncidentWhoseCategoryNoMenuSets() {
        ValidationReport report = Flows.check(List.of(new FlowSource("main.yaml", entry("create", """
                  - {id: create, kind: incident, text: {ca: "Codi {incident.code}", es: "Código {incident.code}", en: "Code {incident.code}"}, next: bye}
                  - {id: bye, kind: end}
                """))));

        assertThat(report.isValid()).isTrue();
        assertThat(report.format()).isEqualTo("main.yaml:5:5: warning [incident-without-category] node \"create\""
                + " files the incident under variable \"category\", which no menu sets");
    }

    @Test
    void doesNotReportTargetsToANodeTooBrokenToRead() {
        assertThat(main("""
                  - {id: hello, kind: message, text: {ca: Hola, es: Hola, en: Hi}, next: broken}
                  - {id: broken, kind: message, next: hello}
                """)).isEqualTo("main.yaml:6:5: error [missing-field] node \"broken\" (message) lacks required field"
                        + " \"text\"");
    }

    @Test
    void validatesFlowsBuiltInCode() {
        Position at = new Position("code", 1, 1);
        Flow flow = new Flow("main", FlowSpec.CURRENT, "hello", Optional.empty(), List.of(
                new Node.Message("hello", at, LocalizedText.of("Hola", "Hola", "Hi"), new Node.Target("gone", at))),
                Optional.empty(), at);

        ValidationReport report = FlowValidator.validate(List.of(flow));

        assertThat(report.errors()).extracting(Issue::rule).containsExactly(Rules.DANGLING_TARGET,
                Rules.MISSING_COMMANDS);
        assertThat(report.warnings()).isEmpty();
        assertThat(new LocalizedText(Map.of(Language.CA, "x")).languages()).containsExactly(Language.CA);
    }
}
