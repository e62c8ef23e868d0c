//! The plain-text reports of `run`, `compare` and `assumptions`.

use std::collections::BTreeMap;
use std::fmt::Write;

use razvilka_ensemble::{Comparison, Summary};
use razvilka_kernel::Registry;
use razvilka_world::{Data, Run, Scenario};

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

/// A table with one column per outcome (e.g. years) and one row per value.
fn table(summary: &Summary, columns: &[(&str, &str)], limit: usize) -> String {
    let mut values: Vec<String> = Vec::new();
    for (outcome, _) in columns {
        for (v, _, _) in ranked(summary, outcome) {
            if !values.contains(&v) {
                values.push(v);
            }
        }
    }
    let shown: Vec<&String> = values.iter().take(limit).collect();
    let mut out = format!("  {:<24}", "");
    for (_, label) in columns {
        let _ = write!(out, "{label:>20}");
    }
    out.push('\n');
    for v in shown {
        let _ = write!(out, "  {v:<24}");
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

/// Why a numeric outcome has no value in any world, for "—": an outcome of a year no world reached
/// (the scenario ends before it, or every world did), or one no world had at all (a front with no war).
pub fn undefined(key: &str) -> String {
    let year = key
        .rsplit('_')
        .next()
        .and_then(|y| y.parse::<u32>().ok())
        .filter(|y| (1900..2100).contains(y));
    match year {
        Some(year) => format!("no world reached {year}"),
        None => "no world had it".to_string(),
    }
}

/// One line per numeric outcome: its label, median and 5–95% band; `widths` are the label's and
/// the median's columns.
fn medians(summary: &Summary, rows: &[(&str, &str)], widths: (usize, usize)) -> String {
    let (label_width, value_width) = widths;
    let mut out = String::new();
    for (key, label) in rows {
        if let Some(q) = summary.numeric.get(*key) {
            if q.p50.is_finite() {
                let _ = writeln!(
                    out,
                    "  {label:<label_width$}{:>value_width$.1}   ({:.1}–{:.1})",
                    q.p50, q.p05, q.p95
                );
            } else {
                let _ = writeln!(
                    out,
                    "  {label:<label_width$}{:>value_width$}   ({})",
                    "—",
                    undefined(key)
                );
            }
        }
    }
    out
}

/// Germany, 1939 and the war: the categorical outcomes, the war's numbers and the front.
fn europe_section(summary: &Summary) -> String {
    if !summary.categorical.contains_key("war_outcome") {
        return String::new();
    }
    let mut out = String::new();
    for (title, key, year) in [
        (
            "The Comintern's line in 1932",
            "comintern_line_1932",
            "1932",
        ),
        (
            "Germany's government at the end of 1934",
            "german_regime_1934",
            "1934",
        ),
        (
            "The Soviet choice in the European crisis, by the end of 1939",
            "alignment_1939",
            "1939",
        ),
        (
            "The year Germany attacks the USSR",
            "war_start_year",
            "1945",
        ),
        (
            "A 1941 attack: does it come as a surprise?",
            "surprise_1941",
            "1941",
        ),
        (
            "How the war stands at the end of 1945",
            "war_outcome",
            "1945",
        ),
        ("A military coup by 1941", "military_coup_by_1941", "1941"),
    ] {
        let _ = writeln!(out, "\n{title}");
        out.push_str(&table(summary, &[(key, year)], 6));
    }
    let _ = writeln!(
        out,
        "\nThe war in numbers (median and 5–95%, over the worlds where it happens)"
    );
    out.push_str(&medians(
        summary,
        &[
            ("nazi_power_month", "Nazis in power, months from 1922-01"),
            ("war_end_month", "war ends, months from 1922-01"),
            ("soviet_military_deaths", "Soviet military dead, millions"),
            (
                "front_first_december_km",
                "deepest advance by the first winter, km",
            ),
            ("red_army_officers_purged", "Red Army officers discharged"),
        ],
        (42, 9),
    ));
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
    for b in summary.series.get("front_km").into_iter().flatten() {
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
fn economy_section(summary: &Summary) -> String {
    if summary.series.get("gdp").is_none_or(|b| b.is_empty()) {
        return String::new();
    }
    let mut out = String::new();
    let _ = writeln!(out, "\nEconomic policy in force at the end of 1930");
    out.push_str(&table(summary, &[("policy_1930", "1930")], 5));
    let _ = writeln!(
        out,
        "\nForced collectivisation by 1940 (share of households: full ≥ 70%, partial ≥ 10%)"
    );
    out.push_str(&table(summary, &[("collectivization", "1940")], 3));
    let _ = writeln!(
        out,
        "\nThe economy in numbers (1928 = 100 unless marked; median and 5–95%)"
    );
    out.push_str(&medians(
        summary,
        &[
            ("gdp_1940", "GDP 1940"),
            ("industry_1940", "industrial output 1940"),
            ("consumption_1940", "consumption per head 1940"),
            (
                "military_capacity_1941",
                "military-industrial capacity 1941",
            ),
            ("famine_deaths_1930_1934", "famine deaths 1930–34, millions"),
        ],
        (36, 7),
    ));
    let _ = writeln!(out, "\nGrain harvest, million tonnes");
    out.push_str(&fan(summary, "grain_harvest", "Mt", 1.0, 2));
    let _ = writeln!(out, "\nIndustrial output (1926 = 100)");
    out.push_str(&fan(summary, "industry", "", 100.0, 2));
    let _ = writeln!(out, "\nUrban share of the population, %");
    out.push_str(&fan(summary, "urban_share", "%", 100.0, 2));
    let _ = writeln!(out, "\nFamine deaths, millions a year");
    out.push_str(&fan(summary, "famine_deaths", "M", 1.0, 1));
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
        "\nShare of worlds (95% interval). Person ids are in data/people.toml."
    );
    let _ = writeln!(
        out,
        "\nWho leads the party (end of year; 'collective': no faction holds a majority)"
    );
    out.push_str(&table(
        summary,
        &[
            ("leader_1926", "1926"),
            ("leader_1930", "1930"),
            ("leader_1940", "1940"),
        ],
        8,
    ));
    let _ = writeln!(out, "\nGeneral Secretary at the end of 1925");
    out.push_str(&table(summary, &[("general_secretary_1925", "1925")], 6));
    let _ = writeln!(out, "\nStalin's fate");
    out.push_str(&table(
        summary,
        &[("stalin_fate_1930", "1930"), ("stalin_fate_1941", "1941")],
        10,
    ));
    let _ = writeln!(
        out,
        "\nDid Stalin try a Caucasian break by 1941? (furthest step reached)"
    );
    out.push_str(&table(
        summary,
        &[("stalin_caucasus_by_1941", "by 1941")],
        4,
    ));
    let _ = writeln!(out, "\nRegime in 1935");
    out.push_str(&table(summary, &[("regime_1935", "1935")], 3));
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
                .map(|(f, p)| format!("{} {}", pct(**p), f))
                .collect();
            let _ = writeln!(out, "  {id:<16}{}", top.join("   "));
        }
    }
    let _ = writeln!(out, "\nRepression (index 0–1, median and 5–95% band)");
    out.push_str(&series_line(summary, "repression"));
    out.push_str(&economy_section(summary));
    out.push_str(&europe_section(summary));
    let _ = writeln!(out, "\nNumbers (mean; 5%, 50%, 95%)");
    let mut numeric: BTreeMap<&String, _> = BTreeMap::new();
    for (k, q) in &summary.numeric {
        numeric.insert(k, q);
    }
    for (k, q) in numeric {
        if q.mean.is_finite() {
            let _ = writeln!(
                out,
                "  {k:<26}{:>8.2}   {:.2}, {:.2}, {:.2}",
                q.mean, q.p05, q.p50, q.p95
            );
        } else {
            let _ = writeln!(out, "  {k:<26}{:>8}   {}", "—", undefined(k));
        }
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

/// The report `razvilka compare` prints.
pub fn compare_report(c: &Comparison) -> String {
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
    for (name, p) in &c.paired {
        if p.changes.is_empty() && !c.a.categorical.contains_key(name) {
            continue;
        }
        let _ = writeln!(
            out,
            "  {name:<24}{} ({:.0}–{:.0}%)",
            pct(p.value),
            p.interval[0] * 100.0,
            p.interval[1] * 100.0
        );
        let mut changes: Vec<_> = p.changes.iter().collect();
        changes.sort_by(|a, b| b.1.total_cmp(a.1));
        for (change, share) in changes.iter().take(3) {
            let _ = writeln!(out, "      {} {}", pct(**share), change);
        }
    }
    let _ = writeln!(
        out,
        "\nNumbers: mean paired difference ({} minus {}), 95% interval",
        c.b.scenario, c.a.scenario
    );
    for (name, p) in &c.paired {
        if c.a.numeric.contains_key(name) {
            let _ = writeln!(
                out,
                "  {name:<26}{:>+8.2}   ({:+.2} to {:+.2})",
                p.value, p.interval[0], p.interval[1]
            );
        }
    }
    for s in [&c.a, &c.b] {
        let _ = writeln!(out, "\n{} — who leads in 1930", s.title);
        let mut v: Vec<_> = s.categorical["leader_1930"].iter().collect();
        v.sort_by(|a, b| b.1.total_cmp(a.1));
        for (who, p) in v.iter().take(5) {
            let _ = writeln!(out, "  {who:<24}{}", pct(**p));
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
