/**
 * The back-office pages: sign-in, the live inbox, a conversation with its timeline, incidents and
 * administration. Server-rendered with Thymeleaf, made live by htmx and server-sent events; the
 * controllers call the same services as the JSON API, and read through the same scope-applying queries.
 */
package org.civicbot.backoffice.web;
