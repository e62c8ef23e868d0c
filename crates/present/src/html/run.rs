//! The page of one ensemble (`run --report`, the web's results).

use super::*;

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
