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
use razvilka_analysis::validate;

mod compare;
mod figures;
mod run;
mod validation;

pub use compare::*;
pub use figures::*;
pub use run::*;
pub use validation::*;

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
        assert!(SERIES.iter().all(|s| !s.1.contains("1926")));
    }
}
