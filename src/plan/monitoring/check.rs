//! A dashboard body checked against CloudWatch's dashboard-body rules (widget types and
//! properties, metric arrays, math ids, the grid): what the tests assert of every body capform
//! builds. Not part of the library's interface.

use super::*;

/// Check a dashboard body against CloudWatch's dashboard-body rules; returns every problem.
///
/// Widget types and required properties, metric arrays (namespace, name, dimension pairs, an
/// optional trailing options object), math expressions referring only to ids defined in the
/// same widget, ids unique and starting lower-case, grid positions inside 24 columns without
/// overlap, and the per-dashboard limits.
pub fn check_dashboard(body: &HclValue) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(HclValue::List(widgets)) = body.get("widgets") else {
        return vec!["body has no `widgets` list".into()];
    };
    if widgets.len() > MAX_WIDGETS {
        problems.push(format!(
            "{} widgets; the limit is {MAX_WIDGETS}",
            widgets.len()
        ));
    }
    let mut cells: Vec<(i64, i64, i64, i64, usize)> = Vec::new();
    let mut total_metrics = 0;
    for (n, w) in widgets.iter().enumerate() {
        let ty = w.get("type").and_then(HclValue::as_str).unwrap_or("");
        let num = |k: &str| w.get(k).and_then(HclValue::as_i64);
        let (Some(x), Some(y), Some(wd), Some(ht)) =
            (num("x"), num("y"), num("width"), num("height"))
        else {
            problems.push(format!(
                "widget {n}: x, y, width and height must be whole numbers"
            ));
            continue;
        };
        if x < 0 || y < 0 || wd < 1 || ht < 1 || x + wd > GRID_COLUMNS || ht > 1000 {
            problems.push(format!(
                "widget {n}: ({x}, {y}) {wd}×{ht} is outside the 24-column grid"
            ));
        }
        for (m, &(ox, oy, ow, oh, _)) in cells.iter().enumerate() {
            if x < ox + ow && ox < x + wd && y < oy + oh && oy < y + ht {
                problems.push(format!("widget {n} overlaps widget {m}"));
            }
        }
        cells.push((x, y, wd, ht, n));
        let Some(props) = w.get("properties") else {
            problems.push(format!("widget {n}: no properties"));
            continue;
        };
        match ty {
            "text" => {
                // a literal, or a template (text with the module's names interpolated)
                if !matches!(
                    props.get("markdown"),
                    Some(HclValue::Str(_) | HclValue::Template(_))
                ) {
                    problems.push(format!("widget {n}: a text widget needs `markdown`"));
                }
            }
            "alarm" => match props.get("alarms") {
                Some(HclValue::List(a)) if !a.is_empty() && a.len() <= MAX_ALARMS_PER_WIDGET => {}
                _ => problems.push(format!(
                    "widget {n}: an alarm widget needs 1–{MAX_ALARMS_PER_WIDGET} alarm ARNs"
                )),
            },
            "metric" => {
                if props.get("region").and_then(HclValue::as_str).is_none() {
                    problems.push(format!("widget {n}: a metric widget needs `region`"));
                }
                let Some(HclValue::List(rows)) = props.get("metrics") else {
                    problems.push(format!("widget {n}: a metric widget needs `metrics`"));
                    continue;
                };
                if rows.is_empty() || rows.len() > 500 {
                    problems.push(format!("widget {n}: {} metrics; 1–500 allowed", rows.len()));
                }
                total_metrics += rows.len();
                let mut ids: Vec<String> = Vec::new();
                let mut expressions: Vec<String> = Vec::new();
                for (r, row) in rows.iter().enumerate() {
                    let HclValue::List(items) = row else {
                        problems.push(format!("widget {n} metric {r}: not an array"));
                        continue;
                    };
                    let (opts, plain) = match items.last() {
                        Some(o @ HclValue::Object(_)) => (Some(o), &items[..items.len() - 1]),
                        _ => (None, &items[..]),
                    };
                    if let Some(expr) = opts
                        .and_then(|o| o.get("expression"))
                        .and_then(HclValue::as_str)
                    {
                        if !plain.is_empty() {
                            problems.push(format!("widget {n} metric {r}: an expression row holds only its options object"));
                        }
                        expressions.push(expr.to_owned());
                    } else {
                        if plain.len() < 2 || plain.len() % 2 != 0 {
                            problems.push(format!("widget {n} metric {r}: expected namespace, name and dimension name/value pairs"));
                        }
                        if plain.iter().take(2).any(|v| v.as_str().is_none()) {
                            problems.push(format!(
                                "widget {n} metric {r}: namespace and metric name must be strings"
                            ));
                        }
                        for pair in plain[2.min(plain.len())..].chunks(2) {
                            if pair[0].as_str().is_none() {
                                problems.push(format!(
                                    "widget {n} metric {r}: dimension names must be strings"
                                ));
                            }
                        }
                    }
                    if let Some(id) = opts.and_then(|o| o.get("id")).and_then(HclValue::as_str) {
                        if !id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                            || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        {
                            problems.push(format!("widget {n} metric {r}: id `{id}` must start with a lower-case letter and hold only letters, digits and _"));
                        }
                        if ids.contains(&id.to_owned()) {
                            problems.push(format!("widget {n}: id `{id}` used twice"));
                        }
                        ids.push(id.to_owned());
                    }
                }
                for e in expressions {
                    for word in e.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                        let is_ident = word.chars().next().is_some_and(|c| c.is_ascii_lowercase());
                        if is_ident && !ids.iter().any(|i| i == word) {
                            problems.push(format!("widget {n}: expression `{e}` refers to `{word}`, which no metric in the widget defines"));
                        }
                    }
                }
            }
            other => problems.push(format!("widget {n}: unknown type `{other}`")),
        }
    }
    if total_metrics > MAX_METRICS {
        problems.push(format!(
            "{total_metrics} metrics; the limit is {MAX_METRICS} per dashboard"
        ));
    }
    problems
}
