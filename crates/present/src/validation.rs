//! The validation table as text (the scores are computed in `razvilka_analysis::validate`).

use razvilka_analysis::validate::{Role, Row, RunKind, Verdict};

/// The validation table as text: validation targets first (the verdict), then calibrated ones.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    for (role, heading) in [
        (
            Role::Validation,
            "VALIDATION TARGETS (no parameter was set from these: the verdict)",
        ),
        (
            Role::Calibrated,
            "CALIBRATED TARGETS (a parameter was fitted to these: reported, not part of the verdict)",
        ),
    ] {
        out.push_str(&format!("\n{heading}\n"));
        for (kind, run_heading) in [
            (
                RunKind::Baseline,
                "Actual-history baseline (history replayed to May 1924, then free)",
            ),
            (
                RunKind::Free,
                "Free run from April 1922 (nothing replayed, assumptions drawn from their priors)",
            ),
        ] {
            let these: Vec<&Row> = rows.iter().filter(|r| r.role == role && r.run == kind).collect();
            if these.is_empty() {
                continue;
            }
            out.push_str(&format!("  {run_heading}\n"));
            for r in these {
                let skill = match r.score.metric {
                    "log" => format!("{:+.2} bits", r.skill),
                    _ => format!("{:+.2}", r.skill),
                };
                out.push_str(&format!(
                    "  [{}] {}  (skill {skill}{}{})\n        observed: {}\n        model:    {}\n        null:     {}\n",
                    if r.pass { "pass" } else { "FAIL" },
                    r.text,
                    if r.beats_null { "" } else { "; does not beat the null" },
                    if r.rule_holds { "" } else { "; rule fails" },
                    r.observed,
                    r.model,
                    r.null,
                ));
                if role == Role::Calibrated {
                    if let Some(f) = &r.fitted {
                        out.push_str(&format!("        fitted:   {f}\n"));
                    }
                }
            }
        }
    }
    let v = Verdict::of(rows);
    out.push_str(&format!(
        "\n{} of {} validation targets pass (mean skill {:+.2} bits over the null for events and categories, {:+.2} CRPS skill for numbers); {} of {} calibrated targets pass\n",
        v.validation_passed,
        v.validation_targets,
        v.mean_log_skill,
        v.mean_crps_skill,
        v.calibrated_passed,
        v.calibrated_targets
    ));
    out
}
