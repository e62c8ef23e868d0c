//! The validation page (`validate --report`): each target against the model, and the series'
//! calibration (PIT and coverage).

use super::*;

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
