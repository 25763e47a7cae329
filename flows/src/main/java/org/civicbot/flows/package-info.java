/**
 * The flow language: the model of a flow (records), the YAML reader that keeps the line and
 * column of every element, the validator that refuses broken flows with a report, and the
 * default flows. Nothing here knows about Spring, MongoDB or a channel.
 */
package org.civicbot.flows;
