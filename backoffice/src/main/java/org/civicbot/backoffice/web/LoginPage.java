package org.civicbot.backoffice.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page (Spring Security handles its POST), and the start page. */
@Controller
class LoginPage {

    private final org.civicbot.backoffice.staff.CurrentStaff staff;

    LoginPage(org.civicbot.backoffice.staff.CurrentStaff staff) {
        this.staff = staff;
    }

    @GetMapping("/login")
    String login(@RequestParam MultiValueMap<String, String> params, Model model) {
        model.addAttribute("loginError", params.containsKey("error"));
        model.addAttribute("loggedOut", params.containsKey("logout"));
        return "login";
    }

    /** The inbox; for staff who only write announcements, the announcements. */
    @GetMapping("/")
    reactor.core.publisher.Mono<String> home() {
        // Each to the first page of their work.
        return staff.scope().map(scope -> scope.supplier() ? "redirect:/incidents"
                : scope.attends() ? "redirect:/inbox"
                : scope.announces() ? "redirect:/announcements"
                : scope.edits() ? "redirect:/flows"
                : scope.handlesPersonalData() ? "redirect:/privacy"
                : "redirect:/try");
    }
}
