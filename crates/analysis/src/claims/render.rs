//! The answers for people: the text table, Markdown for a forum and the HTML page.

use super::*;

/// A probability as a percentage: one decimal under 10%, where a whole percent would hide a rare
/// event.
pub(super) fn pct(x: f64) -> String {
    if !x.is_finite() {
        "n/a".into()
    } else if x.abs() < 0.1 && (1000.0 * x).round() != 0.0 && (100.0 * x).round().abs() < 10.0 {
        format!("{:.1}%", 100.0 * x)
    } else {
        format!("{:.0}%", 100.0 * x)
    }
}

/// A difference of probabilities in percentage points, signed.
pub(super) fn points(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let tenths = (1000.0 * x).round();
    if tenths == 0.0 {
        // No "-0 pts": a value that rounds to nothing reads as 0.
        return "0 pts".into();
    }
    if tenths.abs() < 100.0 {
        format!("{:+.1} pts", tenths / 10.0)
    } else {
        format!("{:+.0} pts", 100.0 * x)
    }
}

/// A numeric outcome's value, to three significant figures or so.
pub(super) fn number(x: f64) -> String {
    if !x.is_finite() {
        "n/a".into()
    } else if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

pub(super) fn show(c: &Claim, x: f64) -> String {
    match c.test {
        Test::Level => pct(x),
        _ => points(x),
    }
}

pub(super) fn with_interval(c: &Claim, a: &Answer) -> String {
    format!(
        "{} [{}, {}]",
        show(c, a.value),
        show(c, a.interval[0]),
        show(c, a.interval[1])
    )
}

pub(super) fn share_words(s: &Share) -> String {
    format!(
        "{} [{}, {}]",
        pct(s.p),
        pct(s.interval[0]),
        pct(s.interval[1])
    )
}

pub(super) fn quantile_words(q: &Quantiles) -> String {
    if q.n == 0 {
        return format!("no value in any of {} worlds", q.of);
    }
    let of = if q.n < q.of {
        format!(" ({} of {} worlds have one)", q.n, q.of)
    } else {
        String::new()
    };
    format!(
        "median {}, middle half {} to {}, 90% between {} and {}{of}",
        number(q.p50),
        number(q.p25),
        number(q.p75),
        number(q.p05),
        number(q.p95)
    )
}

/// The rows of a categorical answer worth a line: those at 1% or more on either side; the rest are
/// named together.
pub(super) fn visible_rows(rows: &[CategoryRow]) -> (Vec<&CategoryRow>, Vec<&str>) {
    // A NaN share (no worlds) counts as small.
    let small = |s: &Share| s.p.is_nan() || s.p < 0.01;
    let (mut shown, mut rest) = (Vec::new(), Vec::new());
    for r in rows {
        if small(&r.world) && r.base.as_ref().is_none_or(small) {
            rest.push(r.value.as_str());
        } else {
            shown.push(r);
        }
    }
    (shown, rest)
}

pub(super) fn header(settings: Settings, answers: &Answers) -> String {
    format!(
        "The thread's claims, tested: {} claims and {} questions, {} worlds (or twin pairs) each, seed {};\n\
         the same claims again over {} worlds with every assumption drawn from its prior.\n\
         A verdict is supported or not supported only when the whole 95% interval clears the claim's\n\
         threshold; otherwise it is inconclusive. An assumption is named only if its effect (top fifth\n\
         of its prior against bottom fifth) passes a Bonferroni correction over all those screened;\n\
         one that passes narrowly is tentative (another seed may not find it).\n\n",
        answers.claims.len(),
        answers.questions.len(),
        settings.runs,
        settings.seed,
        settings.prior_runs
    )
}

/// The claims, then the questions, as readable text.
pub fn table(answers: &Answers, settings: Settings) -> String {
    let mut out = header(settings, answers);
    for v in &answers.claims {
        let c = &v.claim;
        out += &format!(
            "{:>2}. {} — \"{}\"\n",
            c.number,
            c.source.cite(),
            c.source.quote
        );
        out += &format!("    Claim: {}\n", c.claim);
        out += &format!("    Read as: {}\n", c.reading);
        let fmt_side = |s: &Side| {
            format!(
                "{} {} [{}, {}] of {} worlds",
                s.label,
                pct(s.p),
                pct(s.interval[0]),
                pct(s.interval[1]),
                s.n
            )
        };
        if let Some(b) = &v.answer.base {
            out += &format!("    {}\n", fmt_side(b));
        }
        out += &format!("    {}\n", fmt_side(&v.answer.world));
        out += &format!(
            "    Tested ({}): {}; supported if {}, not supported if {}.\n",
            match c.test {
                Test::Level => "level",
                Test::Difference => "difference",
                Test::Contrast => "contrast",
            },
            with_interval(c, &v.answer),
            c.supported.describe(|x| show(c, x)),
            c.refuted.describe(|x| show(c, x)),
        );
        out += &format!(
            "    With the priors sampled: {}.\n",
            with_interval(c, &v.under_priors)
        );
        out += &format!("    Verdict: {}.\n", v.words);
        for why in &v.inconclusive_because {
            out += &format!("      Inconclusive {why}.\n");
        }
        out += &format!("    {}\n", v.levers_words);
        for l in &v.levers {
            out += &format!(
                "      {} ({}): {} → {} from the lowest to the highest fifth of its prior (z = {:.1}{})\n",
                l.meaning,
                l.key,
                show(c, l.low),
                show(c, l.high),
                l.z,
                if l.firm { "" } else { ", tentative" }
            );
        }
        if let Some(b) = &c.built_in {
            out += &format!("    Built into the model: {b}\n");
        }
        if !v.unseen.is_empty() {
            out += &format!(
                "    Note: no world has {} (a typo in the claim, or a path the model never takes).\n",
                v.unseen.join(", ")
            );
        }
        out += "\n";
    }
    if !answers.questions.is_empty() {
        out += "The thread's questions, answered as distributions (no verdicts).\n\n";
    }
    for a in &answers.questions {
        let q = &a.question;
        out += &format!(
            "Q{}. {} — \"{}\"\n",
            q.number,
            q.source.cite(),
            q.source.quote
        );
        out += &format!("    Asks: {}\n", q.asks);
        out += &format!("    Shown: {}\n", q.reading);
        let sides = match (&q.baseline, a.n_base) {
            (Some(b), Some(nb)) => format!(
                "{} ({} worlds) against {} ({} worlds)",
                q.world, a.n_world, b, nb
            ),
            _ => format!("{} ({} worlds)", q.world, a.n_world),
        };
        out += &format!("    In {sides}:\n");
        for part in &a.parts {
            match part {
                Part::Categorical { outcome, rows } => {
                    out += &format!("      {outcome}:\n");
                    let (shown, rest) = visible_rows(rows);
                    for r in shown {
                        out += &format!("        {:<24} {}", r.value, share_words(&r.world));
                        if let Some(b) = &r.base {
                            out += &format!("   against {}", share_words(b));
                        }
                        out += "\n";
                    }
                    if !rest.is_empty() {
                        out += &format!("        under 1% each: {}\n", rest.join(", "));
                    }
                }
                Part::Numeric {
                    outcome,
                    world,
                    base,
                } => {
                    out += &format!("      {outcome}: {}", quantile_words(world));
                    if let Some(b) = base {
                        out += &format!("; against {}", quantile_words(b));
                    }
                    out += "\n";
                }
                Part::Event { label, world, base } => {
                    out += &format!("      {label}: {}", share_words(world));
                    if let Some(b) = base {
                        out += &format!("; against {}", share_words(b));
                    }
                    out += "\n";
                }
            }
        }
        if let Some(b) = &q.built_in {
            out += &format!("    Built into the model: {b}\n");
        }
        out += "\n";
    }
    out
}

/// The scenario's title, for readers who do not know the file names.
pub(super) fn title<'a>(answers: &'a Answers, name: &'a str) -> &'a str {
    answers.scenarios.get(name).map_or(name, String::as_str)
}

/// One plain sentence for a verdict, the difference between the two verdicts first.
pub(super) fn verdict_sentence(v: &Verdict) -> String {
    let c = &v.claim;
    let what = match c.test {
        Test::Level => "the model gives",
        Test::Difference => "the model gives a difference of",
        Test::Contrast => "the model gives a gap of",
    };
    let needed = format!(
        "The claim needed {} and fails at {}",
        c.supported.describe(|x| show(c, x)),
        c.refuted.describe(|x| show(c, x))
    );
    if v.call != v.call_under_priors {
        format!(
            "**The verdict changes with the assumptions: {} at their defaults ({}), {} with them drawn from their priors ({}).** {needed}.",
            v.call.words(),
            with_interval(c, &v.answer),
            v.call_under_priors.words(),
            with_interval(c, &v.under_priors),
        )
    } else {
        format!(
            "**{}.** At the defaults {what} {}; with every assumption drawn from its prior, {}. {needed}.",
            capitalise(v.call.words()),
            with_interval(c, &v.answer),
            with_interval(c, &v.under_priors),
        )
    }
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The answers as the generated part of `docs/claims.md`: each claim quoted, its verdict in one
/// sentence, the mechanism behind it, and each question's answer in small tables.
pub fn markdown(answers: &Answers, settings: Settings) -> String {
    let mut out = format!(
        "<!-- Generated by `razvilka claims --markdown --runs {} --prior-runs {} --seed {}`; do not edit by hand. -->\n\n",
        settings.runs, settings.prior_runs, settings.seed
    );
    out += "## The claims\n\n";
    for v in &answers.claims {
        let c = &v.claim;
        out += &format!(
            "### {}. {}\n\n> \"{}\" — {}\n\n",
            c.number,
            c.claim,
            c.source.quote,
            c.source.cite()
        );
        out += &format!("*Read as:* {}\n\n", c.reading);
        out += &verdict_sentence(v);
        for why in &v.inconclusive_because {
            out += &format!(" Inconclusive {why}.");
        }
        out += "\n\n";
        out += &format!("{}\n\n", c.mechanism);
        let sides: Vec<String> = v
            .answer
            .base
            .iter()
            .chain(std::iter::once(&v.answer.world))
            .map(|s| {
                let label = match c.test {
                    Test::Contrast => s.label.clone(),
                    _ => title(answers, &s.label).to_string(),
                };
                format!(
                    "{label}: {} [{}, {}] of {} worlds",
                    pct(s.p),
                    pct(s.interval[0]),
                    pct(s.interval[1]),
                    s.n
                )
            })
            .collect();
        out += &format!("The figures: {}.\n\n", sides.join("; "));
        if v.levers.is_empty() {
            out += &format!("*Which assumption decides it:* {}\n\n", v.levers_words);
        } else {
            out += &format!(
                "*Which assumption decides it:* {}\n\n",
                if v.levers.iter().any(|l| l.decides && l.firm) {
                    "the assumption marked below carries the answer across a bar as it moves through its range."
                } else if v.levers.iter().any(|l| l.decides) {
                    "perhaps the assumption marked below, which carries the answer across a bar; its effect is tentative (it may not pass with another seed)."
                } else {
                    "no single assumption; those below move the answer, but not across a bar."
                }
            );
            for l in &v.levers {
                out += &format!(
                    "- {} (`{}`): {} in the lowest fifth of its range, {} in the highest{}{}\n",
                    l.meaning.trim_end_matches('.'),
                    l.key,
                    show(c, l.low),
                    show(c, l.high),
                    if l.decides { " (**decides it**)" } else { "" },
                    if l.firm { "" } else { " (tentative)" }
                );
            }
            out += "\n";
        }
        if let Some(b) = &c.built_in {
            out += &format!("> **Built into the model, not found by it:** {b}\n\n");
        }
    }
    out += "## The questions\n\n";
    for a in &answers.questions {
        let q = &a.question;
        out += &format!(
            "### Q{}. {}\n\n> \"{}\" — {}\n\n",
            q.number,
            q.asks,
            q.source.quote,
            q.source.cite()
        );
        out += &format!("{}\n\n{}\n\n", q.reading, q.mechanism);
        let world = title(answers, &q.world);
        let base = q.baseline.as_deref().map(|b| title(answers, b));
        for part in &a.parts {
            match part {
                Part::Categorical { outcome, rows } => {
                    let (shown, rest) = visible_rows(rows);
                    out += &format!("| `{outcome}` | {world} |");
                    if let Some(b) = base {
                        out += &format!(" {b} |");
                    }
                    out += &format!("\n|---|---|{}\n", if base.is_some() { "---|" } else { "" });
                    for r in shown {
                        out += &format!("| {} | {} |", r.value, share_words(&r.world));
                        if let Some(b) = &r.base {
                            out += &format!(" {} |", share_words(b));
                        }
                        out += "\n";
                    }
                    if !rest.is_empty() {
                        out += &format!(
                            "| under 1% each: {} | |{}\n",
                            rest.join(", "),
                            if base.is_some() { " |" } else { "" }
                        );
                    }
                    out += "\n";
                }
                Part::Numeric {
                    outcome,
                    world: w,
                    base: b,
                } => {
                    out += &format!("- `{outcome}`, {world}: {}", quantile_words(w));
                    if let (Some(b), Some(name)) = (b, base) {
                        out += &format!("; {name}: {}", quantile_words(b));
                    }
                    out += ".\n\n";
                }
                Part::Event {
                    label,
                    world: w,
                    base: b,
                } => {
                    out += &format!("- {label}: {world} {}", share_words(w));
                    if let (Some(b), Some(name)) = (b, base) {
                        out += &format!("; {name} {}", share_words(b));
                    }
                    out += ".\n\n";
                }
            }
        }
        if let Some(b) = &q.built_in {
            out += &format!("> **Built into the model, not found by it:** {b}\n\n");
        }
    }
    out
}

/// The CSS class of a verdict.
pub(super) fn verdict_class(call: Call) -> &'static str {
    match call {
        Call::Supported => "v-supported",
        Call::NotSupported => "v-not",
        Call::Inconclusive => "v-inconclusive",
    }
}

/// The claims and questions as one self-contained HTML page (`claims --report`, and the web's
/// claims page): an overview table, then each claim with its quote, its two probabilities as bars
/// with their intervals, the tested value and its thresholds, both verdicts and the levers; then
/// each question's distributions.
pub fn page(answers: &Answers, settings: Settings) -> String {
    use crate::html::{figure, Page};
    use crate::svg::{escape, probability_bars, ProbabilityBar};
    let mut overview = String::from(
        "<table><tr><th class=\"num\">#</th><th>claim</th><th>world</th><th class=\"num\">at the defaults [95%]</th><th class=\"num\">priors sampled [95%]</th><th>verdict</th></tr>",
    );
    let mut body = String::new();
    for v in &answers.claims {
        let c = &v.claim;
        overview += &format!(
            "<tr><td class=\"num\"><a href=\"#claim-{n}\">{n}</a></td><td>{}<br><span class=\"note\">{}</span></td><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"verdict {}\">{}</td></tr>",
            escape(&c.claim),
            escape(&c.source.cite()),
            escape(&c.world),
            escape(&with_interval(c, &v.answer)),
            escape(&with_interval(c, &v.under_priors)),
            verdict_class(v.call),
            escape(&v.words),
            n = c.number,
        );
        let mut bars = Vec::new();
        let mut counts = Vec::new();
        let sides: Vec<&Side> = v
            .answer
            .base
            .iter()
            .chain(std::iter::once(&v.answer.world))
            .collect();
        for (k, s) in sides.iter().enumerate() {
            // Contrast labels carry the condition: the bars say which side, the caption the rest.
            let label = match (c.test, k) {
                (Test::Contrast, 0) => "elsewhere".to_string(),
                (Test::Contrast, _) => "where given".to_string(),
                _ => s.label.clone(),
            };
            counts.push(format!("{}: {} worlds", s.label, s.n));
            bars.push(ProbabilityBar {
                label,
                value: s.p,
                interval: s.interval,
            });
        }
        let chart = probability_bars("", &bars, "");
        body += &format!(
            "<h3 id=\"claim-{}\">{}. {}</h3><blockquote>“{}” <span class=\"note\">— {}</span></blockquote><p><b>Read as:</b> {}</p>",
            c.number,
            c.number,
            escape(&c.claim),
            escape(&c.source.quote),
            escape(&c.source.cite()),
            escape(&c.reading)
        );
        body += &format!(
            "<div class=\"solo\">{}</div>",
            figure(
                &chart,
                &format!(
                    "the probability of the claim's event at the defaults, with its 95% interval ({})",
                    counts.join("; ")
                )
            )
        );
        body += &format!(
            "<p>Tested ({}): <b>{}</b> at the defaults; <b>{}</b> with every assumption drawn from its prior. Supported if the whole interval is {}, not supported if it is {}.<br><span class=\"note\">Thresholds: {}</span></p>",
            match c.test {
                Test::Level => "the probability in the claim's world",
                Test::Difference => "the claim's world minus the baseline",
                Test::Contrast => "where the condition holds minus where it does not",
            },
            escape(&with_interval(c, &v.answer)),
            escape(&with_interval(c, &v.under_priors)),
            escape(&c.supported.describe(|x| show(c, x))),
            escape(&c.refuted.describe(|x| show(c, x))),
            escape(&c.thresholds)
        );
        body += &format!(
            "<p>Verdict: <span class=\"verdict {}\">{}</span>",
            verdict_class(v.call),
            escape(&v.words)
        );
        for why in &v.inconclusive_because {
            body += &format!(
                "<br><span class=\"note\">Inconclusive {}.</span>",
                escape(why)
            );
        }
        body += "</p>";
        body += &format!("<p>{}</p>", escape(&c.mechanism));
        body += &format!("<p>{}</p>", escape(&v.levers_words));
        if !v.levers.is_empty() {
            body += "<table><tr><th>assumption</th><th class=\"num\">lowest fifth of its prior</th><th class=\"num\">highest fifth</th><th class=\"num\">z</th></tr>";
            for l in &v.levers {
                body += &format!(
                    "<tr><td>{} <code>{}</code>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.1}</td></tr>",
                    escape(&l.meaning),
                    escape(&l.key),
                    if l.firm { "" } else { " <span class=\"note\">(tentative)</span>" },
                    show(c, l.low),
                    show(c, l.high),
                    l.z
                );
            }
            body += "</table>";
        }
        if let Some(b) = &c.built_in {
            body += &format!(
                "<p class=\"note\"><b>Built into the model, not found by it:</b> {}</p>",
                escape(b)
            );
        }
        if !v.unseen.is_empty() {
            body += &format!(
                "<p class=\"note\">No world has {} (a typo in the claim, or a path the model never takes).</p>",
                escape(&v.unseen.join(", "))
            );
        }
    }
    overview += "</table>";
    let mut questions = String::new();
    for a in &answers.questions {
        let q = &a.question;
        questions += &format!(
            "<h3 id=\"question-{}\">Q{}. {}</h3><blockquote>“{}” <span class=\"note\">— {}</span></blockquote><p>{}</p><p class=\"note\">{}</p>",
            q.number,
            q.number,
            escape(&q.asks),
            escape(&q.source.quote),
            escape(&q.source.cite()),
            escape(&q.reading),
            escape(&q.mechanism)
        );
        let base_head = q.baseline.as_ref().map_or(String::new(), |b| {
            format!(
                "<th class=\"num\"><code>{}</code> ({} worlds)</th>",
                escape(b),
                a.n_base.unwrap_or(0)
            )
        });
        let head = |first: &str| {
            format!(
                "<table><tr><th>{}</th><th class=\"num\"><code>{}</code> ({} worlds)</th>{base_head}</tr>",
                escape(first),
                escape(&q.world),
                a.n_world
            )
        };
        let cell = |s: &Option<Share>| {
            s.as_ref().map_or(String::new(), |s| {
                format!("<td class=\"num\">{}</td>", share_words(s))
            })
        };
        let mut events = String::new();
        for part in &a.parts {
            match part {
                Part::Categorical { outcome, rows } => {
                    questions += &head(outcome);
                    let (shown, rest) = visible_rows(rows);
                    for r in shown {
                        questions += &format!(
                            "<tr><td>{}</td><td class=\"num\">{}</td>{}</tr>",
                            escape(&r.value),
                            share_words(&r.world),
                            cell(&r.base)
                        );
                    }
                    if !rest.is_empty() {
                        questions += &format!(
                            "<tr><td colspan=\"3\" class=\"note\">under 1% each: {}</td></tr>",
                            escape(&rest.join(", "))
                        );
                    }
                    questions += "</table>";
                }
                Part::Numeric {
                    outcome,
                    world,
                    base,
                } => {
                    questions += &format!(
                        "<p><code>{}</code>: <code>{}</code> {}{}</p>",
                        escape(outcome),
                        escape(&q.world),
                        escape(&quantile_words(world)),
                        match (base, &q.baseline) {
                            (Some(b), Some(name)) => format!(
                                "; <code>{}</code> {}",
                                escape(name),
                                escape(&quantile_words(b))
                            ),
                            _ => String::new(),
                        }
                    );
                }
                Part::Event { label, world, base } => {
                    events += &format!(
                        "<tr><td>{}</td><td class=\"num\">{}</td>{}</tr>",
                        escape(label),
                        share_words(world),
                        cell(base)
                    );
                }
            }
        }
        if !events.is_empty() {
            questions += &head("event");
            questions += &events;
            questions += "</table>";
        }
        if let Some(b) = &q.built_in {
            questions += &format!(
                "<p class=\"note\"><b>Built into the model, not found by it:</b> {}</p>",
                escape(b)
            );
        }
    }
    let mut p = Page::new("The thread's claims, tested");
    p.kicker("razvilka · claims")
        .intro(&format!(
            "<p>{} claims from the forum thread, each quoted and read as a question over the model's outcomes, and {} questions the thread asks, answered as distributions (data/claims.toml). {} worlds (or twin pairs) per pair of scenarios, seed {}; the same claims again over {} worlds with every assumption drawn from its prior.</p>",
            answers.claims.len(),
            answers.questions.len(),
            settings.runs,
            settings.seed,
            settings.prior_runs
        ))
        .section("overview", "Overview", &overview)
        .section("claims", "The claims one by one", &body)
        .section("questions", "The thread's questions", &questions)
        .section(
            "method",
            "How to read this",
            "<p>A verdict is <b>supported</b> or <b>not supported</b> only when the whole 95% interval of the tested value meets the threshold written beside the claim in <code>data/claims.toml</code>; otherwise it is <b>inconclusive</b>. It is given twice: with the assumptions at their defaults, and with every assumption drawn from its prior; when the two differ, that is said first. An assumption is named only when its effect, the answer over the worlds in the top fifth of its prior minus the bottom fifth, passes a Bonferroni correction over all the assumptions screened; it <b>decides</b> the claim when the two fifths fall on different sides of a threshold. One that passes only narrowly is marked <i>tentative</i>: another seed may not find it. See <code>docs/claims.md</code>.</p>",
        )
        .footer("Made by razvilka claims. Same seed, same page.");
    p.render()
}
