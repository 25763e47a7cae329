/**
 * Reading conversations and incidents as a staff member may see them: the one place that applies a
 * staff member's scope, used by the JSON API and the pages alike.
 */
package org.civicbot.backoffice.query;
