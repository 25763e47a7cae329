package org.civicbot.backoffice.api;

import java.util.List;

/** A page of a list: the items, which page, its size and how many there are in all. */
record Page<T>(List<T> items, int page, int size, long total) {}
