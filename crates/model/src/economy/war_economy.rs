//! What the war takes from the economy: the shares of population, farmland and industry under
//! occupation, labour mobilised, and the year's multipliers on output, read by the economy each
//! December and by the war each month (one account, not two).

use super::*;

/// What the war does to one year's economy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WarYear {
    /// Share of the year at war with Germany (months at war / 12).
    pub fraction: f64,
    /// Share of the population, farmland and industry under occupation at the end of the year.
    pub occupied: f64,
    /// Multipliers on industrial and farm output.
    pub industry: f64,
    pub agriculture: f64,
    /// Soviet military dead so far, millions.
    pub military_dead: f64,
}

assumptions! {
    /// The shares that decide what the war takes from the economy, read by the economy each December
    /// and by the war each month (one account, not two).
    #[derive(Copy, PartialEq)]
    pub struct WarShares {
        /// Share of the population, farmland and industry under occupation at Moscow's depth.
        pub occupied_at_moscow: f64 = "economy.occupied_at_moscow",
        /// The depth that counts as Moscow's, km.
        pub moscow_km: f64 = "war.moscow_km",
        /// Share of the occupied zone's industry evacuated east, and the share of it lost on the way.
        pub evacuation: f64 = "economy.evacuation",
        pub evacuation_loss: f64 = "economy.evacuation_loss",
        /// Share of the labour force under arms in a year of war.
        pub mobilisation: f64 = "economy.war_mobilisation",
    }
}

impl WarShares {
    /// The share under occupation with the front `depth` km east of the June 1941 border: in
    /// proportion to the depth, up to Moscow's.
    pub fn occupied(&self, depth: f64) -> f64 {
        self.occupied_at_moscow * (depth / self.moscow_km).clamp(0.0, 1.0)
    }

    /// The share of industry at work with `occupied` of the country under occupation and the
    /// evacuated plant at work again or not.
    pub fn working(&self, occupied: f64, evacuated_back: bool) -> f64 {
        let evacuated = if evacuated_back {
            self.evacuation * (1.0 - self.evacuation_loss)
        } else {
            0.0
        };
        1.0 - occupied * (1.0 - evacuated)
    }

    /// The multiplier on industrial output: the plant at work (`working`), and the labour left
    /// when `at_war` of the year's labour years are under arms' call, at industry's capital
    /// elasticity `alpha` (labour takes `1 − alpha`).
    pub fn industry(&self, occupied: f64, evacuated_back: bool, at_war: f64, alpha: f64) -> f64 {
        self.working(occupied, evacuated_back) * self.labour(at_war).powf(1.0 - alpha)
    }

    /// The labour index left to the economy when the army has been mobilised for `at_war` of a year.
    pub fn labour(&self, at_war: f64) -> f64 {
        1.0 - self.mobilisation * at_war
    }
}

/// The war's effect on the economy of `year`, read from the war's state at its December.
pub fn war_year(w: &crate::war::WarState, year: u32, p: &Params) -> WarYear {
    let Some(start) = w.start.filter(|s| s.year() <= year) else {
        return WarYear {
            fraction: 0.0,
            occupied: 0.0,
            industry: 1.0,
            agriculture: 1.0,
            military_dead: w.soviet_dead,
        };
    };
    let first = start.max(Month::new(year, 1));
    let last = w.outcome.map_or(Month::new(year, 12), |(_, end)| {
        end.min(Month::new(year, 12))
    });
    let fraction = ((last.since(first) + 1).max(0) as f64 / 12.0).clamp(0.0, 1.0);
    // The front at the end of the year (or where the war left it) holds the land east of the border
    // in proportion to its depth, up to Moscow's. Evacuated plant works again from the war's second
    // year, less what was lost on the way.
    let shares = &p.war;
    let occupied = shares.occupied(w.depth);
    WarYear {
        fraction,
        occupied,
        industry: shares.industry(occupied, year > start.year(), fraction, p.alpha),
        agriculture: (1.0 - occupied) * shares.labour(fraction).powf(p.farm_labour_elasticity),
        military_dead: w.soviet_dead,
    }
}
