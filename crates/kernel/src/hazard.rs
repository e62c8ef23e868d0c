//! The time to a hazard's event by inverse transform: one uniform number (the threshold) is drawn
//! when the clock is armed, and the event comes in the first month the survival `Π(1 − h)` since then
//! falls below it. That is the same law as a coin each month with chance `h`, at one draw per event
//! instead of one per month, and it keeps twin worlds' events aligned when only the hazard differs
//! (the same threshold meets a slightly different survival curve). The model's natural deaths, the
//! outcasts' moves and the purges' arrests run on it; its other monthly hazards (a coup, a cabinet's
//! fall, a collapse) still draw a coin each month.

/// One person's clock for one kind of event.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HazardClock {
    survival: f64,
    threshold: f64,
}

impl Default for HazardClock {
    fn default() -> Self {
        Self::SPENT
    }
}

impl HazardClock {
    /// A clock with no threshold: it must be armed before it can fire.
    pub const SPENT: Self = Self {
        survival: 1.0,
        threshold: f64::NAN,
    };

    /// A clock started now, with threshold `u` (a uniform number in [0, 1)).
    pub fn armed(u: f64) -> Self {
        Self {
            survival: 1.0,
            threshold: u,
        }
    }

    /// Whether the clock has a threshold (it has been armed and has not fired since).
    pub fn is_armed(&self) -> bool {
        !self.threshold.is_nan()
    }

    /// The survival since the clock was armed.
    pub fn survival(&self) -> f64 {
        self.survival
    }

    /// Whether the clock surely does not fire in the next `months` ticks if no month's hazard exceeds
    /// `h_max` (in [0, 1]; anything else, or a spent clock, gives false): its survival then stays at
    /// least `survival · (1 − h_max)^months ≥ survival · (1 − months · h_max)`, and while that bound,
    /// less a margin for the product's rounding (each tick within half a unit in the last place,
    /// far below the margin), stays at or above the threshold, the clock cannot fire. A caller may
    /// then leave the clock unticked for those months: nothing else it shows changes but its
    /// survival.
    pub fn cannot_fire_within(&self, months: u32, h_max: f64) -> bool {
        const ROUNDING: f64 = 1e-12;
        (0.0..=1.0).contains(&h_max)
            && self.survival * (1.0 - f64::from(months) * h_max) - ROUNDING >= self.threshold
    }

    /// One month at hazard `h` (a probability in [0, 1]): whether the event comes this month. A clock
    /// that fires is spent until armed again.
    pub fn tick(&mut self, h: f64) -> bool {
        self.survival *= 1.0 - h;
        if self.survival < self.threshold {
            self.threshold = f64::NAN;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_in_the_first_month_survival_falls_below_the_threshold() {
        // Survival after k months at h = 0.1 is 0.9^k: 0.9, 0.81, 0.729; a threshold of 0.75 is
        // crossed in the third month.
        let mut clock = HazardClock::armed(0.75);
        assert!(!clock.tick(0.1));
        assert!(!clock.tick(0.1));
        assert!(clock.tick(0.1));
        assert!(!clock.is_armed());
        // Spent, it does not fire again however high the hazard.
        assert!(!clock.tick(1.0));
    }

    #[test]
    fn a_spent_clock_never_fires_and_a_zero_hazard_never_moves_it() {
        let mut spent = HazardClock::SPENT;
        assert!(!spent.tick(1.0));
        let mut clock = HazardClock::armed(0.999);
        for _ in 0..1000 {
            assert!(!clock.tick(0.0));
        }
        assert_eq!(clock.survival(), 1.0);
        assert!(clock.tick(1.0));
    }

    #[test]
    fn a_clock_said_not_to_fire_does_not_fire_at_any_hazard_up_to_the_bound() {
        // Over thresholds and bounds, a clock said not to fire within k months does not fire in k
        // ticks at the bound itself (the worst case); and some of those said to fire do fire, so
        // the bound is not vacuous.
        let mut fired_when_allowed = 0;
        for i in 0..2000 {
            let u = (i as f64 + 0.5) / 2000.0;
            for (k, h_max) in [(12, 0.001), (12, 0.01), (7, 0.05), (1, 0.3), (30, 0.002)] {
                let clock = HazardClock::armed(u);
                let mut ticking = clock;
                let fires = (0..k).any(|_| ticking.tick(h_max));
                if clock.cannot_fire_within(k, h_max) {
                    assert!(!fires, "u {u}, {k} months at {h_max}");
                    // Nor at any smaller hazard, month by month.
                    let mut lower = clock;
                    assert!((0..k).all(|m| !lower.tick(h_max * (m as f64 / k as f64))));
                } else {
                    fired_when_allowed += fires as u32;
                }
            }
        }
        assert!(fired_when_allowed > 0);
        // A spent clock, or a hazard outside [0, 1] or not a number, is never vouched for.
        assert!(!HazardClock::SPENT.cannot_fire_within(1, 0.0));
        let clock = HazardClock::armed(0.5);
        assert!(clock.cannot_fire_within(1, 0.1));
        assert!(!clock.cannot_fire_within(1, f64::NAN));
        assert!(!clock.cannot_fire_within(1, -0.1));
        assert!(!clock.cannot_fire_within(1, 1.5));
    }

    #[test]
    fn the_month_of_the_event_has_the_geometric_law_of_a_monthly_coin() {
        // Over evenly spaced thresholds, the share firing by month k is 1 − (1 − h)^k.
        let h = 0.05;
        let n = 100_000;
        let mut by_month = [0usize; 24];
        for i in 0..n {
            let mut clock = HazardClock::armed((i as f64 + 0.5) / n as f64);
            if let Some(k) = (0..24).find(|_| clock.tick(h)) {
                by_month[k] += 1;
            }
        }
        let mut fired = 0;
        for (k, count) in by_month.iter().enumerate() {
            fired += count;
            let expected = 1.0 - (1.0 - h).powi(k as i32 + 1);
            assert!(
                (fired as f64 / n as f64 - expected).abs() < 1e-3,
                "month {k}"
            );
        }
    }
}
