package org.civicbot.backoffice.staff;

import java.util.List;
import org.civicbot.bot.announcement.Catalogue;
import org.civicbot.bot.incident.Categories;
import org.civicbot.bot.incident.Rule;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Checks that the names an automation rule uses exist: its category, area, department, person, organisation. */
@Component
public class RuleNames {

    private final Categories categories;
    private final Catalogue catalogue;
    private final Departments departments;
    private final StaffUsers users;
    private final Organisations organisations;

    RuleNames(Categories categories, Catalogue catalogue, Departments departments, StaffUsers users,
            Organisations organisations) {
        this.categories = categories;
        this.catalogue = catalogue;
        this.departments = departments;
        this.users = users;
        this.organisations = organisations;
    }

    /** Every name the rule uses that is not there, each said as a person can act on it; empty when all are. */
    public Mono<List<String>> unknown(Rule rule) {
        String category = rule.when().category();
        String area = rule.when().area();
        String department = rule.then().department();
        String assignee = rule.then().assignee();
        String organisation = rule.then().organisation();
        return Flux.concat(
                        category == null ? Mono.<String>empty()
                                : categories.byId(category).map(c -> "").defaultIfEmpty("no category " + category),
                        area == null ? Mono.<String>empty()
                                : catalogue.area(area).map(a -> "").defaultIfEmpty("no area " + area),
                        department == null ? Mono.<String>empty()
                                : departments.exists(department).map(ok -> ok ? "" : "no department " + department),
                        assignee == null ? Mono.<String>empty()
                                : users.find(assignee).filter(StaffUser::enabled).map(u -> "")
                                        .defaultIfEmpty("no active staff member " + assignee),
                        organisation == null ? Mono.<String>empty()
                                : organisations.exists(organisation)
                                        .map(ok -> ok ? "" : "no organisation " + organisation))
                .filter(problem -> !problem.isEmpty()).collectList();
    }
}
