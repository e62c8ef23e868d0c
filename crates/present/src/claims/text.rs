//! The answers as text tables: at the defaults, and under a posterior sample.

use std::fmt::Write;

use super::*;

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

/// The answers under the sample as a text table, after the table at the defaults.
pub fn posterior_table(under: &UnderPosterior) -> String {
    let mut out = format!(
        "\nUnder the posterior sample {} ({} assumption sets over {} assumptions; each world takes one, \
         {} worlds or twin pairs per claim, seed {}):\n\n",
        under.file,
        under.rows,
        under.assumptions.len(),
        under.runs,
        under.seed
    );
    let _ = writeln!(
        out,
        "{:>4}  {:>24}  {:<14}  under posterior",
        "#", "value [95% interval]", "at defaults"
    );
    for v in &under.claims {
        let [lo, hi] = v.answer.interval;
        let value = format!("{:+.3} [{:+.3}, {:+.3}]", v.answer.value, lo, hi);
        let mark = if v.call == v.call_at_defaults {
            ""
        } else {
            "  changed"
        };
        let line = format!(
            "{:>4}  {:>24}  {:<14}  {:<15}{mark}",
            v.number,
            value,
            v.call_at_defaults.words(),
            v.call.words()
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let changed = under
        .claims
        .iter()
        .filter(|v| v.call != v.call_at_defaults)
        .count();
    let _ = writeln!(
        out,
        "\n{changed} of {} verdicts change under the posterior.",
        under.claims.len()
    );
    out
}
