//! The plain-text reports of `run`, `compare` and `assumptions`.

use std::fmt::Write;

use razvilka_ensemble::{Comparison, Summary};
use razvilka_kernel::Registry;
use razvilka_world::catalogue::{self, id, question, undefined, value_label, Unit};
use razvilka_world::{Data, Run, Scenario};

use crate::html::{titled_with_unit, ECONOMY_NUMBERS, EUROPE, WAR_NUMBERS};
use crate::narrative::Timeline;

fn pct(p: f64) -> String {
    format!("{:>3.0}%", p * 100.0)
}

/// Values of one outcome, most likely first, with intervals.
fn ranked(summary: &Summary, outcome: &str) -> Vec<(String, f64, [f64; 2])> {
    let Some(values) = summary.categorical.get(outcome) else {
        return Vec::new();
    };
    let mut out: Vec<(String, f64, [f64; 2])> = values
        .iter()
        .map(|(v, p)| {
            let ci = summary.intervals[outcome][v];
            (v.clone(), *p, ci)
        })
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// A table with one column per outcome (e.g. years) and one row per value, named in words.
fn table(data: &Data, summary: &Summary, columns: &[(&str, &str)], limit: usize) -> String {
    let mut values: Vec<String> = Vec::new();
    for (outcome, _) in columns {
        for (v, _, _) in ranked(summary, outcome) {
            if !values.contains(&v) {
                values.push(v);
            }
        }
    }
    let shown: Vec<&String> = values.iter().take(limit).collect();
    let mut out = String::new();
    if columns.iter().any(|(_, label)| !label.is_empty()) {
        let _ = write!(out, "  {:<30}", "");
        for (_, label) in columns {
            let _ = write!(out, "{label:>20}");
        }
        out.push('\n');
    }
    for v in shown {
        let _ = write!(out, "  {:<30}", value_label(data, v));
        for (outcome, _) in columns {
            let p = summary
                .categorical
                .get(*outcome)
                .and_then(|m| m.get(v))
                .copied()
                .unwrap_or(0.0);
            let ci = summary
                .intervals
                .get(*outcome)
                .and_then(|m| m.get(v))
                .copied()
                .unwrap_or([0.0, 0.0]);
            let cell = if p > 0.0 {
                format!("{} ({:.0}–{:.0})", pct(p), ci[0] * 100.0, ci[1] * 100.0)
            } else {
                "—".to_string()
            };
            let _ = write!(out, "{cell:>20}");
        }
        out.push('\n');
    }
    out
}

/// A one-line chart of a yearly median, with its band, every few years.
fn series_line(summary: &Summary, name: &str) -> String {
    let Some(bands) = summary.series.get(name) else {
        return String::new();
    };
    let mut out = String::new();
    for b in bands.iter().filter(|b| b.year % 2 == 0) {
        let _ = writeln!(
            out,
            "  {}  {:<40} {:.2} ({:.2}–{:.2})",
            b.year,
            "█".repeat((b.p50 * 40.0).round() as usize),
            b.p50,
            b.p05,
            b.p95
        );
    }
    out
}

/// A fan chart in text: each year's median as a bar scaled to the series' largest 95th percentile,
/// with the 5–95% band in figures.
fn fan(summary: &Summary, name: &str, unit: &str, scale: f64, step: u32) -> String {
    let Some(bands) = summary.series.get(name) else {
        return String::new();
    };
    let top = bands
        .iter()
        .map(|b| b.p95 * scale)
        .fold(0.0, f64::max)
        .max(1e-9);
    let mut out = String::new();
    for b in bands
        .iter()
        .filter(|b| b.year % step == 0 || b.year == 1928)
    {
        let bar = "█".repeat((b.p50 * scale / top * 30.0).round() as usize);
        let _ = writeln!(
            out,
            "  {}  {:<30} {:>6.1} ({:.1}–{:.1}) {unit}",
            b.year,
            bar,
            b.p50 * scale,
            b.p05 * scale,
            b.p95 * scale
        );
    }
    out
}

/// One categorical outcome under its question: a row per value, likeliest first.
fn outcome_table(data: &Data, summary: &Summary, key: &str, limit: usize) -> String {
    format!(
        "\n{}\n{}",
        question(key),
        table(data, summary, &[(key, "")], limit)
    )
}

/// One line per numeric outcome: its title and unit, median and 5–95% band, each read in its
/// unit (months as dates), or "—" with the reason when no world has it; `widths` are the label's
/// and the median's columns.
fn medians(summary: &Summary, ids: &[&str], widths: (usize, usize)) -> String {
    let (label_width, value_width) = widths;
    let mut out = String::new();
    for key in ids {
        let unit = catalogue::about(key).map_or(Unit::Score, |q| q.unit);
        if let Some(q) = summary.numeric.get(*key) {
            if q.p50.is_finite() {
                let _ = writeln!(
                    out,
                    "  {:<label_width$}{:>value_width$}   ({}–{})",
                    titled_with_unit(key),
                    unit.format(q.p50),
                    unit.format(q.p05),
                    unit.format(q.p95)
                );
            } else {
                let _ = writeln!(
                    out,
                    "  {:<label_width$}{:>value_width$}   ({})",
                    titled_with_unit(key),
                    "—",
                    undefined(key)
                );
            }
        }
    }
    out
}

/// Germany, 1939 and the war: the categorical outcomes, the war's numbers and the front.
fn europe_section(data: &Data, summary: &Summary) -> String {
    if !summary.categorical.contains_key(id::WAR_OUTCOME) {
        return String::new();
    }
    let mut out = String::new();
    for key in EUROPE {
        out.push_str(&outcome_table(data, summary, key, 6));
    }
    let _ = writeln!(
        out,
        "\nThe war in numbers (median and 5–95%, over the worlds where it happens)"
    );
    out.push_str(&medians(summary, &WAR_NUMBERS, (48, 9)));
    let _ = writeln!(
        out,
        "\nThe front at the end of each year of war, km east of the June 1941 border (negative: west)"
    );
    out.push_str(&front(summary));
    out
}

/// The front's yearly median and band, as a signed number line (the fan chart's bars cannot be
/// negative).
fn front(summary: &Summary) -> String {
    let mut out = String::new();
    for b in summary.series.get(id::FRONT_KM).into_iter().flatten() {
        if b.p50.is_finite() {
            let _ = writeln!(
                out,
                "  {}  {:>7.0} ({:.0} to {:.0}) km",
                b.year, b.p50, b.p05, b.p95
            );
        }
    }
    out
}

/// The economy: policy, the headline numbers, and fan charts.
fn economy_section(data: &Data, summary: &Summary) -> String {
    if summary.series.get(id::GDP).is_none_or(|b| b.is_empty()) {
        return String::new();
    }
    let mut out = String::new();
    out.push_str(&outcome_table(data, summary, id::POLICY_1930, 5));
    out.push_str(&outcome_table(data, summary, id::COLLECTIVIZATION, 3));
    let _ = writeln!(out, "\nThe economy in numbers (median and 5–95%)");
    out.push_str(&medians(summary, &ECONOMY_NUMBERS, (52, 7)));
    let _ = writeln!(out, "\nGrain harvest, million tonnes");
    out.push_str(&fan(summary, id::GRAIN_HARVEST, "Mt", 1.0, 2));
    let _ = writeln!(out, "\nIndustrial output (1928 = 100)");
    out.push_str(&fan(summary, id::INDUSTRY, "", 1.0, 2));
    let _ = writeln!(out, "\nUrban share of the population, %");
    out.push_str(&fan(summary, id::URBAN_SHARE, "%", 100.0, 2));
    let _ = writeln!(out, "\nFamine deaths, millions a year");
    out.push_str(&fan(summary, id::FAMINE_DEATHS, "M", 1.0, 1));
    out
}

/// The report `razvilka run` prints.
pub fn run_report(data: &Data, scenario: &Scenario, summary: &Summary, sample: &Run) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "razvilka — {}", scenario.title);
    let _ = writeln!(
        out,
        "{} worlds, seed {}; recorded history replayed before {}, mechanisms free from then on.",
        summary.runs, summary.seed, summary.divergence
    );
    if !scenario.description.is_empty() {
        let _ = writeln!(out, "\n{}", scenario.description);
    }
    let _ = writeln!(
        out,
        "\nShare of worlds (95% interval). People are named as in data/people.toml."
    );
    let _ = writeln!(
        out,
        "\nWho leads the party (end of year; 'collective': no faction holds a majority)"
    );
    out.push_str(&table(
        data,
        summary,
        &[
            (id::LEADER_1926, "1926"),
            (id::LEADER_1930, "1930"),
            (id::LEADER_1940, "1940"),
        ],
        8,
    ));
    out.push_str(&outcome_table(data, summary, id::GENERAL_SECRETARY_1925, 6));
    let _ = writeln!(out, "\nStalin's fate");
    out.push_str(&table(
        data,
        summary,
        &[
            (id::STALIN_FATE_1930, "1930"),
            (id::STALIN_FATE_1941, "1941"),
        ],
        10,
    ));
    out.push_str(&outcome_table(
        data,
        summary,
        id::STALIN_CAUCASUS_BY_1941,
        4,
    ));
    out.push_str(&outcome_table(data, summary, id::REGIME_1935, 3));
    let _ = writeln!(
        out,
        "\nStalin's 1924 loyalists at the end of 1941 (their two likeliest fates)"
    );
    for id in [
        "molotov",
        "kaganovich",
        "voroshilov",
        "ordzhonikidze",
        "mikoyan",
        "kirov",
        "kuibyshev",
        "beria",
    ] {
        if let Some(fates) = summary.people.get(id) {
            let mut v: Vec<(&String, &f64)> = fates.iter().collect();
            v.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
            let top: Vec<String> = v
                .iter()
                .take(2)
                .map(|(f, p)| format!("{} {}", pct(**p), value_label(data, f)))
                .collect();
            let _ = writeln!(out, "  {:<16}{}", value_label(data, id), top.join(";  "));
        }
    }
    let _ = writeln!(out, "\nRepression (index 0–1, median and 5–95% band)");
    out.push_str(&series_line(summary, id::REPRESSION));
    out.push_str(&economy_section(data, summary));
    out.push_str(&europe_section(data, summary));
    let _ = writeln!(out, "\nEvery number (mean; 5%, 50%, 95%)");
    for def in catalogue::NUMERIC {
        let Some(q) = summary.numeric.get(def.about.id) else {
            continue;
        };
        let unit = def.about.unit;
        if !q.mean.is_finite() {
            let _ = writeln!(
                out,
                "  {:<56}{:>8}   {}",
                titled_with_unit(def.about.id),
                "—",
                undefined(def.about.id)
            );
            continue;
        }
        let _ = writeln!(
            out,
            "  {:<56}{:>8}   {}, {}, {}",
            titled_with_unit(def.about.id),
            // A mean of counts is not a count: it keeps a decimal.
            if unit == Unit::People {
                format!("{:.1}", q.mean)
            } else {
                unit.format(q.mean)
            },
            unit.format(q.p05),
            unit.format(q.p50),
            unit.format(q.p95)
        );
    }
    let timeline = Timeline::of(data, scenario, sample, summary.seed, 0);
    let _ = writeln!(
        out,
        "\nOne sampled world (run 0; `razvilka timeline {} --run K` tells others)\n",
        scenario.name
    );
    let _ = writeln!(out, "{}\n", timeline.summary);
    let free: Vec<_> = timeline
        .entries
        .iter()
        .filter(|e| e.month >= summary.divergence)
        .take(25)
        .collect();
    for e in free {
        let _ = writeln!(out, "  {}  {}", e.month, e.text);
    }
    out
}

/// A change "a → b" between twin worlds, in words.
fn change_label(data: &Data, change: &str) -> String {
    match change.split_once(" → ") {
        Some((from, to)) => format!("{} → {}", value_label(data, from), value_label(data, to)),
        None => value_label(data, change),
    }
}

/// The report `razvilka compare` prints.
pub fn compare_report(data: &Data, c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "razvilka — {} vs {}", c.a.title, c.b.title);
    let _ = writeln!(
        out,
        "{} twin pairs, seed {}: each pair shares its random streams and its history up to {}.",
        c.a.runs, c.a.seed, c.twins_free_from
    );
    let _ = writeln!(
        out,
        "\nHow often the divergence changed the outcome (share of pairs, 95% interval)"
    );
    for def in catalogue::CATEGORICAL {
        let name = def.about.id;
        let Some(p) = c.paired.get(name) else {
            continue;
        };
        let _ = writeln!(
            out,
            "  {:<36}{} ({:.0}–{:.0}%)",
            def.about.title,
            pct(p.value),
            p.interval[0] * 100.0,
            p.interval[1] * 100.0
        );
        let mut changes: Vec<_> = p.changes.iter().collect();
        changes.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
        for (change, share) in changes.iter().take(3) {
            let _ = writeln!(out, "      {} {}", pct(**share), change_label(data, change));
        }
    }
    let _ = writeln!(
        out,
        "\nNumbers: mean paired difference ({} minus {}), 95% interval",
        c.b.scenario, c.a.scenario
    );
    for def in catalogue::NUMERIC {
        let name = def.about.id;
        let Some(p) = c.paired.get(name) else {
            continue;
        };
        // A difference of dates is a number of months, not a date.
        let unit = match def.about.unit {
            catalogue::Unit::Month => "months".to_string(),
            u => u.words().to_string(),
        };
        let _ = writeln!(
            out,
            "  {:<48}{:>+8.2}   ({:+.2} to {:+.2}) {unit}",
            def.about.title, p.value, p.interval[0], p.interval[1]
        );
    }
    out += &channels_text(c);
    for s in [&c.a, &c.b] {
        let _ = writeln!(out, "\n{} — {}", s.title, question(id::LEADER_1930));
        let mut v: Vec<_> = s.categorical[id::LEADER_1930].iter().collect();
        v.sort_by(|a, b| b.1.total_cmp(a.1).then(a.0.cmp(b.0)));
        for (who, p) in v.iter().take(5) {
            let _ = writeln!(out, "  {:<24}{}", value_label(data, who), pct(**p));
        }
    }
    out
}

/// A mean paired difference with the half-width of its 95% interval ("−12.3 ± 2.1"), or "—" where
/// no pair has the number.
pub fn mean_with_margin(mean: Option<&razvilka_ensemble::Mean>) -> String {
    match mean {
        Some(m) => {
            let half = (m.interval[1] - m.interval[0]) / 2.0;
            // Hundreds of people or index points need no decimals.
            let decimals = if m.value.abs().max(half) >= 100.0 {
                0
            } else {
                2
            };
            format!("{:+.decimals$} ± {half:.decimals$}", m.value)
        }
        None => "—".to_string(),
    }
}

/// Why the economy and the war moved: each turning point's split of the pairs.
fn channels_text(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nWhy the economy and the war moved: the pairs split by whether a turning point changed\n\
         (mean paired difference, {} minus {}, ± half its 95% interval; a difference found only where\n\
         the turning point changed points to that path, though turning points may change together)",
        c.b.scenario, c.a.scenario
    );
    for channel in &c.channels {
        let share = channel.changed_pairs as f64 / channel.pairs.max(1) as f64;
        let _ = writeln!(
            out,
            "  {}: changed in {} of pairs\n    {:<46}{:>20}{:>20}",
            catalogue::title(&channel.turning_point),
            pct(share).trim(),
            "",
            "where it changed",
            "where it held"
        );
        for (effect, split) in razvilka_ensemble::EFFECTS
            .iter()
            .filter_map(|e| channel.effects.get(*e).map(|s| (e, s)))
        {
            let _ = writeln!(
                out,
                "    {:<46}{:>20}{:>20}",
                crate::html::titled_with_unit(effect),
                mean_with_margin(split.changed.as_ref()),
                mean_with_margin(split.unchanged.as_ref())
            );
        }
    }
    out
}

/// Every assumption, its value and its provenance.
pub fn assumptions_table(registry: &Registry) -> String {
    let mut out = String::new();
    for (a, value) in registry.values() {
        let prior = match a.prior.bounds() {
            Some((lo, hi)) => format!("prior {lo}–{hi}"),
            None => "fixed".to_string(),
        };
        let _ = writeln!(
            out,
            "{} = {} {} ({prior}; {:?})",
            a.key, value, a.unit, a.provenance
        );
        let _ = writeln!(out, "    {}", a.meaning);
        let _ = writeln!(out, "    basis: {}", a.basis);
        if !a.thread.is_empty() {
            let _ = writeln!(out, "    thread: {}", a.thread.join(", "));
        }
    }
    out
}
