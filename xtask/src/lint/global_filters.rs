//! Rule `global-filters`: MOCO's docs name filters that every list offers (`entities.md`:
//! `ids`, `updated_after`, `custom_properties[...]`; `index.md`: `sort_by`). A paginated list
//! takes `SortBy`, `UpdatedAfter` and `Ids`, and `CustomPropertiesFilter` when its entity has
//! `custom_properties`, unless the operation declares otherwise with `x-no-global-filters`:
//! a reason (string) why none of them apply, or a map from filter name to the reason that one is
//! missing. A declaration for a filter the operation takes anyway is a finding too.

use serde_json::Value;

use super::pagination::{array_item, is_paginated};
use super::{Findings, Spec};

/// (query name, component) of each global filter.
const FILTERS: [(&str, &str); 4] =
    [("sort_by", "SortBy"), ("updated_after", "UpdatedAfter"), ("ids", "Ids"), ("custom_properties", "CustomPropertiesFilter")];

pub(super) fn check(spec: &Spec, out: &mut Findings) {
    for op in &spec.operations {
        let marker = op.op.get("x-no-global-filters");
        let marker_line = spec.op_line(op, &["x-no-global-filters"]);
        if !is_paginated(spec, op) {
            if marker.is_some() {
                out.add("global-filters", op.name(), marker_line, "x-no-global-filters on an operation that is not a paginated list");
            }
            continue;
        }
        let has_custom_fields = array_item(spec, op)
            .is_some_and(|item| spec.doc["components"]["schemas"][item]["properties"].get("custom_properties").is_some());
        let applies: Vec<(&str, &str)> =
            FILTERS.into_iter().filter(|(name, _)| *name != "custom_properties" || has_custom_fields).collect();
        // The filters the marker excuses, each with its reason.
        let excused: Vec<(&str, &str)> = match marker {
            None => vec![],
            Some(Value::String(reason)) if !reason.trim().is_empty() => applies.iter().map(|(name, _)| (*name, reason.as_str())).collect(),
            Some(Value::Object(map)) => {
                let mut excused = vec![];
                for (name, reason) in map {
                    match (FILTERS.iter().find(|(n, _)| n == name), reason.as_str().filter(|r| !r.trim().is_empty())) {
                        (Some((name, _)), Some(reason)) => excused.push((*name, reason)),
                        (None, _) => out.add(
                            "global-filters",
                            op.name(),
                            marker_line,
                            format!(
                                "x-no-global-filters names {name:?}, not a global filter (sort_by, updated_after, ids, custom_properties)"
                            ),
                        ),
                        (Some(_), None) => {
                            out.add("global-filters", op.name(), marker_line, format!("x-no-global-filters gives no reason for {name}"))
                        }
                    }
                }
                excused
            }
            Some(_) => {
                out.add(
                    "global-filters",
                    op.name(),
                    marker_line,
                    "x-no-global-filters is a reason (a string), or a map from filter name to reason",
                );
                continue;
            }
        };
        let whole = matches!(marker, Some(Value::String(_)));
        let mut missing = vec![];
        for (name, component) in &applies {
            let takes = op.takes(spec, "query", name);
            let is_excused = excused.iter().any(|(n, _)| n == name);
            if !takes && !is_excused {
                missing.push(format!("{component} ({name})"));
            }
            if takes && is_excused && !whole {
                out.add("global-filters", op.name(), marker_line, format!("x-no-global-filters excuses {name}, which the operation takes"));
            }
        }
        if whole && applies.iter().all(|(name, _)| op.takes(spec, "query", name)) {
            out.add("global-filters", op.name(), marker_line, "x-no-global-filters, but the operation takes every global filter");
        }
        if !missing.is_empty() {
            out.add(
                "global-filters",
                op.name(),
                spec.op_line(op, &["parameters"]),
                format!(
                    "a paginated list without the global filter {}; add it, or declare `x-no-global-filters` with the reason",
                    missing.join(", ")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::fixture::*;

    const SORT_BY: &str = "        - $ref: '#/components/parameters/SortBy'\n";
    const SUMMARY: &str = "      summary: List things\n";

    #[test]
    fn a_list_without_a_global_filter_is_found() {
        let found = findings(&good_with(SORT_BY, ""), "global-filters");
        assert_eq!(found, ["GET /things (list_things): a paginated list without the global filter SortBy (sort_by); add it, or declare `x-no-global-filters` with the reason [global-filters, line 17]"]);
    }

    #[test]
    fn custom_properties_apply_to_entities_with_custom_fields() {
        let spec = good_with(
            "        note: {type: string, nullable: true}\n",
            "        note: {type: string, nullable: true}\n        custom_properties: {type: object}\n",
        );
        let found = findings(&spec, "global-filters");
        assert!(found[0].contains("without the global filter CustomPropertiesFilter (custom_properties)"), "{found:?}");
    }

    #[test]
    fn the_marker_excuses_missing_filters_with_a_reason() {
        let spec = good_with(SORT_BY, "");
        let excused = spec.replace(SUMMARY, &format!("{SUMMARY}      x-no-global-filters: {{sort_by: The docs name no sorting here.}}\n"));
        assert_eq!(findings(&excused, "global-filters"), Vec::<String>::new());
        let excused = spec.replace(SUMMARY, &format!("{SUMMARY}      x-no-global-filters: The docs name no filters here.\n"));
        assert_eq!(findings(&excused, "global-filters"), Vec::<String>::new());
        // A marker for a filter the list takes, an unknown filter, no reason, or a marker on a
        // list that takes them all.
        let stale = good_with(SUMMARY, &format!("{SUMMARY}      x-no-global-filters: {{ids: none, colour: none, sort_by: ''}}\n"));
        let found = findings(&stale, "global-filters");
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found.iter().any(|p| p.contains("excuses ids, which the operation takes")), "{found:?}");
        assert!(found.iter().any(|p| p.contains("names \"colour\", not a global filter")), "{found:?}");
        assert!(found.iter().any(|p| p.contains("gives no reason for sort_by")), "{found:?}");
        let stale = good_with(SUMMARY, &format!("{SUMMARY}      x-no-global-filters: None here.\n"));
        assert!(findings(&stale, "global-filters")[0].contains("takes every global filter"));
        let misplaced = good_with("      summary: Get a thing\n", "      summary: Get a thing\n      x-no-global-filters: no\n");
        assert!(findings(&misplaced, "global-filters")[0].contains("not a paginated list"));
    }
}
