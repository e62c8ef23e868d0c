//! Reading `data/claims.toml`: the raw file, its checks (each refusal located by line and column)
//! and the claims and questions it yields.

use super::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    #[serde(default)]
    claim: Vec<Spanned<RawClaim>>,
    #[serde(default)]
    question: Vec<Spanned<RawQuestion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClaim {
    number: u32,
    authors: Vec<String>,
    posts: Spanned<Vec<u32>>,
    quote: Spanned<String>,
    claim: String,
    reading: String,
    mechanism: String,
    #[serde(default)]
    built_in: Option<String>,
    world: Spanned<String>,
    #[serde(default)]
    baseline: Option<Spanned<String>>,
    test: Test,
    event: Vec<Spanned<RawCondition>>,
    #[serde(default)]
    given: Vec<Spanned<RawCondition>>,
    #[serde(default)]
    baseline_given: Option<Vec<Spanned<RawCondition>>>,
    supported: Spanned<Threshold>,
    refuted: Spanned<Threshold>,
    thresholds: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
    number: u32,
    authors: Vec<String>,
    posts: Spanned<Vec<u32>>,
    quote: Spanned<String>,
    asks: String,
    reading: String,
    mechanism: String,
    #[serde(default)]
    built_in: Option<String>,
    world: Spanned<String>,
    #[serde(default)]
    baseline: Option<Spanned<String>>,
    #[serde(default)]
    given: Vec<Spanned<RawCondition>>,
    #[serde(default)]
    outcomes: Vec<Spanned<String>>,
    #[serde(default)]
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEvent {
    label: String,
    event: Vec<Spanned<RawCondition>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCondition {
    outcome: Spanned<String>,
    #[serde(default, rename = "in")]
    is_in: Option<Vec<String>>,
    #[serde(default)]
    not_in: Option<Vec<String>>,
    #[serde(default)]
    at_least: Option<f64>,
    #[serde(default)]
    at_most: Option<f64>,
    #[serde(default)]
    missing: Option<bool>,
}

/// Checks names against what exists and turns raw entries into claims and questions.
pub(super) struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    categorical: BTreeSet<&'static str>,
    numeric: BTreeSet<&'static str>,
}

impl Checker<'_> {
    fn at(&self, span: Range<usize>, msg: String, help: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.file, self.text, span, msg).with_help(help)
    }

    fn outcome_names(&self) -> String {
        format!(
            "categorical: {}; numeric: {}",
            self.categorical
                .iter()
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            self.numeric.iter().copied().collect::<Vec<_>>().join(", ")
        )
    }

    fn scenario(&self, name: &Spanned<String>) -> Result<String, Diagnostic> {
        if builtin_scenario(name.get_ref()).is_none() {
            let names: Vec<&str> = razvilka_world::BUILTIN_SCENARIOS
                .iter()
                .map(|(n, _)| *n)
                .collect();
            return Err(self.at(
                name.span(),
                format!("no shipped scenario `{}`", name.get_ref()),
                format!("one of: {}", names.join(", ")),
            ));
        }
        Ok(name.get_ref().clone())
    }

    /// Post numbers and a quote: every claim and question must say where it comes from.
    fn source(
        &self,
        authors: Vec<String>,
        posts: Spanned<Vec<u32>>,
        quote: Spanned<String>,
        span: Range<usize>,
        what: &str,
    ) -> Result<Source, Diagnostic> {
        if authors.is_empty() {
            return Err(self.at(
                span,
                format!("{what}: `authors` is empty"),
                "name the poster(s), the one quoted first",
            ));
        }
        if posts.get_ref().is_empty() || posts.get_ref().contains(&0) {
            return Err(self.at(
                posts.span(),
                format!("{what}: `posts` must list the post numbers, counting from 1"),
                "e.g. posts = [2, 7]: post N is the N-th `## ` heading of the thread",
            ));
        }
        if quote.get_ref().trim().is_empty() {
            return Err(self.at(
                quote.span(),
                format!("{what}: `quote` is empty"),
                "quote the poster's own words, briefly",
            ));
        }
        Ok(Source {
            authors,
            posts: posts.into_inner(),
            quote: quote.into_inner(),
        })
    }

    fn condition(&self, raw: Spanned<RawCondition>) -> Result<Condition, Diagnostic> {
        let span = raw.span();
        let r = raw.into_inner();
        let name = r.outcome.get_ref().as_str();
        let is_cat = self.categorical.contains(name);
        let is_num = self.numeric.contains(name);
        if !is_cat && !is_num {
            return Err(self.at(
                r.outcome.span(),
                format!("unknown outcome `{name}`"),
                self.outcome_names(),
            ));
        }
        let tests_set = r.is_in.is_some() || r.not_in.is_some();
        let tests_number = r.at_least.is_some() || r.at_most.is_some() || r.missing.is_some();
        if is_cat && (!tests_set || tests_number) {
            return Err(self.at(
                span,
                format!("`{name}` is categorical: test it with `in = [...]` or `not_in = [...]`"),
                "e.g. { outcome = \"war_outcome\", in = [\"soviet_victory\"] }",
            ));
        }
        if is_num && (tests_set || !tests_number) {
            return Err(self.at(
                span,
                format!(
                    "`{name}` is numeric: test it with `at_least`, `at_most` or `missing = true`"
                ),
                "e.g. { outcome = \"industry_1940\", at_least = 200.0 }",
            ));
        }
        Ok(Condition {
            outcome: name.to_string(),
            r#in: r.is_in,
            not_in: r.not_in,
            at_least: r.at_least,
            at_most: r.at_most,
            missing: r.missing,
        })
    }

    fn conditions(&self, raw: Vec<Spanned<RawCondition>>) -> Result<Vec<Condition>, Diagnostic> {
        raw.into_iter().map(|c| self.condition(c)).collect()
    }

    fn claim(&self, spanned: Spanned<RawClaim>) -> Result<Claim, Diagnostic> {
        let span = spanned.span();
        let c = spanned.into_inner();
        let what = format!("claim {}", c.number);
        let world = self.scenario(&c.world)?;
        let baseline = c.baseline.as_ref().map(|b| self.scenario(b)).transpose()?;
        if c.test == Test::Difference && baseline.is_none() {
            return Err(self.at(
                span,
                format!("{what}: a `difference` test needs a `baseline`"),
                "add baseline = \"otl\" (or another scenario), or use test = \"level\"",
            ));
        }
        if c.test == Test::Contrast && c.given.is_empty() {
            return Err(self.at(
                span,
                format!("{what}: a `contrast` test needs `given` conditions"),
                "add given = [...]: the worlds compared are those where it holds and those where it does not",
            ));
        }
        if c.baseline_given.is_some() && baseline.is_none() {
            return Err(self.at(
                span,
                format!("{what}: `baseline_given` needs a `baseline`"),
                "add baseline = \"otl\" (or another scenario), or remove baseline_given",
            ));
        }
        if c.event.is_empty() {
            return Err(self.at(
                span,
                format!("{what}: `event` is empty"),
                "give at least one condition",
            ));
        }
        for t in [&c.supported, &c.refuted] {
            let v = t.get_ref();
            if v.at_least.is_none() && v.at_most.is_none() {
                return Err(self.at(
                    t.span(),
                    "a threshold needs `at_least` or `at_most`".into(),
                    "e.g. supported = { at_least = 0.5 }",
                ));
            }
        }
        let source = self.source(c.authors, c.posts, c.quote, span, &what)?;
        Ok(Claim {
            number: c.number,
            source,
            claim: c.claim,
            reading: c.reading,
            mechanism: c.mechanism,
            built_in: c.built_in,
            world,
            baseline,
            test: c.test,
            event: self.conditions(c.event)?,
            given: self.conditions(c.given)?,
            baseline_given: c.baseline_given.map(|g| self.conditions(g)).transpose()?,
            supported: c.supported.into_inner(),
            refuted: c.refuted.into_inner(),
            thresholds: c.thresholds,
        })
    }

    fn question(&self, spanned: Spanned<RawQuestion>) -> Result<Question, Diagnostic> {
        let span = spanned.span();
        let q = spanned.into_inner();
        let what = format!("question {}", q.number);
        let world = self.scenario(&q.world)?;
        let baseline = q.baseline.as_ref().map(|b| self.scenario(b)).transpose()?;
        if q.outcomes.is_empty() && q.events.is_empty() {
            return Err(self.at(
                span,
                format!("{what}: nothing to show"),
                "give outcomes = [\"...\"] (distributions) or events = [{ label = \"...\", event = [...] }]",
            ));
        }
        let mut outcomes = Vec::new();
        for o in q.outcomes {
            let name = o.get_ref().as_str();
            if !self.categorical.contains(name) && !self.numeric.contains(name) {
                return Err(self.at(
                    o.span(),
                    format!("unknown outcome `{name}`"),
                    self.outcome_names(),
                ));
            }
            outcomes.push(name.to_string());
        }
        let events = q
            .events
            .into_iter()
            .map(|e| {
                Ok(NamedEvent {
                    label: e.label,
                    event: self.conditions(e.event)?,
                })
            })
            .collect::<Result<_, Diagnostic>>()?;
        let source = self.source(q.authors, q.posts, q.quote, span, &what)?;
        Ok(Question {
            number: q.number,
            source,
            asks: q.asks,
            reading: q.reading,
            mechanism: q.mechanism,
            built_in: q.built_in,
            world,
            baseline,
            given: self.conditions(q.given)?,
            outcomes,
            events,
        })
    }
}

/// The claims of the data's `claims.toml`: the built-in copy, or the one in the `--data` directory
/// the data was read from.
pub fn load(data: &Data) -> Result<ClaimsFile, Diagnostic> {
    let (file, text) = data.companion("claims.toml", CLAIMS)?;
    parse(&text, &file)
}

/// Reads a claims file, checking every outcome, scenario, source and threshold against what exists.
pub fn parse(text: &str, file: &str) -> Result<ClaimsFile, Diagnostic> {
    let raw: RawFile = toml::from_str(text).map_err(|e| Diagnostic::from_toml(file, text, &e))?;
    let checker = Checker {
        file,
        text,
        categorical: CATEGORICAL.iter().map(|d| d.about.id).collect(),
        numeric: NUMERIC.iter().map(|d| d.about.id).collect(),
    };
    let mut claims = Vec::new();
    let mut numbers = BTreeSet::new();
    for spanned in raw.claim {
        if !numbers.insert(spanned.get_ref().number) {
            return Err(checker.at(
                spanned.span(),
                format!("claim number {} appears twice", spanned.get_ref().number),
                "give each claim its own number",
            ));
        }
        claims.push(checker.claim(spanned)?);
    }
    let mut questions = Vec::new();
    let mut numbers = BTreeSet::new();
    for spanned in raw.question {
        if !numbers.insert(spanned.get_ref().number) {
            return Err(checker.at(
                spanned.span(),
                format!("question number {} appears twice", spanned.get_ref().number),
                "give each question its own number",
            ));
        }
        questions.push(checker.question(spanned)?);
    }
    if claims.is_empty() && questions.is_empty() {
        return Err(Diagnostic::whole_file(
            file,
            "no [[claim]] or [[question]] in the file".to_string(),
        )
        .with_help("see docs/claims.md for the format"));
    }
    claims.sort_by_key(|c| c.number);
    questions.sort_by_key(|q| q.number);
    Ok(ClaimsFile { claims, questions })
}
