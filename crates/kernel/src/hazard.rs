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
