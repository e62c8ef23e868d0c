//! The server's pages, built on the report shell of `razvilka_present::html` (its style and
//! sections) with the site's navigation added, and the forms, headline and twin table that only the
//! web application has.

use std::fmt::Write;

use razvilka_analysis::sensitivity::{SobolReport, Tornado};
use razvilka_ensemble::{Comparison, Summary};
use razvilka_kernel::Registry;
use razvilka_present::html::{self, figure, Page};
use razvilka_present::narrative::{Mark, Timeline};
use razvilka_present::svg::{self, escape, percent, RangeRow};
use razvilka_world::{Data, PosteriorSample, INTERVENTION_KINDS};

use crate::catalogue;
use crate::params::{Params, DEFAULT_RUNS, DEFAULT_SCENARIO, DEFAULT_SEED, INTERVENTION_ROWS};
use crate::ScenarioInfo;

/// The navigation every page carries.
pub const NAV: &str = "<nav id=\"site-nav\"><div class=\"wrap\"><a href=\"/\">Build</a><a href=\"/claims\">Claims</a><a href=\"/sensitivity\">Sensitivity</a><a href=\"/docs/api\">API</a></div></nav>\n";

/// Adds the site's stylesheet, a skip link and the navigation to a page rendered by [`Page`].
pub fn decorate(doc: &str) -> String {
    doc.replacen(
        "</head>",
        "<link rel=\"stylesheet\" href=\"/assets/web.css\">\n</head>",
        1,
    )
    .replacen(
        "<body>\n",
        &format!("<body>\n<a class=\"skip\" href=\"#main\">Skip to the content</a>\n{NAV}"),
        1,
    )
    .replacen(
        "<main class=\"wrap\">",
        "<main class=\"wrap\" id=\"main\">",
        1,
    )
}

/// Gives a rendered page the title `title` (each results page its own, not the scenario's alone).
fn retitle(doc: &str, title: &str) -> String {
    match (doc.find("<title>"), doc.find("</title>")) {
        (Some(a), Some(b)) if a < b => {
            format!("{}<title>{}{}", &doc[..a], escape(title), &doc[b..])
        }
        _ => doc.to_string(),
    }
}

/// Wraps everything in a rendered page's `<main>` in `<section id="{id}">`, with `first` (HTML) at
/// its top.
pub fn wrap_main(doc: &str, id: &str, first: &str) -> String {
    doc.replacen(
        "<main class=\"wrap\" id=\"main\">\n",
        &format!("<main class=\"wrap\" id=\"main\">\n<section id=\"{id}\">\n{first}\n"),
        1,
    )
    .replacen("</main>", "</section>\n</main>", 1)
}

const FOOTER: &str = "<p>razvilka serve: a stochastic model of the Soviet leadership, economy and war, 1922–1945. Every figure is a share of simulated worlds, not a forecast; the same parameters and seed give the same numbers.</p>";

/// A page of one section.
pub fn shell(title: &str, id: &str, heading: &str, body: &str) -> String {
    let mut page = Page::new(title);
    page.kicker("razvilka · a counterfactual history of the USSR, 1922–1945")
        .section(id, heading, body)
        .footer(FOOTER);
    decorate(&page.render())
}

/// How often a running page reloads itself, in seconds.
pub const RELOAD_SECS: u32 = 2;

/// Makes a page reload itself every [`RELOAD_SECS`]: a meta refresh, which needs no script.
pub fn reloading(doc: &str) -> String {
    doc.replacen(
        "</head>",
        &format!("<meta http-equiv=\"refresh\" content=\"{RELOAD_SECS}\">\n</head>"),
        1,
    )
}

/// The page shown while a result is computed: it reloads itself until the result is there.
pub fn running(what: &str) -> String {
    let body = format!(
        "<p id=\"running\" role=\"status\">Running: {}. This page reloads itself every {RELOAD_SECS} seconds and shows the results as soon as they are ready; afterwards the same address gives them at once.</p><p><a href=\"\">Reload now</a></p>",
        escape(what)
    );
    reloading(&shell("Running…", "running-section", "Running…", &body))
}

/// A URL query string of `pairs`, percent-encoded.
pub fn query(pairs: &[(String, String)]) -> String {
    fn enc(s: &str) -> String {
        let mut out = String::new();
        for b in s.bytes() {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                out.push(b as char);
            } else {
                let _ = write!(out, "%{b:02X}");
            }
        }
        out
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The question the site answers, as the landing page states it.
const QUESTION: &str = "What if the party had expelled Stalin in May 1924, when Lenin's letter calling for his removal was read to the Central Committee? razvilka answers such questions by running thousands of simulated worlds of the Soviet leadership, the economy, Germany and the war from 1922 to 1945, each from the same divergence, and by counting how often each outcome happens, beside twin worlds that follow actual history. Every answer is a share of worlds, with its uncertainty, not a prediction.";

/// The scenario builder, filled in with `filled` (from "edit this scenario") or the defaults. The
/// landing page: the question, the premise's run one click away, then the builder with its
/// advanced parts folded.
pub fn builder(
    scenarios: &[ScenarioInfo],
    data: &Data,
    max_runs: u32,
    filled: Option<&Params>,
) -> String {
    let chosen = filled.map_or(DEFAULT_SCENARIO, |p| p.scenario.as_str());
    let premise = scenarios
        .iter()
        .find(|s| s.name == DEFAULT_SCENARIO)
        .map_or("Stalin expelled", |s| s.title.as_str());
    let mut body = format!(
        "<p class=\"lead\" id=\"question\">{}</p><p><a class=\"button lead-run\" id=\"run-premise\" href=\"/run?scenario={DEFAULT_SCENARIO}\">Run: Stalin expelled</a> <span class=\"note\">{} — {} worlds.</span></p>",
        escape(QUESTION),
        escape(premise),
        DEFAULT_RUNS.min(max_runs)
    );
    body.push_str("<h3>Or build your own</h3><form id=\"builder\" method=\"get\" action=\"/run\">");
    body.push_str("<fieldset><legend>The divergence</legend><label for=\"scenario\">Scenario</label> <select name=\"scenario\" id=\"scenario\">");
    // The premise first, then the rest in the catalogue's order.
    let ordered: Vec<&ScenarioInfo> = scenarios
        .iter()
        .filter(|s| s.name == DEFAULT_SCENARIO)
        .chain(scenarios.iter().filter(|s| s.name != DEFAULT_SCENARIO))
        .collect();
    for s in &ordered {
        let _ = write!(
            body,
            "<option value=\"{}\"{}>{} — {}</option>",
            escape(&s.name),
            if s.name == chosen { " selected" } else { "" },
            escape(&s.name),
            escape(&s.title)
        );
    }
    let _ = write!(
        body,
        "</select><details id=\"catalogue\"><summary>What each of the {} divergences is</summary><dl class=\"catalogue\">",
        ordered.len()
    );
    for s in &ordered {
        let _ = write!(
            body,
            "<dt><code>{}</code> {}</dt><dd>{} <span class=\"note\">History replayed before {}.</span></dd>",
            escape(&s.name),
            escape(&s.title),
            escape(&s.description),
            escape(&s.divergence)
        );
    }
    body.push_str("</dl></details></fieldset>");

    let (runs, seed) = filled.map_or((DEFAULT_RUNS.min(max_runs), DEFAULT_SEED), |p| {
        (p.runs, p.seed)
    });
    let _ = write!(
        body,
        "<fieldset><legend>The ensemble</legend><label for=\"runs\">Worlds</label> <input type=\"number\" name=\"runs\" id=\"runs\" value=\"{runs}\" min=\"1\" max=\"{max_runs}\" step=\"1\"> <label for=\"seed\">Seed</label> <input type=\"number\" name=\"seed\" id=\"seed\" value=\"{seed}\" min=\"0\" step=\"1\"><p class=\"note\">1 to {max_runs} worlds on this server; the same seed gives the same worlds.</p></fieldset>"
    );
    let _ = write!(
        body,
        "<p><label><input type=\"checkbox\" name=\"priors\" id=\"priors\" value=\"1\"{}> Include the uncertainty of the assumptions: each world draws them from their priors (wider answers)</label></p>",
        if filled.is_some_and(|p| p.sample_priors) { " checked" } else { "" }
    );
    body.push_str("<p><button type=\"submit\" id=\"run-button\">Run</button></p>");

    let ivs: &[crate::params::InterventionParams] = filled.map_or(&[], |p| &p.interventions);
    let _ = write!(
        body,
        "<details id=\"more-interventions\"{}><summary>More interventions (optional)</summary><p class=\"note\">An empty row is ignored. The date is a month (YYYY-MM) at or after the scenario's divergence. <i>Choice</i> is the kind's second field: the regime of <code>policy</code>, the office of <code>remove_office</code> and <code>appoint</code>, the month <code>until</code> of <code>survives_until</code>, the line of <code>comintern_line</code>, the side of <code>alignment</code>.</p><table class=\"interventions\"><tr><th>kind</th><th>date</th><th>person</th><th>choice</th></tr>",
        if ivs.is_empty() { "" } else { " open" }
    );
    for n in 1..=INTERVENTION_ROWS.max(ivs.len()) {
        let iv = ivs.get(n - 1);
        let value = |v: Option<&String>| {
            v.map(|v| format!(" value=\"{}\"", escape(v)))
                .unwrap_or_default()
        };
        let _ = write!(
            body,
            "<tr><td><label for=\"iv{n}-kind\" class=\"cell-label\">Intervention {n}: kind</label><select name=\"iv{n}.kind\" id=\"iv{n}-kind\"><option value=\"\">(none)</option>"
        );
        for kind in INTERVENTION_KINDS.split(", ") {
            let selected = if iv.is_some_and(|iv| iv.kind == kind) {
                " selected"
            } else {
                ""
            };
            let _ = write!(body, "<option value=\"{kind}\"{selected}>{kind}</option>");
        }
        let _ = write!(
            body,
            "</select></td><td><label for=\"iv{n}-date\" class=\"cell-label\">date</label><input type=\"text\" name=\"iv{n}.date\" id=\"iv{n}-date\" placeholder=\"1925-01\" size=\"8\"{}></td><td><label for=\"iv{n}-person\" class=\"cell-label\">person</label><input type=\"text\" name=\"iv{n}.person\" id=\"iv{n}-person\" list=\"people\" size=\"12\"{}></td><td><label for=\"iv{n}-choice\" class=\"cell-label\">choice</label><input type=\"text\" name=\"iv{n}.choice\" id=\"iv{n}-choice\" size=\"14\"{}></td></tr>",
            value(iv.map(|i| &i.date)),
            value(iv.and_then(|i| i.person.as_ref())),
            value(iv.and_then(|i| i.choice.as_ref())),
        );
    }
    body.push_str("</table><datalist id=\"people\">");
    for (_, p) in data.people.ids() {
        let _ = write!(
            body,
            "<option value=\"{}\">{}</option>",
            escape(&p.id),
            escape(&p.name)
        );
    }
    body.push_str("</datalist></details>");

    let overrides = filled.map(|p| &p.assumptions);
    body.push_str(&assumption_controls(&data.registry, overrides));
    body.push_str("<p><button type=\"submit\" id=\"run-button-bottom\">Run</button></p></form>");
    shell(
        "What if the Soviet leadership had gone another way?",
        "build",
        "Ask the simulator",
        &body,
    )
}

/// One number input per assumption with a prior, with its meaning, prior and basis beside it.
fn assumption_controls(
    registry: &Registry,
    overrides: Option<&std::collections::BTreeMap<String, f64>>,
) -> String {
    let open = overrides.is_some_and(|o| !o.is_empty());
    let mut out = format!("<details id=\"assumptions\"{}><summary>Assumptions (advanced): leave a field empty for its default</summary>", if open { " open" } else { "" });
    out.push_str("<table class=\"assumptions controls\"><thead><tr><th>assumption</th><th>value</th><th>meaning, prior and basis</th></tr></thead><tbody>");
    for a in registry.assumptions() {
        let Some((low, high)) = a.prior.bounds() else {
            continue;
        };
        let prior = match &a.prior {
            razvilka_kernel::Prior::Uniform { .. } => "uniform".to_string(),
            razvilka_kernel::Prior::Triangular { mode, .. } => format!("triangular, mode {mode}"),
            razvilka_kernel::Prior::Normal { mean, sd, .. } => {
                format!("normal {mean} ± {sd}, truncated")
            }
            razvilka_kernel::Prior::Fixed => "fixed".to_string(),
        };
        let _ = write!(
            out,
            "<tr><td><label for=\"a-{key}\"><code>{key}</code></label></td><td><input type=\"number\" name=\"a.{key}\" id=\"a-{key}\" step=\"any\" min=\"{low}\" max=\"{high}\" placeholder=\"{default}\"{value}></td><td>{meaning} <span class=\"note\">Default {default} {unit}; prior {prior} on {low} – {high}; {provenance}: {basis}</span></td></tr>",
            key = escape(&a.key),
            value = overrides
                .and_then(|o| o.get(&a.key))
                .map(|v| format!(" value=\"{v}\""))
                .unwrap_or_default(),
            default = a.default,
            meaning = escape(&a.meaning),
            unit = escape(&a.unit),
            provenance = format!("{:?}", a.provenance).to_lowercase(),
            basis = escape(&a.basis),
        );
    }
    out.push_str("</tbody></table></details>");
    out
}

/// The headline: each question's likeliest answer, with its 95% interval.
fn headline(data: &Data, summary: &Summary) -> String {
    let mut out = String::from("<div id=\"headline\"><h2>Headline</h2>");
    if summary.sample_priors {
        out.push_str("<p class=\"note\" id=\"priors-sampled\"><b>The assumptions' uncertainty is included:</b> each world drew every assumption from its prior, so these shares mix the model's chance with what is not known about its parameters.</p>");
    }
    out.push_str("<ul class=\"headline\">");
    for key in html::HEADLINE {
        let question = html::question(key);
        let Some(values) = summary.categorical.get(key) else {
            continue;
        };
        let Some((value, p)) = values
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
        else {
            continue;
        };
        let [lo, hi] = summary
            .intervals
            .get(key)
            .and_then(|m| m.get(value))
            .copied()
            .unwrap_or([*p, *p]);
        let _ = write!(
            out,
            "<li data-outcome=\"{key}\"><span class=\"q\">{}</span>: <b>{}</b> in <b>{}</b> of worlds <span class=\"note\">(95% interval {} – {})</span></li>",
            escape(question),
            escape(&catalogue::value_label(data, key, value)),
            percent(*p),
            percent(lo),
            percent(hi)
        );
    }
    let _ = write!(out, "</ul><p class=\"note\" id=\"reading-intervals\"><b>How to read the intervals.</b> The 95% interval beside a share says how far that share could move with other random draws and the same number of worlds: it narrows as the worlds grow. It is not the spread of the worlds themselves, which the fan charts below show as the band from the 5th to the 95th percentile of the worlds. {}</p></div>", if summary.sample_priors { "Here each world also drew its assumptions from their priors, so the spread includes their uncertainty." } else { "Neither includes the uncertainty of the assumptions, which stay at their defaults (the switch in the builder includes it; see also the sensitivity page)." });
    out
}

/// The twin comparison against actual history: how often each outcome changed, twin by twin.
fn twins(data: &Data, comparison: &Comparison) -> String {
    let mut out = format!(
        "<section id=\"twins\"><h2>Against actual history, twin by twin</h2><p>Each world was run twice with the same random draws: once as scenario <code>{}</code> and once as <code>otl</code>, actual history with the mechanisms free from {}. The share of twin pairs in which each outcome differs:</p><table><thead><tr><th>outcome</th><th class=\"num\">changed in</th><th class=\"num\">95% interval</th><th>commonest change</th></tr></thead><tbody>",
        escape(&comparison.b.scenario),
        escape(&comparison.twins_free_from)
    );
    for name in razvilka_world::catalogue::CATEGORICAL
        .iter()
        .map(|d| d.about.id)
    {
        let Some(p) = comparison.paired.get(name) else {
            continue;
        };
        let top = p
            .changes
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(change, share)| {
                // A change is "FROM → TO" in value ids.
                let words = match change.split_once(" → ") {
                    Some((from, to)) => format!(
                        "{} → {}",
                        catalogue::value_label(data, name, from),
                        catalogue::value_label(data, name, to)
                    ),
                    None => catalogue::value_label(data, name, change),
                };
                format!("{words} ({})", percent(*share))
            })
            .unwrap_or_else(|| "—".to_string());
        let _ = write!(
            out,
            "<tr><td data-outcome=\"{}\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} – {}</td><td>{}</td></tr>",
            escape(name),
            escape(&catalogue::outcome_label(name)),
            percent(p.value),
            percent(p.interval[0]),
            percent(p.interval[1]),
            escape(&top)
        );
    }
    out.push_str("</tbody></table></section>");
    out
}

/// The results page: the library's run report inside `<section id="results">`, with the headline,
/// the twins, the timeline link and the save form first.
pub fn results(
    data: &Data,
    report: &str,
    summary: &Summary,
    comparison: &Comparison,
    params: &Params,
    share: Option<(&str, &str)>,
    posterior: Option<&PosteriorSample>,
) -> String {
    let pairs = params.pairs();
    let mut first = String::new();
    if let Some(p) = posterior {
        let _ = write!(
            first,
            "<p id=\"posterior-note\" class=\"note\"><b>Under the calibrated uncertainty.</b> This server runs every world with its assumptions drawn from one of the {} assumption sets of the posterior sample <code>{}</code> ({} assumptions: {}), both twins of a pair alike; a scenario's own assumption values win over the sample (docs/calibration.md).</p>",
            p.rows.len(),
            // The file's name, not its path: the page may be seen on other machines.
            escape(&p.file.file_name().map_or_else(
                || p.file.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            )),
            p.keys.len(),
            escape(&p.keys.join(", "))
        );
    }
    if let Some((id, absolute)) = share {
        let _ = write!(
            first,
            "<p id=\"share\">Saved. This link reproduces these worlds exactly (scenario, seed and runs): <a id=\"share-link\" href=\"/s/{id}\">{}</a></p>",
            escape(absolute)
        );
    }
    first.push_str(&headline(data, summary));
    first.push_str(&twins(data, comparison));
    let mut timeline_pairs = pairs.clone();
    timeline_pairs.push(("run".into(), "0".into()));
    let saved_json = share
        .map(|(id, _)| {
            format!(" · <a id=\"saved-json\" href=\"/api/s/{id}\">the saved scenario as JSON</a>")
        })
        .unwrap_or_default();
    let _ = write!(
        first,
        "<p class=\"actions\"><a id=\"timeline-link\" href=\"/timeline?{}\">Read one of these worlds as a timeline</a> · <a id=\"edit-link\" href=\"/?{}\">Edit this scenario</a> · <a href=\"/api/run?{}\">this summary as JSON</a> · <a id=\"csv-link\" href=\"/runs.csv?{}\">every world as CSV</a>{saved_json}</p>",
        escape(&query(&timeline_pairs)),
        escape(&query(&pairs)),
        escape(&query(&pairs)),
        escape(&query(&pairs))
    );
    first.push_str("<form id=\"save-form\" method=\"post\" action=\"/save\">");
    for (k, v) in &pairs {
        let _ = write!(
            first,
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            escape(k),
            escape(v)
        );
    }
    first
        .push_str("<button type=\"submit\" id=\"save-button\">Save and get a link</button></form>");
    let title = format!(
        "{}: {} worlds, seed {}{}{} (razvilka)",
        comparison.b.title,
        params.runs,
        params.seed,
        if params.sample_priors {
            ", assumptions from their priors"
        } else {
            ""
        },
        if params.interventions.is_empty() && params.assumptions.is_empty() {
            String::new()
        } else {
            format!(
                ", {} changes",
                params.interventions.len() + params.assumptions.len()
            )
        }
    );
    let report = without_first_cards(report);
    wrap_main(&decorate(&retitle(&report, &title)), "results", &first)
}

/// The report without its first block of answer cards: the six headline answers, which the results
/// page shows once, in its headline, above.
fn without_first_cards(doc: &str) -> String {
    const OPEN: &str = "<div class=\"cards\">";
    let Some(start) = doc.find(OPEN) else {
        return doc.to_string();
    };
    let mut depth = 0usize;
    let mut at = start;
    while at < doc.len() {
        let rest = &doc[at..];
        if rest.starts_with("<div") {
            depth += 1;
            at += 4;
        } else if rest.starts_with("</div>") {
            depth -= 1;
            at += 6;
            if depth == 0 {
                return format!("{}{}", &doc[..start], &doc[at..]);
            }
        } else {
            at += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    doc.to_string()
}

/// A timeline mark as the page shows it: the library's symbols, but for two that fonts lack or
/// that read as nothing (the fork `⑂`, and a blank for the model's own events).
fn mark_symbol(mark: Mark) -> &'static str {
    match mark {
        Mark::Divergence => "◆",
        Mark::Model => "○",
        other => other.symbol(),
    }
}

/// The links between worlds (previous, next, any by number), to the ensemble, and to this world as
/// Markdown or BBCode for a forum post.
fn world_navigation(params: &Params, run: u64) -> String {
    let at = |k: u64, format: Option<&str>| {
        let mut q = params.pairs();
        q.push(("run".into(), k.to_string()));
        if let Some(f) = format {
            q.push(("format".into(), f.to_string()));
        }
        escape(&query(&q))
    };
    let mut out = String::from("<p class=\"actions worlds\">");
    if run > 0 {
        let _ = write!(
            out,
            "<a rel=\"prev\" href=\"/timeline?{}\">← World {}</a> · ",
            at(run - 1, None),
            run - 1
        );
    }
    if run + 1 < params.runs as u64 {
        let _ = write!(out, "<a id=\"another\" rel=\"next\" href=\"/timeline?{}\">Another world (world {}) →</a> · ", at(run + 1, None), run + 1);
    }
    let _ = write!(
        out,
        "<a href=\"/run?{}\">the whole ensemble</a> · for a forum: <a href=\"/timeline?{}\">Markdown</a>, <a href=\"/timeline?{}\">BBCode</a></p>",
        escape(&query(&params.pairs())),
        at(run, Some("markdown")),
        at(run, Some("bbcode"))
    );
    // Any world by number, without script: a form with the run's parameters hidden.
    out.push_str("<form class=\"jump\" method=\"get\" action=\"/timeline\">");
    for (k, v) in params.pairs() {
        let _ = write!(
            out,
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            escape(&k),
            escape(&v)
        );
    }
    let _ = write!(
        out,
        "<label>World (0 to {}) <input type=\"number\" name=\"run\" min=\"0\" max=\"{}\" value=\"{run}\"></label> <button type=\"submit\">Show</button></form>",
        params.runs - 1,
        params.runs - 1
    );
    out
}

/// One world as prose, with its divergences from recorded history marked.
pub fn timeline(t: &Timeline, params: &Params, run: u64) -> String {
    let mut body = format!(
        "<p class=\"note\">World {run} of seed {}, scenario <code>{}</code>. {}</p><p id=\"summary\">{}</p>",
        t.seed,
        escape(&t.scenario),
        escape(&t.description),
        escape(&t.summary)
    );
    let worlds = world_navigation(params, run);
    body.push_str(&worlds.replace("id=\"another\"", "id=\"another-top\""));
    body.push_str("<p class=\"note legend-marks\"><span><span class=\"mark\" style=\"color:#999\">·</span>recorded history (replayed)</span><span><span class=\"mark\" style=\"color:#8b1e1e\">◆</span>the divergence</span><span><span class=\"mark\" style=\"color:#1b7837\">=</span>as in our history</span><span><span class=\"mark\" style=\"color:#fff;background:#b2182b\">≠</span>parts from our history</span><span><span class=\"mark\">○</span>the model's own, with nothing in the record to compare</span></p>");
    body.push_str("<ol id=\"timeline\" class=\"timeline\">");
    for e in &t.entries {
        let (class, meaning) = match e.mark {
            Mark::Recorded => ("m-recorded", "recorded history, replayed"),
            Mark::Divergence => ("m-divergence", "the divergence"),
            Mark::AsInHistory => ("m-as", "as in our history"),
            Mark::PartsFromHistory => ("m-parts", "parts from our history"),
            Mark::Model => ("m-model", "the model's own"),
        };
        let _ = write!(
            body,
            "<li class=\"{class}\"><span class=\"date\">{}</span><span class=\"mark\" title=\"{meaning}\">{}</span><span class=\"text\">{}</span></li>",
            escape(&e.date),
            mark_symbol(e.mark),
            escape(&e.text)
        );
    }
    body.push_str("</ol>");
    body.push_str(&worlds);
    shell(
        &format!("World {run}: {}", t.title),
        "world",
        "One sampled world",
        &body,
    )
}

/// The claims page of the library inside `<section id="claims">`.
pub fn claims(report: &str, runs: u32, prior_runs: u32) -> String {
    let first = format!(
        "<p class=\"note\">Computed once with {runs} worlds per claim and {prior_runs} with the assumptions drawn from their priors; <code>razvilka claims</code> runs more.</p>"
    );
    wrap_main(&decorate(report), "claims", &first)
}

/// A tornado as bars: each assumption's swing from its prior's 5th to 95th percentile.
pub fn tornado_figure(t: &Tornado, top: usize) -> String {
    let rows: Vec<RangeRow> = t
        .bars
        .iter()
        .take(top)
        .map(|b| RangeRow {
            label: b.key.clone(),
            low: b.at_low,
            high: b.at_high,
            tick: t.at_defaults,
        })
        .collect();
    let (mut min, mut max) = (t.at_defaults, t.at_defaults);
    for r in &rows {
        min = min.min(r.low).min(r.high);
        max = max.max(r.low).max(r.high);
    }
    figure(
        &svg::range_bars(&format!("Tornado: {}", t.output), &rows, (min, max)),
        &format!(
            "The mean of {} over {} worlds at each end of each assumption's prior (5th and 95th percentiles), the others at their defaults; the tick is the mean at the defaults ({:.4}).",
            t.output, t.runs, t.at_defaults
        ),
    )
}

/// Sobol' total indices as bars with their intervals; the tick is the first-order index.
pub fn sobol_figure(r: &SobolReport, top: usize) -> String {
    let rows: Vec<RangeRow> = r
        .ranked
        .iter()
        .take(top)
        .map(|x| RangeRow {
            label: x.key.clone(),
            low: 0.0,
            high: x.index.total,
            tick: x.index.first.clamp(0.0, 1.0),
        })
        .collect();
    figure(
        &svg::range_bars(&format!("Sobol' total indices: {}", r.output), &rows, (0.0, 1.0)),
        &format!(
            "Bars: the total index (the share of the output's variance an input is involved in); ticks: the first-order index. {} worlds.",
            r.worlds
        ),
    )
}

/// The sensitivity page: the form and, when an output was given, its chart.
pub fn sensitivity(
    scenarios: &[ScenarioInfo],
    chosen: (&str, &str, &str),
    chart: Option<&str>,
) -> String {
    let (scenario, output, method) = chosen;
    let mut body = String::from("<p>Which assumptions move an outcome: a one-at-a-time tornado (each assumption moved across its prior) or Sobol' indices (every assumption varied at once, and the world's own luck).</p><form id=\"sensitivity-form\" method=\"get\" action=\"/sensitivity\"><label for=\"scenario\">Scenario</label> <select name=\"scenario\" id=\"scenario\">");
    for s in scenarios {
        let _ = write!(
            body,
            "<option value=\"{}\"{}>{}</option>",
            escape(&s.name),
            if s.name == scenario { " selected" } else { "" },
            escape(&s.name)
        );
    }
    let _ = write!(
        body,
        "</select> <label for=\"output\">Output</label> <input type=\"text\" name=\"output\" id=\"output\" value=\"{}\" placeholder=\"war_outcome=soviet_collapse\" size=\"30\"> <label for=\"method\">Method</label> <select name=\"method\" id=\"method\"><option value=\"tornado\"{}>tornado</option><option value=\"sobol\"{}>Sobol'</option></select> <button type=\"submit\" id=\"sensitivity-button\">Analyse</button></form><p class=\"note\">An output is a categorical outcome and a value (<code>war_outcome=soviet_collapse</code>, <code>leader_1930=bukharin</code>) or a numeric outcome (<code>industry_1940</code>).</p>",
        escape(output),
        if method == "sobol" { "" } else { " selected" },
        if method == "sobol" { " selected" } else { "" },
    );
    body.push_str("<section id=\"sensitivity\">");
    match chart {
        Some(c) => body.push_str(c),
        None if !output.is_empty() => body.push_str(&format!(
            "<p id=\"running\" role=\"status\">Running the analysis. This page reloads itself every {RELOAD_SECS} seconds and shows the chart as soon as it is ready.</p>"
        )),
        None => body.push_str("<p class=\"note\">Choose a scenario and an output above.</p>"),
    }
    body.push_str("</section>");
    shell("Sensitivity", "analysis", "Sensitivity", &body)
}

/// The API documentation page (docs/api.md as preformatted text).
pub fn api_docs() -> String {
    let body = format!(
        "<pre class=\"doc\">{}</pre>",
        escape(include_str!("../../../docs/api.md"))
    );
    shell("The JSON API", "api", "The JSON API", &body)
}
