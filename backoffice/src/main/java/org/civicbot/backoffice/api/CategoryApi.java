package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.civicbot.bot.incident.Categories;
import org.civicbot.bot.incident.Category;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The request categories: every staff member reads them, admins create and change them. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Categories", description = "The tree of request categories, their names and service times")
class CategoryApi {

    private final Categories categories;

    CategoryApi(Categories categories) {
        this.categories = categories;
    }

    /**
     * A category as the API reads and writes it; field names are part of the public contract.
     *
     * @param parent the top-level category it belongs to; null for a top-level one
     * @param labels its name in {@code ca}, {@code es} and {@code en}
     * @param serviceDays days within which an incident of it should be closed; null: none (a subcategory then takes
     *     its parent's)
     * @param position its place among its siblings (smallest first)
     */
    record CategoryView(String id, String parent, Map<String, String> labels, Integer serviceDays, Integer position) {
        static CategoryView of(Category c) {
            return new CategoryView(c.id(), c.parent(), c.labels(), c.serviceDays(), c.position());
        }
    }

    @GetMapping("/categories")
    @Operation(summary = "Every category, each top-level one followed by its subcategories")
    Flux<CategoryView> all() {
        return categories.all().map(CategoryView::of);
    }

    @PostMapping("/categories")
    @ResponseStatus(HttpStatus.OK)
    @Operation(summary = "Create or replace a category (admins); 400 says what to change, and nothing changes")
    Mono<CategoryView> save(@RequestBody CategoryView category) {
        return categories.save(new Category(category.id(), category.parent() == null || category.parent().isBlank()
                        ? null : category.parent(), category.labels(), category.serviceDays(),
                        category.position() == null ? 0 : category.position()))
                .map(CategoryView::of);
    }
}
