package org.civicbot.backoffice.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.civicbot.backoffice.staff.CurrentStaff;
import org.civicbot.bot.privacy.ContactRecords;
import org.civicbot.bot.privacy.PrivacyRequests;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * A citizen's data for admins and the data-protection officer (GDPR Arts. 15 and 17): found by phone number or chat
 * id, exported as a ZIP, erased. Every export and erasure is audited with who asked and why.
 */
@RestController
@RequestMapping("/api/v1/contacts")
@Tag(name = "Contacts", description = "A citizen's data: find, export, erase (ADMIN or DPO)")
class ContactApi {

    static final int MAX_REASON_LENGTH = 500;

    private final ContactRecords records;
    private final PrivacyRequests audit;
    private final CurrentStaff staff;

    ContactApi(ContactRecords records, PrivacyRequests audit, CurrentStaff staff) {
        this.records = records;
        this.audit = audit;
        this.staff = staff;
    }

    @GetMapping
    @Operation(summary = "Find a contact by phone number (+34600000001, with or without whatsapp:) or Telegram chat id")
    Mono<List<ContactRecords.Summary>> find(@RequestParam(required = false) String q) {
        if (q == null || q.isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "q is required: a phone number such as +34600000001, or a Telegram chat id");
        }
        return records.find(q).collectList();
    }

    @GetMapping(value = "/{id}/export", produces = "application/zip")
    @Operation(summary = "Everything held about the contact: contact.json and its media, as a ZIP (audited)")
    Mono<ResponseEntity<byte[]>> export(@PathVariable String id,
            @Parameter(description = "why it is exported, for the audit") @RequestParam(required = false)
            String reason) {
        if (reason != null && reason.length() > MAX_REASON_LENGTH) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "the reason is longer than " + MAX_REASON_LENGTH + " characters");
        }
        return staff.scope().flatMap(me -> records.export(id)
                .switchIfEmpty(Mono.error(unknown()))
                .flatMap(zip -> audit.record(PrivacyRequests.Kind.EXPORT, id, me.username(),
                                reason == null || reason.isBlank() ? null : reason.strip(),
                                Map.of("bytes", (long) zip.length))
                        .thenReturn(ResponseEntity.ok()
                                .contentType(MediaType.parseMediaType("application/zip"))
                                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                                        .filename("contact-" + id + ".zip").build().toString())
                                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                                .body(zip))));
    }

    /** Why the contact's data are erased: a request under Art. 17, a court order... */
    record Erase(@NotBlank @Size(max = MAX_REASON_LENGTH) String reason) {}

    @PostMapping("/{id}/erase")
    @Operation(summary = "Erase the contact: conversations and media removed, incidents anonymised (audited)")
    Mono<Map<String, Object>> erase(@PathVariable String id, @Valid @RequestBody Erase request) {
        return staff.scope().flatMap(me -> records.erase(id)
                .switchIfEmpty(Mono.error(unknown()))
                .flatMap(erasure -> audit.record(PrivacyRequests.Kind.ERASE, id, me.username(),
                                request.reason().strip(), erasure.counts())
                        .thenReturn(Map.<String, Object>of("contactId", id, "erased", erasure.counts()))));
    }

    private static ResponseStatusException unknown() {
        return new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no contact with this id: it was never known, or it was erased");
    }
}
