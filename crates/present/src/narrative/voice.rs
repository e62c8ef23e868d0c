//! The narrative's voice: phrasing varied by key, people introduced once, lists, numbers and time
//! phrases.

use super::*;

/// Chooses among phrasings deterministically: by a key taken from the event, and never the phrasing
/// the same slot used last, so that two entries of a kind in a row never share a sentence frame.
#[derive(Default)]
pub(super) struct Voice {
    pub(super) last: HashMap<&'static str, usize>,
}

impl Voice {
    pub(super) fn pick<T: AsRef<str>>(
        &mut self,
        slot: &'static str,
        key: u64,
        options: &[T],
    ) -> String {
        let n = options.len();
        if n == 0 {
            return String::new();
        }
        let mut i = (mix(key) % n as u64) as usize;
        if n > 1 && self.last.get(slot) == Some(&i) {
            i = (i + 1) % n;
        }
        self.last.insert(slot, i);
        options[i].as_ref().to_string()
    }

    /// A phrasing with its `{name}` holes filled.
    pub(super) fn say(
        &mut self,
        slot: &'static str,
        key: u64,
        options: &[&str],
        holes: &[(&str, &str)],
    ) -> String {
        let mut text = self.pick(slot, key, options);
        for (name, value) in holes {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}

/// SplitMix64's finaliser: spreads neighbouring keys over the whole range.
pub(super) fn mix(key: u64) -> u64 {
    let mut z = key.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// "A", "A and B", "A, B and C".
pub(super) fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Introduces people at first mention: "Joseph Stalin, the General Secretary," then "Stalin".
pub(super) struct Namer<'a> {
    pub(super) data: &'a Data,
    pub(super) seen: Vec<bool>,
}

impl Namer<'_> {
    /// `text` with everyone not yet met introduced at his first plain mention (not a possessive).
    /// The role is the one held in 1922, said as such after 1925. Where the text already names the
    /// role ("elects Stalin General Secretary"), the full name is enough.
    pub(super) fn introduce(&mut self, text: &str, month: Month) -> String {
        let people = &self.data.people;
        let mut text = text.to_string();
        let mut from = 0;
        loop {
            let next = people
                .ids()
                .filter(|(id, _)| !self.seen[id.index()])
                .filter_map(|(id, p)| mention(&text[from..], &p.short).map(|at| (from + at, id)))
                .min_by_key(|(at, _)| *at);
            let Some((at, id)) = next else {
                return text;
            };
            self.seen[id.index()] = true;
            let p = people.get(id);
            let end = at + p.short.len();
            // "Joseph Stalin" already in full: start from the first name.
            let first_names = p.name.strip_suffix(p.short.as_str()).unwrap_or("");
            let start = if !first_names.is_empty() && text[..at].ends_with(first_names) {
                at - first_names.len()
            } else {
                at
            };
            let (before, after) = (&text[..start], &text[end..]);
            let core = ["the ", "a ", "an "]
                .iter()
                .find_map(|article| p.role.strip_prefix(article))
                .unwrap_or(&p.role);
            let role = if month.year() <= 1925 {
                p.role.clone()
            } else {
                format!("in 1922 {}", p.role)
            };
            let in_list = after.starts_with(',')
                || after.starts_with(" and ")
                || after.starts_with(" or ")
                || after.starts_with(" (")
                || before.ends_with(" and ");
            let intro = if text.to_lowercase().contains(&core.to_lowercase()) {
                p.name.clone()
            } else if in_list {
                format!("{} ({role})", p.name)
            } else if after.is_empty() || after.starts_with(['.', ';', ':']) {
                format!("{}, {role}", p.name)
            } else {
                format!("{}, {role},", p.name)
            };
            text = format!("{before}{intro}{after}");
            from = start + intro.len();
        }
    }
}

/// Byte offset of the first mention of `short` as a whole word and not in the possessive.
pub(super) fn mention(text: &str, short: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(short) {
        let at = from + i;
        let end = at + short.len();
        let rest = &text[end..];
        let starts_word = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let ends_word = rest.chars().next().is_none_or(|c| !c.is_alphanumeric());
        let possessive = rest.starts_with("'s") || rest.starts_with("’s");
        if starts_word && ends_word && !possessive {
            return Some(at);
        }
        from = end;
    }
    None
}

pub(super) fn seat_phrase(office: Office) -> Option<&'static str> {
    Some(match office {
        Office::Politburo => "his seat in the Politburo",
        Office::PolitburoCandidate => "his candidate seat in the Politburo",
        Office::CentralCommittee => "his seat on the Central Committee",
        Office::Orgburo => "his seat in the Orgburo",
        Office::GeneralSecretary => "the post of General Secretary",
        _ => return None,
    })
}

/// Offices the party's own bodies fill by election.
pub(super) fn elected(office: Office) -> bool {
    matches!(
        office,
        Office::Politburo
            | Office::PolitburoCandidate
            | Office::Orgburo
            | Office::Secretariat
            | Office::CentralCommittee
            | Office::GeneralSecretary
    )
}

pub(super) fn policy_name(policy: Policy) -> &'static str {
    match policy {
        Policy::Nep => "the New Economic Policy",
        other => other.describe(),
    }
}

/// A count as a reader would write it in prose: words up to ten, digits beyond.
pub(super) fn count_words(n: usize) -> String {
    match NUMBERS.get(n) {
        Some(word) if n > 0 && n <= 10 => word.to_lowercase(),
        _ => n.to_string(),
    }
}

pub(super) const NUMBERS: [&str; 12] = [
    "", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven",
];

pub(super) fn month_name(month: Month) -> String {
    month
        .in_words()
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_string()
}

pub(super) fn season(month: Month) -> &'static str {
    match month.month_of_year() {
        3..=5 => "spring",
        6..=8 => "summer",
        9..=11 => "autumn",
        _ => "winter",
    }
}

/// The ways to say when `month` comes after `previous` ("Three months later,", "That autumn,").
pub(super) fn time_phrases(previous: Month, month: Month) -> Vec<String> {
    let gap = month.since(previous);
    let year = month.year();
    let mut options = Vec::new();
    if gap == 1 {
        options.push("The next month,".to_string());
        options.push("A month later,".to_string());
    }
    if year == previous.year() {
        if (2..12).contains(&gap) {
            options.push(format!("{} months later,", NUMBERS[gap as usize]));
        }
        if gap > 1 && season(month) != season(previous) && month.month_of_year() != 12 {
            options.push(format!("That {},", season(month)));
        }
        options.push(format!("In {},", month_name(month)));
    } else {
        options.push(format!("In {},", month.in_words()));
        options.push(match month.month_of_year() {
            1 | 2 => format!("Early in {year},"),
            11 | 12 => format!("Late in {year},"),
            _ => format!("In the {} of {year},", season(month)),
        });
        match gap {
            12 => options.push("A year later,".to_string()),
            24 => options.push("Two years later,".to_string()),
            _ => {}
        }
    }
    options
}

/// Words that open a sentence and may follow a time phrase in lower case.
pub(super) const COMMON_OPENINGS: [&str; 17] = [
    "A",
    "An",
    "The",
    "Having",
    "Beaten,",
    "Famine",
    "Grain",
    "War",
    "No",
    "Power",
    "Economic",
    "Short",
    "Delegates",
    "With",
    "Alarmed",
    "Faced",
    "After",
];

/// Proper nouns that open sentences here and keep their capital after a time phrase.
pub(super) const PROPER_OPENINGS: [&str; 9] = [
    "Germany",
    "German",
    "Germany's",
    "Europe",
    "Moscow",
    "Red",
    "France",
    "Hitler",
    "Parliament",
];

/// `text` opened by the time phrase `when`, if its first word allows (names and common words do;
/// a sentence that opens with its own time or place does not).
pub(super) fn opened(data: &Data, when: &str, text: &str) -> Option<String> {
    let first = text.split(' ').next()?;
    let name = first.trim_end_matches("'s").trim_end_matches(',');
    if COMMON_OPENINGS.contains(&first) && first != "Parliament" {
        let mut chars = text.chars();
        let head = chars.next()?.to_lowercase().to_string();
        return Some(format!("{when} {head}{}", chars.as_str()));
    }
    let is_name = data.people.ids().any(|(_, p)| p.short == name);
    (is_name || PROPER_OPENINGS.contains(&first)).then(|| format!("{when} {text}"))
}

// ---------------------------------------------------------------------------------------------
// The timeline
// ---------------------------------------------------------------------------------------------
