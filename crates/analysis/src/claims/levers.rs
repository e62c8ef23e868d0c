//! The lever screen: which assumptions move a claim beyond chance, corrected for all those
//! screened and replicated in each half of the worlds.

use super::*;

/// For each assumption with a prior the scenario leaves free: its key, meaning and each world's draw.
pub(super) struct Draws {
    pub(super) keys: Vec<(String, String)>,
    /// `u[world][assumption]`, in the order of `keys`.
    pub(super) u: Vec<Vec<f64>>,
}

pub(super) fn prior_draws(data: &Data, scenario: &Scenario, seed: u64, runs: u32) -> Draws {
    let registry = data.registry_for(scenario);
    let free = crate::sensitivity::free_assumptions(&registry, scenario);
    let keys = free
        .iter()
        .map(|&i| {
            let a = &registry.assumptions()[i];
            (a.key.clone(), a.meaning.clone())
        })
        .collect();
    let u = (0..runs as u64)
        .map(|k| {
            let all = registry.prior_draws(&razvilka_kernel::Streams::new(seed, k));
            free.iter().map(|&i| all[i]).collect()
        })
        .collect();
    Draws { keys, u }
}

/// The lever screen of one claim.
pub(super) struct Screen {
    /// The assumptions whose effect passes the correction: the firm ones, then the tentative ones,
    /// each group largest |z| first.
    pub(super) named: Vec<Lever>,
    pub(super) screened: usize,
    pub(super) z_critical: f64,
}

impl Screen {
    pub(super) fn words(&self) -> String {
        let deciding = |firm: bool| -> Vec<String> {
            self.named
                .iter()
                .filter(|l| l.decides && l.firm == firm)
                .map(|l| format!("{} ({})", l.meaning, l.key))
                .collect()
        };
        let (firm, tentative) = (deciding(true), deciding(false));
        if !firm.is_empty() {
            format!("Decided by: {}.", firm.join("; "))
        } else if !tentative.is_empty() {
            format!(
                "Perhaps decided by: {} (tentative: it passes the correction, but not by the margin that makes it replicate with another seed).",
                tentative.join("; ")
            )
        } else if self.named.is_empty() {
            format!(
                "No single assumption decides it: none of the {} screened moves it beyond chance (|z| > {:.2}, Bonferroni over all of them, and again in each half of the worlds).",
                self.screened, self.z_critical
            )
        } else {
            "No single assumption decides it: the assumptions below move it, but not across a threshold.".into()
        }
    }
}

/// Screens every free assumption: the answer over the worlds whose draw of it lies in the lowest
/// fifth of its prior, against the highest fifth. With a couple of hundred assumptions screened, a
/// handful of swings beyond their own 95% intervals come by chance alone, so an assumption is named
/// only when its swing passes a Bonferroni correction over all of them, and is found again, with
/// the same sign, in each half of the worlds (even and odd worlds draw from independent streams, so
/// the halves are two independent ensembles). A lever is firm when both tests pass by a further
/// 1.96 (the whole interval of each swing beyond its bar): such a lever passes again with another
/// seed in most seeds, where one that passes narrowly may not, so the narrow ones are shown as
/// tentative and never as deciding the claim outright.
pub(super) fn levers(claim: &Claim, readings: &[Reading], draws: &Draws) -> Screen {
    let screened = draws.keys.len();
    let z_critical =
        razvilka_kernel::inverse_normal_cdf(1.0 - LEVER_ALPHA / (2.0 * screened.max(1) as f64));
    // The swing and its z over the worlds `part` keeps.
    let swing_of = |j: usize, part: &dyn Fn(usize) -> bool| {
        let pick = |inside: &dyn Fn(f64) -> bool| -> Vec<&Reading> {
            readings
                .iter()
                .zip(&draws.u)
                .enumerate()
                .filter(|(k, (_, u))| part(*k) && inside(u[j]))
                .map(|(_, (r, _))| r)
                .collect()
        };
        let low = answer(claim, &pick(&|u| u < 0.2));
        let high = answer(claim, &pick(&|u| u >= 0.8));
        let se = |a: &Answer| (a.interval[1] - a.interval[0]) / (2.0 * 1.959964);
        let swing = high.value - low.value;
        let swing_se = (se(&low).powi(2) + se(&high).powi(2)).sqrt();
        (low.value, high.value, swing, swing_se)
    };
    let mut named: Vec<Lever> = draws
        .keys
        .iter()
        .enumerate()
        .map(|(j, (key, meaning))| {
            let (low, high, swing, swing_se) = swing_of(j, &|_| true);
            let half_z = |parity: usize| {
                let (_, _, s, se) = swing_of(j, &|k| k % 2 == parity);
                s / se
            };
            Lever {
                key: key.clone(),
                meaning: meaning.clone(),
                low,
                high,
                swing,
                swing_se,
                z: swing / swing_se,
                z_halves: [half_z(0), half_z(1)],
                decides: Call::of_value(claim, low) != Call::of_value(claim, high),
                firm: false,
            }
        })
        .filter(|l| passes(l, z_critical, 1.959964))
        .map(|l| Lever {
            // Firm: each test passed with a further 1.96 to spare.
            firm: passes(&l, z_critical + 1.959964, 2.0 * 1.959964),
            ..l
        })
        .collect();
    // Firm first, then tentative, each largest |z| first. None is cut: a lever left off the list
    // for want of room at one seed would read as a lever not found.
    named.sort_by(|a, b| {
        b.firm
            .cmp(&a.firm)
            .then(b.z.abs().total_cmp(&a.z.abs()))
            .then(a.key.cmp(&b.key))
    });
    Screen {
        named,
        screened,
        z_critical,
    }
}

/// Whether a lever's swing clears `z_all` over all the worlds and `z_half` in each half, with one sign.
pub(super) fn passes(l: &Lever, z_all: f64, z_half: f64) -> bool {
    l.z.is_finite()
        && l.z.abs() > z_all
        && l.z_halves
            .iter()
            .all(|h| h.is_finite() && h.signum() == l.z.signum() && h.abs() > z_half)
}
