//! The answers as an HTML page.

use super::*;

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
