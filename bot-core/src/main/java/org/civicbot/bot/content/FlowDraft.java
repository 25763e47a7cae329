package org.civicbot.bot.content;

import java.time.Instant;
import org.springframework.data.annotation.Id;

/**
 * A flow file an editor is changing and has not published: saved as it is, valid or not, one per file.
 *
 * @param file the file's name ({@code main.yaml})
 * @param base the revision it was begun from
 */
@org.springframework.data.mongodb.core.mapping.Document("flow_drafts")
public record FlowDraft(@Id String file, String yaml, String by, Instant at, long base) {}
