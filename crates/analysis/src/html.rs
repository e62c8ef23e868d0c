//! The HTML reports of `run --report` and `compare --report`: one self-contained file each, with the
//! charts drawn as inline SVG by [`crate::svg`], the style in one `<style>` element, and no script,
//! font, image or link fetched from anywhere.
//!
//! [`Page`] is the shell (head, style, title, sections with a contents list, footer) that any report
//! page can fill; [`run_page`] and [`compare_page`] fill it.

use std::fmt::Write;

use razvilka_ensemble::{Comparison, Summary, YearBand};
use razvilka_kernel::Registry;
use razvilka_model::{Fate, PersonId};
pub use razvilka_world::catalogue::value_label;
use razvilka_world::catalogue::{self, id, Unit};
use razvilka_world::{Action, Data, Outcome, Run, Scenario};

use crate::narrative::{Mark, Timeline};
use crate::svg::{self, escape, Category, Fan, FanPoint, FanSeries, ProbabilityBar, Stacked};
use crate::validate;

/// The page's style: a readable column of text, charts in a responsive grid, print-friendly.
pub const CSS: &str = r#"
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #e2e0da; --paper: #fbfaf7; --accent: #8b1e1e;
  --card: #ffffff; --as: #1b7837; --parts: #b2182b; }
* { box-sizing: border-box; }
html { background: var(--paper); color: var(--ink); }
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.top { background: #23201c; color: #f4f1ea; padding: 2.2rem 0 1.8rem; border-bottom: 4px solid var(--accent); }
header.top .wrap > p { color: #d8d2c6; max-width: 60rem; }
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 1.5rem; }
h1, h2, h3 { font-family: Georgia, "Times New Roman", "DejaVu Serif", serif; font-weight: 600; line-height: 1.2; }
h1 { font-size: 2.1rem; margin: 0.2rem 0 0.6rem; }
.kicker { text-transform: uppercase; letter-spacing: 0.12em; font-size: 0.78rem; color: #c9a96e; margin: 0; }
section { scroll-margin-top: 3rem; }
h2 { font-size: 1.55rem; margin: 2.6rem 0 0.4rem; padding-top: 0.4rem; border-top: 1px solid var(--rule); }
h3 { font-size: 1.12rem; margin: 1.6rem 0 0.5rem; }
p, li { max-width: 60rem; }
.note { color: var(--muted); font-size: 0.92rem; }
nav.toc { background: var(--card); border-bottom: 1px solid var(--rule); position: sticky; top: 0; z-index: 1; }
nav.toc ol { list-style: none; margin: 0; padding: 0.55rem 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1.3rem; font-size: 0.9rem; }
nav.toc a { color: var(--ink); text-decoration: none; border-bottom: 1px solid transparent; }
nav.toc a:hover { border-bottom-color: var(--accent); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 1rem 1.5rem; align-items: start; margin: 1rem 0; }
.grid.small { grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); }
figure { margin: 0; background: var(--card); border: 1px solid var(--rule); border-radius: 6px; padding: 0.6rem 0.7rem 0.5rem; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.86rem; padding: 0.3rem 0.2rem 0; }
.solo { max-width: 760px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 0.8rem; margin: 1rem 0; }
.card { background: var(--card); border: 1px solid var(--rule); border-left: 4px solid var(--accent); border-radius: 6px; padding: 0.7rem 0.9rem; }
.card .q { color: var(--muted); font-size: 0.85rem; }
.card .a { font-family: Georgia, "Times New Roman", serif; font-size: 1.25rem; margin: 0.15rem 0; }
.card .p { font-size: 0.9rem; }
.card .p b { font-size: 1.05rem; }
table { border-collapse: collapse; min-width: 60%; background: var(--card); font-size: 0.9rem; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { background: #f1efe9; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.assumptions { width: 100%; table-layout: fixed; }
table.assumptions td { overflow-wrap: anywhere; }
td code, li code, p code { font-size: 0.88em; background: #f1efe9; padding: 0 0.25em; border-radius: 3px; }
details { background: var(--card); border: 1px solid var(--rule); border-radius: 6px; padding: 0.5rem 0.9rem; margin: 0.8rem 0; }
details > summary { cursor: pointer; font-weight: 600; }
details[open] > summary { margin-bottom: 0.6rem; }
.timeline { list-style: none; padding: 0; margin: 0.6rem 0; max-width: 64rem; }
.timeline li { display: grid; grid-template-columns: 8.2rem 1.4rem 1fr; gap: 0.4rem; padding: 0.28rem 0; border-bottom: 1px dotted var(--rule); max-width: none; }
.timeline .date { color: var(--muted); font-variant-numeric: tabular-nums; font-size: 0.9rem; white-space: nowrap; }
.mark { font-weight: 700; text-align: center; border-radius: 3px; align-self: start; line-height: 1.5; }
.m-recorded .mark { color: #999; }
.m-divergence { background: #f7ecec; }
.m-divergence .mark { color: var(--accent); }
.m-as .mark { color: var(--as); }
.m-parts .mark { color: #fff; background: var(--parts); }
.m-parts .text { font-weight: 500; }
.legend-marks { font-size: 0.88rem; }
.legend-marks > span { margin-right: 1rem; white-space: nowrap; }
.legend-marks .mark { display: inline-block; width: 1.2rem; margin-right: 0.25rem; }
section:first-child h2 { border-top: 0; margin-top: 1.6rem; }
.interventions li { margin: 0.3rem 0; }
.verdict { font-weight: 700; }
td code { white-space: nowrap; }
.v-supported { color: var(--as); }
.v-not { color: var(--parts); }
.v-depends, .v-undecided, .v-inconclusive { color: #8a5a00; }
blockquote { margin: 0.6rem 0; padding: 0.2rem 0.9rem; border-left: 3px solid var(--rule); font-family: Georgia, "Times New Roman", serif; max-width: 60rem; }
footer { margin: 3rem 0 0; padding: 1.2rem 0 2rem; border-top: 1px solid var(--rule); color: var(--muted); font-size: 0.88rem; }
@media print { nav.toc { display: none; } header.top { background: none; color: var(--ink); } figure { break-inside: avoid; } }
"#;

/// A report page: a title, sections listed in a contents bar, and a footer. Headings are text
/// (escaped here); bodies are HTML that the caller has built with escaped text.
#[derive(Clone, Debug, Default)]
pub struct Page {
    title: String,
    kicker: String,
    intro: String,
    sections: Vec<(String, String, String)>,
    footer: String,
}

impl Page {
    /// A page with this title (text).
    pub fn new(title: &str) -> Page {
        Page {
            title: title.to_string(),
            ..Page::default()
        }
    }

    /// A small line above the title (text).
    pub fn kicker(&mut self, text: &str) -> &mut Page {
        self.kicker = text.to_string();
        self
    }

    /// HTML under the title, in the page's header band.
    pub fn intro(&mut self, html: &str) -> &mut Page {
        self.intro.push_str(html);
        self
    }

    /// A section with an anchor `id`, a heading (text) and a body (HTML).
    pub fn section(&mut self, id: &str, heading: &str, body: &str) -> &mut Page {
        self.sections
            .push((id.to_string(), heading.to_string(), body.to_string()));
        self
    }

    /// HTML for the footer.
    pub fn footer(&mut self, html: &str) -> &mut Page {
        self.footer.push_str(html);
        self
    }

    /// The whole document.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"razvilka {}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header class=\"top\"><div class=\"wrap\">",
            env!("CARGO_PKG_VERSION"),
            escape(&self.title)
        );
        if !self.kicker.is_empty() {
            let _ = write!(out, "<p class=\"kicker\">{}</p>", escape(&self.kicker));
        }
        let _ = writeln!(
            out,
            "<h1>{}</h1>{}</div></header>",
            escape(&self.title),
            self.intro
        );
        if self.sections.len() > 1 {
            out.push_str("<nav class=\"toc\"><div class=\"wrap\"><ol>");
            for (id, heading, _) in &self.sections {
                let _ = write!(
                    out,
                    "<li><a href=\"#{}\">{}</a></li>",
                    escape(id),
                    escape(heading)
                );
            }
            out.push_str("</ol></div></nav>\n");
        }
        out.push_str("<main class=\"wrap\">\n");
        for (id, heading, body) in &self.sections {
            let _ = write!(
                out,
                "<section id=\"{}\">\n<h2>{}</h2>\n{body}\n</section>\n",
                escape(id),
                escape(heading)
            );
        }
        let _ = write!(
            out,
            "</main>\n<footer><div class=\"wrap\">{}</div></footer>\n</body>\n</html>\n",
            self.footer
        );
        out
    }
}

/// A chart in a `<figure>`, with an optional caption (text).
pub fn figure(svg: &str, caption: &str) -> String {
    if caption.is_empty() {
        format!("<figure>{svg}</figure>")
    } else {
        format!(
            "<figure>{svg}<figcaption>{}</figcaption></figure>",
            escape(caption)
        )
    }
}

/// Items in a responsive grid; `small` packs more per row.
pub fn grid(items: &[String], small: bool) -> String {
    format!(
        "<div class=\"grid{}\">{}</div>",
        if small { " small" } else { "" },
        items.concat()
    )
}

/// The values of a categorical outcome as probability bars, likeliest first (at most `limit`, and
/// none under half a percent).
fn outcome_bars(data: &Data, summary: &Summary, key: &str, limit: usize) -> Vec<ProbabilityBar> {
    let Some(values) = summary.categorical.get(key) else {
        return Vec::new();
    };
    let mut bars: Vec<ProbabilityBar> = values
        .iter()
        .filter(|(_, p)| **p >= 0.005)
        .map(|(v, p)| ProbabilityBar {
            label: value_label(data, v),
            value: *p,
            interval: summary
                .intervals
                .get(key)
                .and_then(|m| m.get(v))
                .copied()
                .unwrap_or([*p, *p]),
        })
        .collect();
    bars.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.label.cmp(&b.label)));
    bars.truncate(limit);
    bars
}

/// One outcome's bars in two worlds, with the same values in the same order (likeliest in either
/// world first), so that side-by-side charts line up. A value absent from a world shows as 0%.
fn aligned_bars(
    data: &Data,
    a: &Summary,
    b: &Summary,
    key: &str,
) -> (Vec<ProbabilityBar>, Vec<ProbabilityBar>) {
    let share = |s: &Summary, v: &str| {
        s.categorical
            .get(key)
            .and_then(|m| m.get(v))
            .copied()
            .unwrap_or(0.0)
    };
    let mut values: Vec<String> = a
        .categorical
        .get(key)
        .into_iter()
        .chain(b.categorical.get(key))
        .flat_map(|m| m.keys().cloned())
        .collect();
    values.sort();
    values.dedup();
    values.retain(|v| share(a, v).max(share(b, v)) >= 0.005);
    values.sort_by(|x, y| {
        let (px, py) = (share(a, x).max(share(b, x)), share(a, y).max(share(b, y)));
        py.total_cmp(&px).then(x.cmp(y))
    });
    values.truncate(8);
    let bars = |s: &Summary| -> Vec<ProbabilityBar> {
        values
            .iter()
            .map(|v| ProbabilityBar {
                label: value_label(data, v),
                value: share(s, v),
                interval: s
                    .intervals
                    .get(key)
                    .and_then(|m| m.get(v))
                    .copied()
                    .unwrap_or_else(|| razvilka_ensemble::wilson(0, s.runs as usize)),
            })
            .collect()
    };
    (bars(a), bars(b))
}

/// A figure of one categorical outcome's probability bars.
fn outcome_figure(data: &Data, summary: &Summary, key: &str, colour: &str) -> String {
    let title = question(key);
    let bars = outcome_bars(data, summary, key, 8);
    let shown: f64 = bars.iter().map(|b| b.value).sum();
    let caption = if shown < 0.995 && !bars.is_empty() {
        format!(
            "Share of worlds with the 95% interval; the rest ({}) is spread over rarer values.",
            svg::percent(1.0 - shown)
        )
    } else {
        "Share of worlds with the 95% interval.".to_string()
    };
    figure(&svg::probability_bars(title, &bars, colour), &caption)
}

/// A fan series from a summary's yearly bands, scaled.
fn fan_series(bands: &[YearBand], label: &str, colour: &str, scale: f64) -> FanSeries {
    FanSeries {
        label: label.to_string(),
        colour: colour.to_string(),
        points: bands
            .iter()
            .map(|b| FanPoint {
                year: b.year as f64,
                low: b.p05 * scale,
                median: b.p50 * scale,
                high: b.p95 * scale,
            })
            .collect(),
    }
}

/// The yearly series drawn as fan charts: name, title, unit, scale.
const SERIES: [(&str, &str, &str, f64); 10] = [
    (id::GDP, "GDP", "index, 1928 = 100", 1.0),
    (id::INDUSTRY, "Industrial output", "index, 1928 = 100", 1.0),
    (
        id::CONSUMPTION_PER_HEAD,
        "Consumption per head",
        "index, 1928 = 100",
        1.0,
    ),
    (
        id::URBAN_SHARE,
        "Town dwellers",
        "% of the population",
        100.0,
    ),
    (id::GRAIN_HARVEST, "Grain harvest", "million tonnes", 1.0),
    (
        id::FAMINE_DEATHS,
        "Famine deaths",
        "million excess deaths in the harvest year",
        1.0,
    ),
    (
        id::MILITARY_CAPACITY,
        "Military-industrial capacity",
        "index, 1928 = 100",
        1.0,
    ),
    (id::REPRESSION, "Repression", "index, 0 to 1", 1.0),
    (
        id::FRONT_KM,
        "The front at the end of each year of war",
        "km east of the June 1941 border (below zero: west of it)",
        1.0,
    ),
    (
        id::SOVIET_MILITARY_DEAD,
        "Soviet military dead",
        "millions, in the worlds at war by that year",
        1.0,
    ),
];

/// The recorded points of a charted series from the validation targets, with their source, in the
/// chart's units (`scale` as its bands). A target's statistic names the series in the model's units;
/// an index is drawn only when the target indexes it to 1928, the base of the charts' indices.
fn recorded(data: &Data, series: &str, scale: f64) -> Option<(Vec<(f64, f64)>, String)> {
    let targets = validate::targets(data).ok()?;
    targets.iter().find_map(|t| {
        let recorded = t.recorded_series()?;
        let factor = match (recorded.series, recorded.base) {
            ("gdp_index", Some(1928)) if series == id::GDP => 100.0,
            ("urban_fraction", None) if series == id::URBAN_SHARE => scale,
            (s, None) if s == series => scale,
            _ => return None,
        };
        let points = recorded
            .points
            .iter()
            .map(|(y, v)| (*y as f64, *v * factor))
            .collect();
        Some((points, recorded.source.to_string()))
    })
}

/// A fan chart of one series from one or more summaries ((label, colour, summary) each).
fn fan_figure(data: &Data, name: &str, worlds: &[(&str, &str, &Summary)], marker: f64) -> String {
    let Some((_, title, unit, scale)) = SERIES.iter().find(|s| s.0 == name) else {
        return String::new();
    };
    let mut fan = Fan {
        title: title.to_string(),
        unit: unit.to_string(),
        marker: Some((marker, "divergence".to_string())),
        ..Fan::default()
    };
    for (label, colour, summary) in worlds {
        if let Some(bands) = summary.series.get(name) {
            fan.series.push(fan_series(bands, label, colour, *scale));
        }
    }
    let mut caption =
        "Median (line) and 5–95% band of the worlds, at the end of each year.".to_string();
    if let Some((points, source)) = recorded(data, name, *scale) {
        fan.recorded = points;
        fan.recorded_label = "recorded".to_string();
        let _ = write!(caption, " Dots: recorded history ({source}).");
    }
    figure(&svg::fan_chart(&fan), &caption)
}

/// A fate's colour: greens in the party, oranges out of it, purples in the Caucasus, blue abroad,
/// greys and reds dead.
pub fn fate_colour(fate: Fate) -> &'static str {
    match fate {
        Fate::InLeadership => "#1b7837",
        Fate::InParty => "#7fbf7b",
        Fate::Readmitted => "#c2e4a0",
        Fate::Expelled => "#fdb863",
        Fate::InternalExile => "#e08214",
        Fate::CaucasusBase => "#b2abd2",
        Fate::Revolt => "#8073ac",
        Fate::Breakaway => "#542788",
        Fate::Imprisoned => "#8c510a",
        Fate::Abroad => "#4393c3",
        Fate::DeadNatural => "#bababa",
        Fate::Executed => "#b2182b",
        Fate::Killed => "#e7664f",
        Fate::Suicide => "#4d4d4d",
    }
}

/// For each year, how many (world, person) pairs stand in each fate, over `people` pooled.
fn fate_counts(outcomes: &[Outcome], people: &[PersonId]) -> Vec<(u32, [usize; 32])> {
    let years: Vec<u32> = outcomes
        .first()
        .map(|o| o.years.iter().map(|y| y.year).collect())
        .unwrap_or_default();
    years
        .into_iter()
        .map(|year| {
            let mut counts = [0usize; 32];
            for o in outcomes {
                if let Some(record) = o.year(year) {
                    for p in people {
                        if let Some(f) = record.fates.get(p.index()) {
                            counts[*f as usize] += 1;
                        }
                    }
                }
            }
            (year, counts)
        })
        .collect()
}

/// Stacked bars of the fates of `people` (pooled) by year; only fates that occur are shown.
fn fate_chart(title: &str, counts: &[(u32, [usize; 32])], legend: bool, height: f64) -> String {
    let fates: Vec<Fate> = if legend {
        Fate::ALL
            .iter()
            .copied()
            .filter(|f| counts.iter().any(|(_, c)| c[*f as usize] > 0))
            .collect()
    } else {
        Fate::ALL.to_vec()
    };
    let chart = Stacked {
        title: title.to_string(),
        categories: fates
            .iter()
            .map(|f| Category {
                label: f.describe().to_string(),
                colour: fate_colour(*f).to_string(),
            })
            .collect(),
        columns: counts
            .iter()
            .map(|(year, c)| {
                (
                    year.to_string(),
                    fates.iter().map(|f| c[*f as usize] as f64).collect(),
                )
            })
            .collect(),
        legend,
        height,
    };
    svg::stacked_bars(&chart)
}

/// The legend of the fate colours, as HTML (shared by small multiples).
fn fate_legend(fates: &[Fate]) -> String {
    let mut out = String::from("<p class=\"legend-marks\">");
    for f in fates {
        let _ = write!(
            out,
            "<span><span class=\"mark\" style=\"color:{}\">■</span>{}</span> ",
            fate_colour(*f),
            escape(f.describe())
        );
    }
    out.push_str("</p>");
    out
}

/// An intervention in words.
fn action_text(data: &Data, action: &Action) -> String {
    let name = |p: PersonId| data.people.get(p).short.clone();
    match action {
        Action::Expel(p) => format!("{} is expelled from the party", name(*p)),
        Action::RemoveOffice(p, o) => format!("{} is removed as {}", name(*p), o.title()),
        Action::Dies(p) => format!("{} dies", name(*p)),
        Action::SurvivesUntil(p, m) => format!("{} lives and works at least until {m}", name(*p)),
        Action::Appoint(p, o) => format!("{} is made {}", name(*p), o.title()),
        Action::Policy(p) => format!("the economic policy is fixed: {}", p.describe()),
        Action::CominternLine(l) => format!(
            "the Comintern's line is fixed: {}",
            value_label(data, l.id())
        ),
        Action::Alignment(a) => format!(
            "in the European crisis the USSR chooses: {}",
            value_label(data, a.id())
        ),
        Action::NoArmyPurge => "the Red Army is spared any purge".to_string(),
    }
}

/// The scenario's description, interventions and overrides, as HTML.
fn scenario_html(data: &Data, scenario: &Scenario) -> String {
    let mut out = String::new();
    if !scenario.description.is_empty() {
        let _ = write!(out, "<p>{}</p>", escape(&scenario.description));
    }
    if scenario.interventions.is_empty() {
        out.push_str(
            "<p class=\"note\">No intervention: the mechanisms run free from the divergence.</p>",
        );
    } else {
        out.push_str("<ul class=\"interventions\">");
        for i in &scenario.interventions {
            let _ = write!(
                out,
                "<li><b>{}</b> — {}.",
                escape(&i.month.in_words()),
                escape(&action_text(data, &i.action))
            );
            if !i.note.is_empty() {
                let _ = write!(out, " <span class=\"note\">{}</span>", escape(&i.note));
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    if !scenario.overrides.is_empty() {
        out.push_str("<p class=\"note\">Assumptions changed from their defaults: ");
        let list: Vec<String> = scenario
            .overrides
            .iter()
            .map(|(k, v)| format!("<code>{}</code> = {v}", escape(k)))
            .collect();
        out.push_str(&list.join(", "));
        out.push_str(".</p>");
    }
    out
}

/// The likeliest value of an outcome, as a headline card.
fn card(data: &Data, summary: &Summary, key: &str, question: &str) -> String {
    let Some(top) = outcome_bars(data, summary, key, 1).into_iter().next() else {
        return String::new();
    };
    format!(
        "<div class=\"card\"><div class=\"q\">{}</div><div class=\"a\">{}</div><div class=\"p\"><b>{}</b> of worlds <span class=\"note\">(95%: {:.0}–{:.0}%)</span></div></div>",
        escape(question),
        escape(&top.label),
        svg::percent(top.value),
        top.interval[0] * 100.0,
        top.interval[1] * 100.0
    )
}

/// The outcomes a results page opens with, one card each.
pub const HEADLINE: [&str; 6] = [
    id::LEADER_1930,
    id::STALIN_FATE_1941,
    id::POLICY_1930,
    id::GERMAN_REGIME_1934,
    id::ALIGNMENT_1939,
    id::WAR_OUTCOME,
];

/// Germany, 1939 and the war: the categorical outcomes both reports show.
pub const EUROPE: [&str; 7] = [
    id::COMINTERN_LINE_1932,
    id::GERMAN_REGIME_1934,
    id::ALIGNMENT_1939,
    id::WAR_START_YEAR,
    id::SURPRISE_1941,
    id::WAR_OUTCOME,
    id::MILITARY_COUP_BY_1941,
];

/// The economy's numbers both reports show.
pub const ECONOMY_NUMBERS: [&str; 5] = [
    id::GDP_1940,
    id::INDUSTRY_1940,
    id::CONSUMPTION_1940,
    id::MILITARY_CAPACITY_1941,
    id::FAMINE_DEATHS_1930_1934,
];

/// The war's numbers both reports show.
pub const WAR_NUMBERS: [&str; 5] = [
    id::NAZI_POWER_MONTH,
    id::WAR_END_MONTH,
    id::SOVIET_MILITARY_DEATHS,
    id::FRONT_FIRST_DECEMBER_KM,
    id::RED_ARMY_OFFICERS_PURGED,
];

pub use razvilka_world::catalogue::question;

/// A numeric outcome's title with its unit, for a table's row ("GDP 1940 (1928 = 100)").
pub fn titled_with_unit(id: &str) -> String {
    match catalogue::about(id) {
        Some(q) if !matches!(q.unit, Unit::Label | Unit::Month | Unit::Year) => {
            format!("{} ({})", q.title, q.unit.words())
        }
        Some(q) => q.title.to_string(),
        None => id.to_string(),
    }
}

/// A table of numeric outcomes: title and unit, median, 5–95% band, each read in its unit (months
/// as dates).
fn numbers_table(summary: &Summary, ids: &[&str]) -> String {
    let mut out = String::from("<table><thead><tr><th>quantity</th><th class=\"num\">median</th><th class=\"num\">5–95% of worlds</th></tr></thead><tbody>");
    for key in ids {
        let unit = catalogue::about(key).map_or(Unit::Score, |q| q.unit);
        if let Some(q) = summary.numeric.get(*key) {
            if q.p50.is_finite() {
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} – {}</td></tr>",
                    escape(&titled_with_unit(key)),
                    unit.format(q.p50),
                    unit.format(q.p05),
                    unit.format(q.p95)
                );
            } else {
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td class=\"num\">—</td><td class=\"num\">{}</td></tr>",
                    escape(&titled_with_unit(key)),
                    catalogue::undefined(key)
                );
            }
        }
    }
    out.push_str("</tbody></table>");
    out
}

/// The sampled world's timeline as an HTML list, its replayed history folded away.
fn timeline_html(timeline: &Timeline, divergence: &str) -> String {
    let mut out = String::new();
    let _ = write!(out, "<p>{}</p>", escape(&timeline.summary));
    out.push_str("<p class=\"note legend-marks\"><span><span class=\"mark\" style=\"color:#999\">·</span>recorded history (replayed)</span><span><span class=\"mark\" style=\"color:#8b1e1e\">◆</span>the divergence</span><span><span class=\"mark\" style=\"color:#1b7837\">=</span>as in our history</span><span><span class=\"mark\" style=\"color:#fff;background:#b2182b\">≠</span>parts from our history</span></p>");
    let item = |out: &mut String, e: &crate::narrative::Entry| {
        let (class, symbol, meaning) = match e.mark {
            Mark::Recorded => ("m-recorded", "·", "recorded history, replayed"),
            Mark::Divergence => ("m-divergence", "◆", "the divergence"),
            Mark::AsInHistory => ("m-as", "=", "as in our history"),
            Mark::PartsFromHistory => ("m-parts", "≠", "parts from our history"),
            Mark::Model => ("m-model", "", "the model's own"),
        };
        let _ = write!(
            out,
            "<li class=\"{class}\"><span class=\"date\">{}</span><span class=\"mark\" title=\"{meaning}\">{symbol}</span><span class=\"text\">{}</span></li>",
            escape(&e.date),
            escape(&e.text)
        );
    };
    let (before, after): (Vec<_>, Vec<_>) = timeline
        .entries
        .iter()
        .partition(|e| e.month.as_str() < divergence);
    if !before.is_empty() {
        let _ = write!(
            out,
            "<details><summary>Before the divergence: {} entries of recorded history</summary><ol class=\"timeline\">",
            before.len()
        );
        for e in before {
            item(&mut out, e);
        }
        out.push_str("</ol></details>");
    }
    out.push_str("<ol class=\"timeline\">");
    for e in after {
        item(&mut out, e);
    }
    out.push_str("</ol>");
    out
}

/// Every assumption: key, value, unit, prior, provenance and basis, folded in a `<details>`.
pub fn assumptions_html(registry: &Registry) -> String {
    let mut out = format!(
        "<details><summary>All {} assumptions, with their priors and sources</summary><table class=\"assumptions\"><colgroup><col style=\"width:13rem\"><col style=\"width:4.5rem\"><col style=\"width:7rem\"><col style=\"width:7rem\"><col style=\"width:6.5rem\"><col></colgroup><thead><tr><th>key</th><th class=\"num\">value</th><th>unit</th><th>prior</th><th>provenance</th><th>meaning and basis</th></tr></thead><tbody>",
        registry.assumptions().len()
    );
    for (a, value) in registry.values() {
        let prior = match a.prior.bounds() {
            Some((lo, hi)) => format!("{lo} – {hi}"),
            None => "fixed".to_string(),
        };
        let provenance = format!("{:?}", a.provenance).to_lowercase();
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td class=\"num\">{value}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}<br><span class=\"note\">{}",
            escape(&a.key),
            escape(&a.unit),
            escape(&prior),
            escape(&provenance),
            escape(&a.meaning),
            escape(&a.basis)
        );
        if !a.thread.is_empty() {
            let _ = write!(out, " Thread: {}.", escape(&a.thread.join(", ")));
        }
        out.push_str("</span></td></tr>");
    }
    out.push_str("</tbody></table></details>");
    out
}

/// The divergence as a fractional year, for the charts' marker.
fn divergence_year(scenario: &Scenario) -> f64 {
    scenario.divergence.year() as f64 + (scenario.divergence.month_of_year() as f64 - 1.0) / 12.0
}

fn footer(command: &str) -> String {
    format!(
        "<p>Made by razvilka {}, a stochastic model of the Soviet leadership, economy and war, 1922–1945. Every figure is a share of simulated worlds, not a forecast. Reproduce this page with <code>{}</code>; the same seed gives the same numbers.</p>",
        env!("CARGO_PKG_VERSION"),
        escape(command)
    )
}

/// The HTML report of `razvilka run`: the scenario, its headline probabilities, the party, Stalin
/// and his men, the economy, Germany and the war, one sampled world and the assumptions used.
pub fn run_page(
    data: &Data,
    scenario: &Scenario,
    registry: &Registry,
    summary: &Summary,
    outcomes: &[Outcome],
    sample: &Run,
) -> String {
    let marker = divergence_year(scenario);
    let accent = "#8b1e1e";
    let mut page = Page::new(&scenario.title);
    page.kicker("razvilka · a counterfactual history of the USSR, 1922–1945");
    page.intro(&format!(
        "<p>{} simulated worlds, seed {}. Recorded history is replayed before {}; from then on every event comes from the model's mechanisms. Each figure is the share of worlds in which something happened, with its 95% interval.</p>",
        summary.runs,
        summary.seed,
        escape(&scenario.divergence.in_words())
    ));

    let mut body = scenario_html(data, scenario);
    body.push_str("<div class=\"cards\">");
    for key in HEADLINE {
        body.push_str(&card(data, summary, key, question(key)));
    }
    body.push_str("</div>");
    page.section("scenario", "The question", &body);

    let mut body = String::from("<p>Who holds the party at the end of each year; “collective” means no faction holds a majority. Person names are from <code>data/people.toml</code>.</p>");
    body.push_str(&grid(
        &[
            outcome_figure(data, summary, id::LEADER_1926, accent),
            outcome_figure(data, summary, id::LEADER_1930, accent),
            outcome_figure(data, summary, id::LEADER_1940, accent),
            outcome_figure(data, summary, id::GENERAL_SECRETARY_1925, accent),
            outcome_figure(data, summary, id::REGIME_1935, accent),
            fan_figure(data, id::REPRESSION, &[("", "", summary)], marker),
        ],
        false,
    ));
    page.section("party", "The party", &body);

    let stalin = data.people.find("stalin");
    let loyalists: Vec<PersonId> = data
        .people
        .ids()
        .filter(|(_, p)| p.patron.is_some() && p.patron == stalin)
        .map(|(id, _)| id)
        .collect();
    let mut body = String::new();
    let mut fates = Vec::new();
    if let Some(s) = stalin {
        fates.push(figure(
            &fate_chart(
                "Stalin, year by year",
                &fate_counts(outcomes, &[s]),
                true,
                250.0,
            ),
            "Share of worlds in which Stalin stands in each position at the end of each year.",
        ));
    }
    if !loyalists.is_empty() {
        fates.push(figure(
            &fate_chart(
                "His men, pooled",
                &fate_counts(outcomes, &loyalists),
                true,
                250.0,
            ),
            "Share of (world, man) pairs in each position at the end of each year, over the men named below.",
        ));
    }
    body.push_str(&grid(&fates, false));
    body.push_str(&grid(
        &[
            outcome_figure(data, summary, id::STALIN_FATE_1930, svg::PALETTE[0]),
            outcome_figure(data, summary, id::STALIN_FATE_1941, svg::PALETTE[0]),
            outcome_figure(data, summary, id::STALIN_CAUCASUS_BY_1941, svg::PALETTE[0]),
        ],
        false,
    ));
    if !loyalists.is_empty() {
        let names: Vec<String> = loyalists
            .iter()
            .map(|p| data.people.get(*p).short.clone())
            .collect();
        let main: Vec<PersonId> = loyalists.iter().copied().take(8).collect();
        let _ = write!(
            body,
            "<h3>His men, one by one</h3><p>The {} people whose patron in <code>data/people.toml</code> is Stalin: {}. The first {} of them:</p>",
            loyalists.len(),
            escape(&names.join(", ")),
            main.len()
        );
        let mut used: Vec<Fate> = Vec::new();
        let mut multiples = Vec::new();
        for p in &main {
            let counts = fate_counts(outcomes, &[*p]);
            for f in Fate::ALL {
                if !used.contains(f) && counts.iter().any(|(_, c)| c[*f as usize] > 0) {
                    used.push(*f);
                }
            }
            multiples.push(figure(
                &fate_chart(&data.people.get(*p).name, &counts, false, 200.0),
                "",
            ));
        }
        used.sort();
        body.push_str(&fate_legend(&used));
        body.push_str(&grid(&multiples, true));
    }
    page.section("stalin", "Stalin and his men", &body);

    let mut body = String::from("<p>The economic policy the leadership chooses, and what follows from it. Indices are relative to each world's 1928 (= 100), the first plan's base year.</p>");
    let mut charts = vec![
        outcome_figure(data, summary, id::POLICY_1930, svg::PALETTE[2]),
        outcome_figure(data, summary, id::COLLECTIVIZATION, svg::PALETTE[2]),
    ];
    for name in [
        id::GDP,
        id::INDUSTRY,
        id::CONSUMPTION_PER_HEAD,
        id::URBAN_SHARE,
        id::GRAIN_HARVEST,
        id::FAMINE_DEATHS,
        id::MILITARY_CAPACITY,
    ] {
        charts.push(fan_figure(
            data,
            name,
            &[("", svg::PALETTE[2], summary)],
            marker,
        ));
    }
    body.push_str(&grid(&charts, false));
    body.push_str("<h3>In numbers</h3>");
    body.push_str(&numbers_table(summary, &ECONOMY_NUMBERS));
    page.section("economy", "The economy", &body);

    let mut body = String::new();
    let mut charts = Vec::new();
    for key in EUROPE {
        charts.push(outcome_figure(data, summary, key, svg::PALETTE[1]));
    }
    charts.push(fan_figure(
        data,
        id::FRONT_KM,
        &[("", svg::PALETTE[1], summary)],
        marker,
    ));
    charts.push(fan_figure(
        data,
        id::SOVIET_MILITARY_DEAD,
        &[("", svg::PALETTE[1], summary)],
        marker,
    ));
    body.push_str(&grid(&charts, false));
    body.push_str(
        "<h3>The war in numbers</h3><p class=\"note\">Over the worlds where it happens.</p>",
    );
    body.push_str(&numbers_table(summary, &WAR_NUMBERS));
    page.section("war", "Germany and the war", &body);

    let timeline = Timeline::of(data, scenario, sample, summary.seed, 0);
    let mut body = format!(
        "<p class=\"note\">World 0 of seed {}; <code>razvilka timeline {} --run K</code> tells the others.</p>",
        summary.seed,
        escape(&scenario.name)
    );
    body.push_str(&timeline_html(&timeline, &summary.divergence));
    page.section("timeline", "One sampled world", &body);

    let mut body = String::from("<details><summary>Every numeric outcome (mean; 5%, 50%, 95%)</summary><table><thead><tr><th>outcome</th><th class=\"num\">mean</th><th class=\"num\">5%</th><th class=\"num\">50%</th><th class=\"num\">95%</th></tr></thead><tbody>");
    for (key, q) in &summary.numeric {
        if !q.mean.is_finite() {
            let _ = write!(
                body,
                "<tr><td><code>{}</code></td><td class=\"num\" colspan=\"4\">— ({})</td></tr>",
                escape(key),
                catalogue::undefined(key)
            );
            continue;
        }
        let _ = write!(
            body,
            "<tr><td><code>{}</code></td><td class=\"num\">{:.2}</td><td class=\"num\">{:.2}</td><td class=\"num\">{:.2}</td><td class=\"num\">{:.2}</td></tr>",
            escape(key),
            q.mean,
            q.p05,
            q.p50,
            q.p95
        );
    }
    body.push_str("</tbody></table></details>");
    body.push_str(&format!(
        "<p>The values this ensemble ran with{}. Provenance: <i>source</i> (a published figure), <i>calibration</i> (chosen so the actual-history baseline meets a target), <i>judgment</i> (the modeller's reasoning, given).</p>",
        if scenario.sample_priors {
            " (each world drew its own from the priors; the defaults are shown)"
        } else {
            ""
        }
    ));
    body.push_str(&assumptions_html(registry));
    page.section("assumptions", "Numbers and assumptions", &body);

    page.footer(&footer(&format!(
        "razvilka run {} --runs {} --seed {} --report FILE",
        scenario.name, summary.runs, summary.seed
    )));
    page.render()
}

/// The HTML report of `razvilka compare A B`: the two scenarios, how often the divergence changed
/// each outcome (twin by twin), the paired differences of the numbers, and both worlds side by side.
pub fn compare_page(data: &Data, a: &Scenario, b: &Scenario, comparison: &Comparison) -> String {
    let (sa, sb) = (&comparison.a, &comparison.b);
    let (ca, cb) = (svg::PALETTE[0], svg::PALETTE[1]);
    let mut page = Page::new(&format!("{} — or — {}", a.title, b.title));
    page.kicker("razvilka · twin worlds compared");
    page.intro(&format!(
        "<p>{} twin pairs, seed {}. The two worlds of a pair share their random streams and their history up to {}, so they differ only by what the divergence changed.</p>",
        sa.runs,
        sa.seed,
        escape(&comparison.twins_free_from)
    ));

    let mut body = String::new();
    for (label, scenario, colour) in [("A", a, ca), ("B", b, cb)] {
        let _ = write!(
            body,
            "<h3><span style=\"color:{colour}\">■</span> {label}: {}</h3>{}",
            escape(&scenario.title),
            scenario_html(data, scenario)
        );
    }
    page.section("scenarios", "The two worlds", &body);

    let mut changed: Vec<ProbabilityBar> = Vec::new();
    let mut changes_table = String::from("<details><summary>The commonest changes, A → B (share of all pairs)</summary><table><thead><tr><th>outcome</th><th>change</th><th class=\"num\">share</th></tr></thead><tbody>");
    for (name, p) in &comparison.paired {
        if !sa.categorical.contains_key(name) {
            continue;
        }
        changed.push(ProbabilityBar {
            label: catalogue::title(name).to_string(),
            value: p.value,
            interval: p.interval,
        });
        let mut top: Vec<_> = p.changes.iter().collect();
        top.sort_by(|x, y| y.1.total_cmp(x.1));
        for (change, share) in top.iter().take(3) {
            let words = change
                .split(" → ")
                .map(|v| value_label(data, v))
                .collect::<Vec<_>>()
                .join(" → ");
            let _ = write!(
                changes_table,
                "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td></tr>",
                escape(name),
                escape(&words),
                svg::percent(**share)
            );
        }
    }
    changes_table.push_str("</tbody></table></details>");
    changed.sort_by(|x, y| y.value.total_cmp(&x.value));
    let mut body = String::from("<p>The share of twin pairs in which the outcome differs between A and B, with its 95% interval.</p>");
    body.push_str(&format!(
        "<div class=\"solo\">{}</div>",
        figure(
            &svg::probability_bars("Share of pairs whose outcome differs", &changed, "#8b1e1e"),
            "",
        )
    ));
    body.push_str(&changes_table);
    page.section("changed", "What the divergence changed", &body);

    let mut body = String::from(
        "<p>The mean paired difference (B minus A) of each number, with its 95% interval, and each world's median.</p><table><thead><tr><th>quantity</th><th class=\"num\">A median</th><th class=\"num\">B median</th><th class=\"num\">B − A (mean)</th><th class=\"num\">95% interval</th></tr></thead><tbody>"
    );
    for (name, p) in &comparison.paired {
        let (Some(qa), Some(qb)) = (sa.numeric.get(name), sb.numeric.get(name)) else {
            continue;
        };
        let _ = write!(
            body,
            "<tr><td><code>{}</code></td><td class=\"num\">{:.2}</td><td class=\"num\">{:.2}</td><td class=\"num\">{:+.2}</td><td class=\"num\">{:+.2} to {:+.2}</td></tr>",
            escape(name),
            qa.p50,
            qb.p50,
            p.value,
            p.interval[0],
            p.interval[1]
        );
    }
    body.push_str("</tbody></table>");
    page.section("numbers", "Paired differences", &body);

    let mut charts = Vec::new();
    for key in [
        id::LEADER_1930,
        id::STALIN_FATE_1941,
        id::POLICY_1930,
        id::GERMAN_REGIME_1934,
        id::WAR_OUTCOME,
    ] {
        let title = catalogue::title(key);
        let (bars_a, bars_b) = aligned_bars(data, sa, sb, key);
        for (side, bars, colour) in [("A", bars_a, ca), ("B", bars_b, cb)] {
            charts.push(figure(
                &svg::probability_bars(&format!("{side} · {title}"), &bars, colour),
                "Share of worlds with the 95% interval.",
            ));
        }
    }
    let mut body =
        String::from("<p>Each world's own probabilities, A on the left and B on the right.</p>");
    body.push_str(&grid(&charts, false));
    page.section("side-by-side", "Side by side", &body);

    let marker = divergence_year(if a.divergence <= b.divergence { a } else { b });
    let (la, lb) = (format!("A: {}", a.name), format!("B: {}", b.name));
    let worlds = [(la.as_str(), ca, sa), (lb.as_str(), cb, sb)];
    let charts: Vec<String> = [
        id::REPRESSION,
        id::GDP,
        id::INDUSTRY,
        id::FAMINE_DEATHS,
        id::URBAN_SHARE,
        id::FRONT_KM,
    ]
    .iter()
    .map(|name| fan_figure(data, name, &worlds, marker))
    .collect();
    page.section("series", "Year by year", &grid(&charts, false));

    page.footer(&footer(&format!(
        "razvilka compare {} {} --runs {} --seed {} --report FILE",
        a.name, b.name, sa.runs, sa.seed
    )));
    page.render()
}

/// The page of `validate --report`: the verdict, the validation and calibrated targets with their
/// nulls, scores and skills, and the yearly series' calibration (a PIT histogram and coverage against
/// nominal).
pub fn validation_page(rows: &[validate::Row], runs: u32, seed: u64) -> String {
    let verdict = validate::Verdict::of(rows);
    let mut page = Page::new("Validation against recorded history");
    page.kicker("razvilka validate");
    page.intro(&format!(
        "<p>{} of {} validation targets pass (mean skill {:+.2} bits over the null for events and categories, {:+.2} CRPS skill for numbers); {} of {} calibrated targets pass. {runs} worlds per ensemble, seed {seed}. A target passes only if the model beats its stated null and its rule holds; the verdict counts validation targets only, which no parameter was set from.</p>",
        verdict.validation_passed,
        verdict.validation_targets,
        verdict.mean_log_skill,
        verdict.mean_crps_skill,
        verdict.calibrated_passed,
        verdict.calibrated_targets,
    ));
    for (role, id, heading) in [
        (
            validate::Role::Validation,
            "validation",
            "Validation targets",
        ),
        (
            validate::Role::Calibrated,
            "calibrated",
            "Calibrated targets",
        ),
    ] {
        let mut body = String::from("<table><tr><th>target</th><th>run</th><th>observed</th><th>model</th><th>null</th><th class=\"num\">skill</th><th>rule</th><th>verdict</th></tr>");
        for r in rows.iter().filter(|r| r.role == role) {
            let skill = match r.score.metric {
                "log" => format!("{:+.2} bits", r.skill),
                _ => format!("{:+.2}", r.skill),
            };
            let why = match (r.beats_null, r.rule_holds) {
                (true, true) => String::new(),
                (false, true) => " (does not beat the null)".into(),
                (true, false) => " (rule fails)".into(),
                (false, false) => " (does not beat the null; rule fails)".into(),
            };
            let _ = write!(
                body,
                "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{skill}</td><td>{}</td><td><b>{}</b>{}</td></tr>",
                escape(&r.text),
                r.fitted
                    .as_ref()
                    .map_or(String::new(), |f| format!("<br><span class=\"note\">fitted: {}</span>", escape(f))),
                if r.run == validate::RunKind::Baseline { "baseline" } else { "free" },
                escape(&r.observed),
                escape(&r.model),
                escape(&r.null),
                escape(&r.rule),
                if r.pass { "pass" } else { "FAIL" },
                escape(&why),
            );
        }
        body.push_str("</table>");
        page.section(id, heading, &body);
    }
    let series: Vec<&validate::Row> = rows.iter().filter(|r| !r.years.is_empty()).collect();
    let pits: Vec<f64> = series
        .iter()
        .flat_map(|r| r.years.iter().map(|y| y.pit))
        .collect();
    let coverage: Vec<(f64, f64)> = (1..=9)
        .map(|i| {
            let nominal = i as f64 / 10.0;
            let (lo, hi) = ((1.0 - nominal) / 2.0, (1.0 + nominal) / 2.0);
            let inside = pits.iter().filter(|p| (lo..=hi).contains(*p)).count();
            (nominal, inside as f64 / pits.len().max(1) as f64)
        })
        .collect();
    let mut body = format!(
        "<p>Every recorded year of the series targets ({} values from {} series), placed in the model's distribution of that year: the PIT is the share of worlds below the recorded value. A calibrated model gives a flat histogram and coverage on the diagonal; a hump in the middle means bands too wide, piles at the edges bands too narrow, and a slope a bias.</p>",
        pits.len(),
        series.len()
    );
    body.push_str(&grid(
        &[
            figure(
                &svg::pit_histogram("PIT of the recorded yearly values", &pits, 10),
                "Bars: how many recorded values fall in each tenth of the model's distribution.",
            ),
            figure(
                &svg::coverage_plot("Coverage against nominal", &coverage),
                "The share of recorded values inside the model's central 10%, 20%, … 90% bands.",
            ),
        ],
        false,
    ));
    for r in &series {
        let _ = write!(
            body,
            "<h3>{}</h3><table><tr><th>year</th><th class=\"num\">recorded</th><th class=\"num\">5%</th><th class=\"num\">median</th><th class=\"num\">95%</th><th class=\"num\">PIT</th></tr>",
            escape(&r.text)
        );
        for y in &r.years {
            let _ = write!(
                body,
                "<tr><td>{}</td><td class=\"num\">{:.3}</td><td class=\"num\">{:.3}</td><td class=\"num\">{:.3}</td><td class=\"num\">{:.3}</td><td class=\"num\">{:.2}</td></tr>",
                y.year, y.observed, y.p05, y.p50, y.p95, y.pit
            );
        }
        let _ = write!(
            body,
            "</table><p class=\"note\">{} Source: {}.</p>",
            escape(&r.model),
            escape(&r.source)
        );
    }
    page.section("series", "Yearly series: PIT and coverage", &body);
    page.footer("<p class=\"note\">Targets, nulls and rules: data/targets.toml; series: data/economy.toml; how to read them: docs/validation.md.</p>");
    page.render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_escapes_headings_and_lists_sections() {
        let mut page = Page::new("A <b>&</b> title");
        page.section("one", "First & foremost", "<p>body</p>")
            .section("two", "Second", "<p>more</p>");
        let html = page.render();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<title>A &lt;b&gt;&amp;&lt;/b&gt; title</title>"));
        assert!(html.contains("<a href=\"#one\">First &amp; foremost</a>"));
        assert!(html.contains("<section id=\"two\">"));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn value_labels_name_people_and_words() {
        let data = Data::builtin().unwrap();
        assert_eq!(value_label(&data, "zinoviev"), "Zinoviev");
        assert_eq!(value_label(&data, "soviet_victory"), "Soviet victory");
    }

    /// The charts index to 1928 = 100 like the tables; the recorded GDP drawn over the GDP chart is
    /// Maddison's series on the same base, and a series in other units gets no GDP points.
    #[test]
    fn recorded_gdp_is_drawn_on_the_charts_base() {
        let data = Data::builtin().unwrap();
        let (points, source) = recorded(&data, id::GDP, 1.0).expect("the GDP path target");
        assert!(source.contains("Maddison"), "{source}");
        let (first, value) = points[0];
        assert_eq!(first, 1929.0);
        // Maddison: 1929 over 1928 is a few per cent of growth, i.e. about 100-110 on this base.
        assert!((100.0..110.0).contains(&value), "{value}");
        assert!(recorded(&data, id::INDUSTRY, 1.0).is_none());
        let (urban, _) = recorded(&data, id::URBAN_SHARE, 100.0).expect("the census target");
        assert!(
            urban.iter().all(|(_, v)| (10.0..50.0).contains(v)),
            "{urban:?}"
        );
        assert!(SERIES.iter().all(|s| !s.2.contains("1926")));
    }
}
