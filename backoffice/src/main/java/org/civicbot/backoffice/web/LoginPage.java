package org.civicbot.backoffice.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page (Spring Security handles its POST), and the start page. */
@Controller
class LoginPage {

    @GetMapping("/login")
    String login(@RequestParam MultiValueMap<String, String> params, Model model) {
        model.addAttribute("loginError", params.containsKey("error"));
        model.addAttribute("loggedOut", params.containsKey("logout"));
        return "login";
    }

    @GetMapping("/")
    String home() {
        return "redirect:/inbox";
    }
}
