//! Economy: a two-sector (agriculture, industry) growth model with harvests, procurement and famine,
//! in the spirit of Cheremukhin, Golosov, Guriev and Tsyvinski (2013). See `docs/model/economy.md`.
//!
//! It runs once a year, in December, from the 1927 harvest year (the NEP recovery of 1922–26 is not
//! modelled: the economy starts from the 1926 census). The year's policy regime sets the investment
//! share, its split between industry and agriculture, the state's procurement share, the terms it pays
//! the peasants, and the pace of collectivisation. Then:
//!
//! 0. **The decision.** Each December, before the year's accounts, the leadership that politics has
//!    published (the leader's ideology, or, under collective leadership, the vote-weighted ideology of
//!    the faction heads: `View::leadership_ideology`) sets the policy: collectivisation if its
//!    coercion of the peasantry, raised by `crisis_coercion` per remembered procurement crisis, passes
//!    `policy_coercion` (less `policy_hysteresis` once begun) and its pace passes `policy_pace_plan`;
//!    otherwise super-industrialisation, a moderate plan, the NEP with investment or the NEP by pace
//!    thresholds ([`Decision`]). A scenario can force a policy instead. Politics decides who leads;
//!    the economy decides what they do with it. The year's own accounts (steps 1–5) stay under the
//!    policy in force through the year: the decision takes effect with the next harvest.
//! 1. **Output.** Industry `Y_m = A_m (K_m/K_m0)^α L_m^(1−α)`, agriculture
//!    `Y_a = A_a W (K_a/K_a0)^β H^η L_a^(1−β−η)`, labour indices relative to 1926, `H` the livestock
//!    (draft power) index, `W` the harvest weather, log-normal with sd `harvest_sd`. GDP (1926 prices)
//!    `= ω Y_a + (1 − ω) Y_m`. The grain harvest is `grain_base · Y_a` million tonnes. Farm output
//!    also loses the farms' disorder and the collective farmers' withdrawal from work after a year
//!    in which procurement took grain the villages needed ([`work_withdrawal`]), until a famine
//!    teaches the state.
//! 2. **Procurement.** Under collectivisation the state takes its quota — its share of the harvest
//!    the plan expects, normal weather and blind to `plan_blindness` of collectivisation's losses —
//!    cut within the campaign by `plan_revision` of the harvest's seen fall below the plan (never
//!    raised), up to the grain there is beyond seed; after a famine of `lesson_deaths`
//!    the quota moves `famine_lesson` of the way to the harvest the state sees. What it collects is
//!    limited: of the grain the quota takes out of the villages' need they keep back
//!    `collection_resistance` ([`collection`]). Otherwise peasants sell `market_share · G · terms^ε`; if that falls short of what the
//!    plan needs from a normal harvest by more than `crisis_tolerance`, there is a *procurement crisis*
//!    (the economy remembers it when the leadership next chooses policy, step 0).
//! 3. **Collectivisation** moves a share of the remaining households into collective farms each year;
//!    peasants slaughter livestock (`slaughter` per unit collectivised) and the farms fall into
//!    disorder (`disruption` of output per unit collectivised, fading at `disorder_recovery` a year);
//!    livestock recovers toward its 1926 level at `livestock_recovery` a year once fewer than
//!    `rebuilding_threshold` of households are moved in a year.
//! 4. **Famine.** Grain left to the villages after procurement and seed is set against rural need;
//!    the shortfall kills `lethality` of the rural population per unit of shortfall. The villages'
//!    stores are not refilled while the drive into the collective farms is on.
//! 5. **Capital, migration, population.** Investment `s · GDP` adds to capital (depreciation `δ`);
//!    peasants move to towns at Allen's rate `a · relsol + b` (relsol: urban over rural consumption per
//!    head), less the regime's `migration_barrier` (the wedge on moving to town), plus a push under
//!    collectivisation; population grows at `growth` less famine deaths.
//!
//! Draws: `economy.weather` in July of each year, index 0 (the same weather in twin worlds).

use crate::{EventKind, Policy};
use razvilka_kernel::{Month, Origin, Registry, Stream, Streams};

use crate::{param, Calendar, Log, MissingAssumption, View, World};

mod war_economy;
pub use war_economy::{war_year, WarShares, WarYear};

const WEATHER: Stream = Stream::named("economy.weather");

/// Excess deaths (millions) from which a year counts as a famine year (an event, the state's memory).
pub const FAMINE_MARK: f64 = 0.1;

/// The first harvest year the economy computes.
pub const FIRST_YEAR: u32 = 1927;

/// Parameters of one policy regime.
#[derive(Clone, Copy, Debug)]
pub struct Regime {
    pub investment: f64,
    pub industry_share: f64,
    pub procurement: f64,
    pub terms: f64,
    pub collectivization: f64,
    pub military: f64,
    /// Share of would-be migrants kept in the villages (passports, residence permits).
    pub migration_barrier: f64,
}

assumptions! {
    /// The leadership's policy thresholds (step 0). The keys keep their `politics.` names: they are
    /// the leadership's preferences, read against its ideology.
    pub struct Decision {
        pub policy_pace_investment: f64 = "politics.policy_pace_investment",
        pub policy_pace_plan: f64 = "politics.policy_pace_plan",
        pub policy_pace_super: f64 = "politics.policy_pace_super",
        pub policy_coercion: f64 = "politics.policy_coercion",
        pub crisis_coercion: f64 = "politics.crisis_coercion",
        pub policy_hysteresis: f64 = "politics.policy_hysteresis",
    }
}

assumptions! {
    /// The economy's own parameters from the registry (`Params` adds the leadership's decision, the
    /// regimes, the war economy's shares and the terms of trade).
    pub struct Accounts {
        pub alpha: f64 = "economy.alpha",
        pub beta: f64 = "economy.beta",
        pub eta: f64 = "economy.eta",
        pub omega: f64 = "economy.agriculture_weight",
        pub capital_output_industry: f64 = "economy.capital_output_industry",
        pub capital_output_agriculture: f64 = "economy.capital_output_agriculture",
        pub depreciation: f64 = "economy.depreciation",
        pub tfp_industry: f64 = "economy.tfp_growth_industry",
        pub tfp_agriculture: f64 = "economy.tfp_growth_agriculture",
        pub harvest_sd: f64 = "economy.harvest_sd",
        pub grain_base: f64 = "economy.grain_base",
        pub market_share: f64 = "economy.market_share",
        pub price_elasticity: f64 = "economy.price_elasticity",
        pub crisis_tolerance: f64 = "economy.crisis_tolerance",
        pub slaughter: f64 = "economy.slaughter",
        pub disruption: f64 = "economy.disruption",
        pub disorder_recovery: f64 = "economy.disorder_recovery",
        pub livestock_recovery: f64 = "economy.livestock_recovery",
        pub rebuilding_threshold: f64 = "economy.rebuilding_threshold",
        pub seed_share: f64 = "economy.seed_share",
        pub grain_need: f64 = "economy.grain_need",
        pub lethality: f64 = "economy.lethality",
        pub migration_slope: f64 = "economy.migration_slope",
        pub migration_intercept: f64 = "economy.migration_intercept",
        pub relsol_1926: f64 = "economy.relsol_1926",
        pub collectivization_push: f64 = "economy.collectivization_push",
        pub population_growth: f64 = "economy.population_growth",
        pub population_1926: f64 = "economy.population_1926",
        pub urban_1926: f64 = "economy.urban_1926",
        /// Elasticity of farm output to farm labour; land (fixed) takes `1 − β − η − this`.
        pub farm_labour_elasticity: f64 = "economy.farm_labour_elasticity",
        /// Share of the state's grain (at 1926 prices and 1926 industry) that paid for imported machinery.
        pub export_share: f64 = "economy.export_share",
        /// Elasticity of Soviet grain export prices to the world wheat-over-steel ratio.
        pub price_pass_through: f64 = "economy.price_pass_through",
        /// Share of the villages' grain need they can make up from livestock, potatoes and stocks, at
        /// the 1926 herds, before people die of hunger.
        pub famine_buffer: f64 = "economy.famine_buffer",
        /// Grain the villages hold in store, as a share of a year's rural need: in December 1926 and at
        /// most thereafter.
        pub village_stocks: f64 = "economy.village_stocks",
        /// Share of the next year's quota the state forgoes after a famine (seed loans, lower norms).
        pub famine_relief: f64 = "economy.famine_relief",
        /// Share of the draft animals lost per unit of the shortfall in a famine.
        pub famine_livestock: f64 = "economy.famine_livestock",
        /// Share of collectivisation's losses to the harvest (disorder, fewer draft animals) the
        /// procurement plan does not see: 0 plans on the real normal harvest, 1 on the harvest the
        /// farms would give without the losses.
        pub plan_blindness: f64 = "economy.plan_blindness",
        /// Weight the quota puts on the harvest the state sees in the autumn, against the plan's normal
        /// harvest, once the state has lived through a famine of `lesson_deaths`.
        pub famine_lesson: f64 = "economy.famine_lesson",
        /// Famine deaths (millions) after which the state has learnt the whole lesson; in proportion
        /// before.
        pub lesson_deaths: f64 = "economy.lesson_deaths",
        /// Military outlays as a share of GDP in a year of war.
        pub war_burden: f64 = "economy.war_burden",
        /// Excess deaths a year among the people under occupation (killing, siege, hunger, deportation).
        pub occupation_mortality: f64 = "economy.occupation_mortality",
        /// Share of the plan's blindness (`plan_blindness`) a famine of `lesson_deaths` removes: the
        /// state that has seen the famine sets the quota on the fields as they are.
        pub lesson_sight: f64 = "economy.lesson_sight",
        /// Share of the villages' grain gap beyond their buffer that a state taught by a famine of
        /// `lesson_deaths` hands back from its procurement as seed and food loans, in the same year.
        pub famine_loans: f64 = "economy.famine_loans",
        /// Share of the remaining gap in draft power (the herds below 1926) that machines close each
        /// year on the collective farms, in proportion to the share of households collectivised.
        pub mechanisation: f64 = "economy.mechanisation",
        /// Share of each tonne a forced quota presses beyond the villages' surplus (the year's grain
        /// beyond seed less their need) that the villages keep back from the collectors by
        /// concealment, early threshing, slaughter and flight: the collection limit.
        pub collection_resistance: f64 = "economy.collection_resistance",
        /// Share of the collective fields' output lost per unit of the villages' need the state's
        /// procurement took the year before (the collective farmers' withdrawal from work whose
        /// grain the state would take), until a famine teaches the state to fix its norms.
        pub work_withdrawal: f64 = "economy.work_withdrawal",
        /// Share of the harvest's fall below the plan's expectation, as the state sees it in the
        /// autumn, by which the quota is cut within the campaign year before any famine has taught
        /// the state (the plan revisions of 1931 and 1932). Only downward: a good harvest does not
        /// raise the quota until the lesson.
        pub plan_revision: f64 = "economy.plan_revision",
    }
}

/// The economy's parameters. A `Params` reads as its `Accounts` (`params.alpha`).
#[derive(Clone, Debug)]
pub struct Params {
    /// The leadership's decision each December (step 0).
    pub decision: Decision,
    pub regimes: [Regime; 5],
    /// What the war takes from the economy (read by the war too).
    pub war: WarShares,
    /// World wheat over steel by calendar year, 1928 = 1.
    pub wheat_over_steel: Vec<(u32, f64)>,
    pub accounts: Accounts,
}

reads_as!(Params => accounts: Accounts);

impl crate::Assumptions for Params {
    fn read(r: &Registry, calendar: &Calendar) -> Result<Params, MissingAssumption> {
        let regime = |name: &str| -> Result<Regime, MissingAssumption> {
            let q = |k: &str| param(r, &format!("economy.{name}.{k}"));
            Ok(Regime {
                investment: q("investment")?,
                industry_share: q("industry_share")?,
                procurement: q("procurement")?,
                terms: q("terms")?,
                collectivization: q("collectivization")?,
                military: q("military")?,
                migration_barrier: q("migration_barrier")?,
            })
        };
        Ok(Params {
            decision: Decision::from_registry(r)?,
            regimes: [
                regime("nep")?,
                regime("nep_investment")?,
                regime("moderate_plan")?,
                regime("super_industrialization")?,
                regime("collectivization")?,
            ],
            war: WarShares::from_registry(r)?,
            wheat_over_steel: calendar.wheat_over_steel.clone(),
            accounts: Accounts::from_registry(r)?,
        })
    }
}

impl Params {
    /// World wheat over steel in `year` (1928 = 1); before the first and after the last year of the
    /// series, its first or last value.
    pub fn wheat_over_steel(&self, year: u32) -> f64 {
        let series = &self.wheat_over_steel;
        series
            .iter()
            .rev()
            .find(|(y, _)| *y <= year)
            .or(series.first())
            .map_or(1.0, |(_, v)| *v)
    }
}

/// One year's accounts.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Year {
    pub year: u32,
    /// GDP, industry and agriculture, indices (1926 = 1).
    pub gdp: f64,
    pub industry: f64,
    pub agriculture: f64,
    /// Million tonnes.
    pub grain: f64,
    pub procurement: f64,
    /// Consumption per head, index (1926 = 1).
    pub consumption_per_head: f64,
    /// Share of the population in towns.
    pub urban: f64,
    /// Millions of excess deaths from hunger in this harvest year.
    pub famine_deaths: f64,
    /// Military-industrial capacity, index (industry × the regime's military share; 1926 NEP = 1).
    pub military: f64,
    pub livestock: f64,
    pub collectivized: f64,
    pub weather: f64,
    pub crisis: bool,
    /// Share of the population under occupation at the end of the year.
    pub occupied: f64,
    /// Civilian deaths from the war in the year (occupation, siege, hunger, deportation), millions.
    pub civilian_war_deaths: f64,
}

/// The economy's state.
#[derive(Clone, Debug)]
pub struct EconomyState {
    pub policy: Policy,
    /// A scenario's intervention holds policy fixed; the politics model does not change it.
    pub forced: bool,
    pub started: bool,
    pub capital_industry: f64,
    pub capital_agriculture: f64,
    pub tfp_industry: f64,
    pub tfp_agriculture: f64,
    pub livestock: f64,
    pub collectivized: f64,
    pub population: f64,
    pub urban_population: f64,
    /// Memory of procurement crises: +1 at a crisis, halved every year.
    pub crisis_memory: f64,
    /// Disorder on the farms from collectivisation: a share of farm output lost, fading each year.
    pub disorder: f64,
    /// Memory of famine: +1 after a famine year, halved every year; the state's quota relief.
    pub famine_memory: f64,
    /// Grain held in the villages from earlier harvests, million tonnes.
    pub village_stock: f64,
    /// Famine deaths so far, millions: the state learns from them to set quotas on the harvest it
    /// sees (`Params::famine_lesson`, `Params::lesson_deaths`).
    pub famine_dead: f64,
    /// Soviet military dead already taken from the population, millions.
    pub military_dead_booked: f64,
    /// Urban over rural consumption per head in the 1926 economy (Allen's relsol is scaled to it).
    pub ratio_1926: f64,
    pub years: Vec<Year>,
    /// Share of the draft power lost with the herds that the collective farms' machines (the
    /// machine-tractor stations) have replaced.
    pub mechanised: f64,
    /// Grain the state's procurement took out of the villages' need in the last harvest year (net of
    /// loans), as a share of that need: what the collective farmers expect the state to take of
    /// the next harvest.
    pub taken_from_need: f64,
}

impl Default for EconomyState {
    fn default() -> EconomyState {
        EconomyState {
            policy: Policy::Nep,
            forced: false,
            started: false,
            capital_industry: 0.0,
            capital_agriculture: 0.0,
            tfp_industry: 1.0,
            tfp_agriculture: 1.0,
            livestock: 1.0,
            collectivized: 0.0,
            population: 0.0,
            urban_population: 0.0,
            crisis_memory: 0.0,
            disorder: 0.0,
            famine_memory: 0.0,
            village_stock: 0.0,
            famine_dead: 0.0,
            military_dead_booked: 0.0,
            ratio_1926: 1.0,
            years: Vec::new(),
            mechanised: 0.0,
            taken_from_need: 0.0,
        }
    }
}

impl EconomyState {
    pub fn last(&self) -> Option<&Year> {
        self.years.last()
    }
    pub fn year(&self, year: u32) -> Option<&Year> {
        self.years.iter().find(|y| y.year == year)
    }
}

/// The economy: the sub-model. It carries out a scenario's fixed policy.
pub struct Economy;

impl crate::SubModel for Economy {
    const NAME: &'static str = "economy";
    type Params = Params;
    fn step(world: &mut World, params: &Params, streams: &Streams) {
        step(world, params, streams)
    }
    fn apply(world: &mut World, action: &crate::Action) -> crate::Applied {
        let crate::Action::Policy(to) = *action else {
            return crate::Applied::NotMine;
        };
        adopt_policy(world, to, Origin::Intervention);
        world.economy.forced = true;
        crate::Applied::Done
    }
}

/// The economy changes policy by the record or by a scenario (not by the leadership's choice).
pub fn adopt_policy(world: &mut World, to: Policy, origin: Origin) {
    let from = world.economy.policy;
    world.economy.policy = to;
    world.emit(
        origin,
        EventKind::PolicyChanged {
            from,
            to,
            crisis: false,
        },
    );
}

pub fn step(world: &mut World, params: &Params, streams: &Streams) {
    let (economy, view, mut log) = world.split_economy();
    month(economy, &view, &mut log, params, streams);
}

/// One month (the accounts are kept each December): the economy writes its own state and reads the
/// leadership and the war.
fn month(e: &mut EconomyState, view: &View, log: &mut Log, params: &Params, streams: &Streams) {
    // The harvest of the year was gathered and procured under the policy in force through the year;
    // the leadership's decision this December sets next year's (a Great Turn in November 1929 drives
    // the villages into the collective farms in 1930, it does not reach back to the 1929 harvest).
    let in_force = e.policy;
    // After the state's collapse there is no leadership to decide; before the divergence the
    // recorded policy is replayed.
    if view.free && view.month.month_of_year() == 12 && !view.state_collapsed() {
        decide(e, view, log, &params.decision);
    }
    if view.month.month_of_year() != 12 || view.month.year() + 1 < FIRST_YEAR {
        return;
    }
    let p = params;
    if !e.started {
        // December 1926: the census economy. Capital in units of 1926 output.
        e.started = true;
        e.population = p.population_1926;
        e.urban_population = p.population_1926 * p.urban_1926;
        e.capital_industry = p.capital_output_industry * (1.0 - p.omega);
        e.capital_agriculture = p.capital_output_agriculture * p.omega;
        e.village_stock = p.village_stocks * p.grain_need * (e.population - e.urban_population);
        let nep = p.regimes[Policy::Nep.index()];
        let urban_consumption = (1.0 - nep.investment) - nep.military * (1.0 - p.omega) - p.omega;
        e.ratio_1926 = (urban_consumption / e.urban_population)
            / (p.omega / (e.population - e.urban_population));
        return;
    }
    let year = view.month.year();
    let regime = p.regimes[in_force.index()];
    let k_m0 = p.capital_output_industry * (1.0 - p.omega);
    let k_a0 = p.capital_output_agriculture * p.omega;
    let urban0 = p.population_1926 * p.urban_1926;
    let rural0 = p.population_1926 - urban0;
    let rural = e.population - e.urban_population;

    // 1. Output.
    let z = streams.draws(WEATHER, Month::new(year, 7)).normal(0);
    let weather = (p.harvest_sd * z - p.harvest_sd * p.harvest_sd / 2.0).exp();
    let industry = e.tfp_industry
        * (e.capital_industry / k_m0).powf(p.alpha)
        * (e.urban_population / urban0).powf(1.0 - p.alpha);
    // The collective farmers work the common fields as hard as they expect to eat from them: after
    // a year in which the state's procurement took part of the grain they needed, they withdraw
    // from the work (`work_withdrawal`), on the collectivised share of the land. A state taught by
    // a famine (`learned`, step 2) fixes its delivery norms in advance (January 1933), and what is
    // grown beyond the norm is the farm's: the withdrawal ends with the lesson.
    let learned = (e.famine_dead / p.lesson_deaths.max(1e-9)).min(1.0);
    let withdrawal = work_withdrawal(
        p.work_withdrawal,
        e.collectivized,
        e.taken_from_need,
        learned,
    );
    let agriculture = e.tfp_agriculture
        * (1.0 - e.disorder)
        * (1.0 - withdrawal)
        * weather
        * (e.capital_agriculture / k_a0).powf(p.beta)
        * draft_power(e.livestock, e.mechanised).powf(p.eta)
        * (rural / rural0).powf(p.farm_labour_elasticity);
    // The war: the front decides the share under occupation; the army takes labour from the economy.
    let war = war_year(view.war(), year, p);
    let peace_industry = industry;
    let industry = industry * war.industry;
    let agriculture = agriculture * war.agriculture;
    let gdp = p.omega * agriculture + (1.0 - p.omega) * industry;
    let grain = p.grain_base * agriculture;

    // 2. Procurement: forced under collectivisation, sold otherwise. The plan's grain is partly for
    // export to pay for machinery: as world grain prices fall against steel, the same imports need
    // more grain; as domestic machine-building grows (the industrial index), fewer imports are needed.
    // After a famine the state eases the next quota.
    let forced = in_force == Policy::Collectivization;
    // The plan is set on the harvest the plan expects: the state counts on the collective farms
    // and does not see (`plan_blindness` of) what the disorder and the slaughter cost the fields,
    // so the quota takes more of the real harvest the worse collectivisation has gone.
    // A state that has lived through a famine of `lesson_deaths` (in proportion before) has
    // learnt what collectivisation cost the fields: `lesson_sight` of the plan's blindness is gone
    // (the quota set per hectare sown from 1933, not on the plan's promised yields).
    let blindness = p.plan_blindness * (1.0 - p.lesson_sight * learned);
    // The plan does not see the farmers' withdrawal from work either: it counts on their labour.
    let losses = (1.0 - e.disorder)
        * (1.0 - withdrawal)
        * draft_power(e.livestock.min(1.0), e.mechanised).powf(p.eta);
    let unseen = losses.max(1e-9).powf(blindness);
    let planned_harvest = grain / weather / unseen;
    // Once the state has lived through a famine it sets the quota partly on the harvest it sees in
    // the autumn rather than on the plan's normal one (`famine_lesson`): a bad year is then spared
    // in part, as a good one is taxed.
    let lesson = p.famine_lesson * learned;
    let seen = grain / unseen;
    // Before the lesson the quota is not set on the harvest the state sees, but it is cut within
    // the campaign when the harvest it sees falls short of the plan (the 1932 plan, cut in a
    // series of measures from 23.5 to 19.6 Mt as the harvest failed): `plan_revision` of the
    // shortfall, on the part of the quota the lesson does not already set on the seen harvest.
    // Never upward: a good harvest raises the quota only once the lesson is learnt. Only a
    // collection campaign is revised: under the market the state's need is what it buys, and a
    // short harvest that leaves it short is the procurement crisis itself (1927-28).
    let revision = if forced {
        p.plan_revision * (1.0 - lesson) * (seen - planned_harvest).min(0.0)
    } else {
        0.0
    };
    let normal_harvest = planned_harvest + lesson * (seen - planned_harvest) + revision;
    let export_price = p.wheat_over_steel(year).powf(p.price_pass_through);
    let export_need = p.export_share / (export_price * industry.max(1e-9));
    let needed = regime.procurement
        * normal_harvest
        * (1.0 - p.export_share + export_need)
        * (1.0 - p.famine_relief * e.famine_memory.min(1.0));
    // The villages' need: the harvest of the occupied land is lost (below), and so is the need of
    // its villages: those under occupation are counted among the war's civilian dead, not the
    // famine's.
    let need = rural * (1.0 - war.occupied) * p.grain_need;
    let (procurement, crisis) = if forced {
        // The plan is set on a normal harvest and held when the harvest fails (as in 1932), but
        // what the state collects is limited by the villages' resistance: the grain beyond their
        // need is collected in full, of the grain they need only what the collectors find.
        let beyond_seed = grain * (1.0 - p.seed_share);
        (
            collection(needed, beyond_seed, need, p.collection_resistance),
            false,
        )
    } else {
        let sold = p.market_share * grain * regime.terms.powf(p.price_elasticity);
        (sold.min(needed), sold < needed * (1.0 - p.crisis_tolerance))
    };
    e.crisis_memory *= 0.5;
    if crisis {
        e.crisis_memory += 1.0;
    }

    // 3. Collectivisation, livestock, farm productivity.
    let moved = regime.collectivization * (1.0 - e.collectivized);
    e.collectivized += moved;
    e.livestock *= (1.0 - p.slaughter * moved).max(0.0);
    e.disorder = (e.disorder + p.disruption * moved).min(0.9);
    // Herds are rebuilt once the drive into the collective farms has run its course.
    if moved < p.rebuilding_threshold {
        e.livestock += p.livestock_recovery * (1.0 - e.livestock).max(0.0);
    }
    // The collective farms get machines (tractors of the machine-tractor stations) that plough
    // where the lost horses did; individual farms get none. The machines come from the new
    // machine-building: the faster industry has grown beyond its 1926 level, the more of them.
    e.mechanised +=
        p.mechanisation * e.collectivized * (peace_industry - 1.0).max(0.0) * (1.0 - e.mechanised);

    // 4. Famine: what the villages keep against what they need. Part of the need can be met from
    // livestock, potatoes and stocks (the buffer, which shrinks with the herds); people die only of
    // the shortfall beyond it. A famine kills draft animals, so the next harvest is smaller, and the
    // state remembers it when it sets the next quota.
    // The villages first draw on what they stored from better years (the stores of the NEP are
    // what carried them through the first years of forced procurement); a surplus refills them.
    // The villages' need (step 2) leaves out the occupied land's villages.
    let buffer = p.famine_buffer * e.livestock.min(1.0);
    // A state that has learnt from a famine (`learned`, above) hands back, as seed and food loans
    // out of what it procured, `famine_loans` of the grain the villages lack beyond their buffer.
    let left = grain * (1.0 - p.seed_share) - procurement + e.village_stock;
    let gap = (need * (1.0 - buffer) - left).max(0.0);
    let loans = (p.famine_loans * learned * gap).min(procurement);
    let procurement = procurement - loans;
    let available = left + loans;
    // What the state took of the grain the villages needed (none where it bought at the market):
    // the procurement beyond the year's surplus over the need, as a share of the need.
    let surplus = (grain * (1.0 - p.seed_share) - need).max(0.0);
    e.taken_from_need = if forced && need > 0.0 {
        ((procurement - surplus) / need).clamp(0.0, 1.0)
    } else {
        0.0
    };
    // While the drive into the collective farms is on, what is left beyond the year's need is not
    // stored again (the brigades searched out hoards, and the farms' grain beyond the labour-day
    // issue went to the state): the villages live on what the NEP left them until it is gone.
    let drive_on = moved >= p.rebuilding_threshold;
    let ceiling = if drive_on {
        e.village_stock
    } else {
        p.village_stocks * need
    };
    e.village_stock = (available - need).clamp(0.0, ceiling.min(p.village_stocks * need));
    // With no one left in the villages there is no need, and no shortfall (not 0 / 0).
    let shortfall = if need > 0.0 {
        (1.0 - available / need).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let hunger = (shortfall - buffer).max(0.0);
    let famine_deaths = p.lethality * hunger * rural * (1.0 - war.occupied);
    e.livestock *= 1.0 - p.famine_livestock * hunger;
    e.famine_memory *= 0.5;
    e.famine_dead += famine_deaths;
    if famine_deaths >= FAMINE_MARK {
        e.famine_memory += 1.0;
    }

    // 5. Investment, consumption, migration, population.
    // In war the army's outlays take `war_burden` of output for the months at war; investment is
    // what the plan would invest out of the rest.
    let burden = p.war_burden * war.fraction;
    let investment = regime.investment * (1.0 - burden) * gdp;
    e.capital_industry =
        (1.0 - p.depreciation) * e.capital_industry + regime.industry_share * investment;
    e.capital_agriculture =
        (1.0 - p.depreciation) * e.capital_agriculture + (1.0 - regime.industry_share) * investment;
    e.disorder *= 1.0 - p.disorder_recovery;
    e.tfp_industry *= 1.0 + p.tfp_industry;
    e.tfp_agriculture *= 1.0 + p.tfp_agriculture;
    let military = (regime.military * (1.0 - p.omega) * industry).max(burden * gdp);
    let consumption = gdp - investment - military;
    let share_taken = (procurement / grain.max(1e-9)).min(1.0);
    let rural_consumption = p.omega * agriculture * (1.0 - share_taken)
        + regime.terms * p.omega * agriculture * share_taken;
    let urban_consumption = (consumption - rural_consumption).max(0.05 * consumption);
    // Allen's relsol, scaled so that the 1926 economy under the NEP has `relsol_1926`.
    let ratio = (urban_consumption / e.urban_population.max(1e-9))
        / (rural_consumption.max(1e-9) / rural.max(1e-9));
    let relsol = p.relsol_1926 * ratio / e.ratio_1926;
    let push = if forced { p.collectivization_push } else { 0.0 };
    let migrate = (p.migration_slope * relsol + p.migration_intercept).max(0.0)
        * (1.0 - regime.migration_barrier)
        + push;
    let migrants = migrate * rural;
    // War deaths: the civilians under occupation, and the soldiers the campaign has killed since
    // last December, leave town and village in proportion.
    let civilian_war_deaths = p.occupation_mortality * war.occupied * e.population * war.fraction;
    let military_dead = (war.military_dead - e.military_dead_booked).max(0.0);
    e.military_dead_booked = war.military_dead;
    let war_dead_share = ((civilian_war_deaths + military_dead) / e.population.max(1e-9)).min(1.0);
    let rural_after = (rural - migrants - famine_deaths).max(0.0) * (1.0 - war_dead_share);
    e.urban_population *= 1.0 - war_dead_share;
    e.urban_population += migrants;
    e.population = (e.urban_population + rural_after) * (1.0 + p.population_growth);
    e.urban_population *= 1.0 + p.population_growth;

    let record = Year {
        year,
        gdp,
        industry,
        agriculture,
        grain,
        procurement,
        // Consumption per head of the people the Soviet economy feeds (not those under occupation).
        consumption_per_head: consumption / (e.population * (1.0 - war.occupied)).max(1e-9)
            * p.population_1926,
        // With everyone dead or occupied there is no share to speak of: 0, not 0 / 0.
        urban: e.urban_population / e.population.max(1e-9),
        famine_deaths,
        // The war model takes the occupied share off munitions month by month itself
        // (`war.occupied_loss`), so the capacity it reads is the unoccupied economy's.
        military: regime.military * peace_industry / p.regimes[Policy::Nep.index()].military,
        livestock: e.livestock,
        collectivized: e.collectivized,
        weather,
        crisis,
        occupied: war.occupied,
        civilian_war_deaths,
    };
    e.years.push(record);
    if view.free {
        if crisis {
            log.emit(
                Origin::Mechanism,
                EventKind::ProcurementCrisis {
                    shortfall: 1.0 - procurement / needed.max(1e-9),
                },
            );
        }
        if famine_deaths >= FAMINE_MARK {
            log.emit(
                Origin::Mechanism,
                EventKind::Famine {
                    deaths_millions: famine_deaths,
                },
            );
        }
    }
}

/// What a forced quota actually collects (step 2): the collection limit. Of `harvest` (the year's
/// grain beyond seed, million tonnes) the villages need `need` to live on; the surplus beyond it is
/// in the open and the collectors take what the quota asks of it. Each tonne the quota presses
/// beyond the surplus comes out of what the villages need, and of it they keep back `resistance`
/// (hidden, threshed and eaten early, fed to the animals before they were slaughtered, carried off
/// by those who fled):
///
/// ```text
/// collected = min(quota, S) + (1 − ρ) · max(quota − S, 0),   S = max(harvest − need, 0)
/// ```
///
/// never more than the harvest beyond seed. With `resistance` 0 the quota is collected whole.
pub fn collection(quota: f64, harvest: f64, need: f64, resistance: f64) -> f64 {
    let surplus = (harvest - need).max(0.0);
    let pressed = (quota - surplus).max(0.0);
    (quota.min(surplus) + (1.0 - resistance.clamp(0.0, 1.0)) * pressed).min(harvest.max(0.0))
}

/// The share of the collective fields' output lost to the farmers' withdrawal from work (step 1):
/// `rate` per unit of the villages' need the state took the year before (`taken_from_need`), on the
/// `collectivized` share of the land, ended in proportion to what a famine has taught the state
/// (`learned`, 0 to 1: its delivery norms are fixed in advance):
///
/// ```text
/// w = clamp(rate · c · x · (1 − L), 0, 1)
/// ```
pub fn work_withdrawal(rate: f64, collectivized: f64, taken_from_need: f64, learned: f64) -> f64 {
    (rate
        * collectivized.clamp(0.0, 1.0)
        * taken_from_need.max(0.0)
        * (1.0 - learned.clamp(0.0, 1.0)))
    .clamp(0.0, 1.0)
}

/// Draft power, index (1926 = 1): the herds, with `mechanised` of the gap below 1926 closed by
/// machines. Herds above their 1926 level need no machines.
pub fn draft_power(livestock: f64, mechanised: f64) -> f64 {
    livestock + (1.0 - livestock).max(0.0) * mechanised.clamp(0.0, 1.0)
}

/// The policy the leadership will pursue next year (step 0): the leadership's ideology as politics
/// publishes it, pushed toward coercing the peasants by remembered procurement crises, read against
/// the thresholds.
pub fn decide(e: &mut EconomyState, view: &View, log: &mut Log, decision: &Decision) {
    if e.forced || view.month.year() + 1 < FIRST_YEAR {
        return;
    }
    let Some([mut pace, mut agrarian, _]) = view.leadership_ideology() else {
        return;
    };
    let crisis = e.crisis_memory > 0.25;
    agrarian += decision.crisis_coercion * e.crisis_memory;
    pace = pace.clamp(0.0, 1.0);
    let current = e.policy;
    // Collectivisation, once begun, is left only if the leadership turns well away from coercion.
    let coercion = if current == Policy::Collectivization {
        decision.policy_coercion - decision.policy_hysteresis
    } else {
        decision.policy_coercion
    };
    let next = if agrarian >= coercion && pace >= decision.policy_pace_plan {
        Policy::Collectivization
    } else if pace >= decision.policy_pace_super {
        Policy::SuperIndustrialization
    } else if pace >= decision.policy_pace_plan {
        Policy::ModeratePlan
    } else if pace >= decision.policy_pace_investment {
        Policy::NepInvestment
    } else {
        Policy::Nep
    };
    if next != current {
        e.policy = next;
        log.emit(
            Origin::Mechanism,
            EventKind::PolicyChanged {
                from: current,
                to: next,
                crisis,
            },
        );
    }
}
