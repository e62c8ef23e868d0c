//! The page of two scenarios side by side (`compare --report`).

use super::*;

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

    let mut body = String::from(
        "<p>Why the economy and the war moved: the twin pairs split by whether one of the model's turning points changed with the divergence, and each number's mean paired difference (B minus A, ± half its 95% interval) where it changed and where it held. A difference found only where a turning point changed points to that path; turning points may change together, so this is a split of the pairs, not a proof of cause.</p>",
    );
    for channel in &comparison.channels {
        let share = channel.changed_pairs as f64 / channel.pairs.max(1) as f64;
        let _ = write!(
            body,
            "<h3>{}: changed in {:.0}% of pairs</h3><table><thead><tr><th>quantity</th><th class=\"num\">where it changed</th><th class=\"num\">where it held</th></tr></thead><tbody>",
            escape(&catalogue::title(&channel.turning_point)),
            share * 100.0
        );
        for effect in razvilka_ensemble::EFFECTS {
            let Some(split) = channel.effects.get(effect) else {
                continue;
            };
            let _ = write!(
                body,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&titled_with_unit(effect)),
                escape(&crate::report::mean_with_margin(split.changed.as_ref())),
                escape(&crate::report::mean_with_margin(split.unchanged.as_ref()))
            );
        }
        body.push_str("</tbody></table>");
    }
    page.section("why", "Why the economy and the war moved", &body);

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
