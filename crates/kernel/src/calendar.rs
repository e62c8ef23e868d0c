//! Months: the model's unit of time.

use std::fmt;
use std::str::FromStr;

/// A calendar month, stored as `year * 12 + (month - 1)` so that months subtract and compare as numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(u32);

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Month {
    /// The month `month` (1–12) of `year`.
    pub const fn new(year: u32, month: u32) -> Month {
        Month(year * 12 + (month - 1))
    }
    pub const fn year(self) -> u32 {
        self.0 / 12
    }
    /// 1 for January … 12 for December.
    pub const fn month_of_year(self) -> u32 {
        self.0 % 12 + 1
    }
    /// The month `n` months later (or earlier, for negative `n`).
    pub fn offset(self, n: i32) -> Month {
        Month((self.0 as i64 + n as i64).max(0) as u32)
    }
    pub fn next(self) -> Month {
        Month(self.0 + 1)
    }
    /// Whole months from `earlier` to `self` (negative if `earlier` is later).
    pub fn since(self, earlier: Month) -> i32 {
        self.0 as i32 - earlier.0 as i32
    }
    /// A dense index, for keying random streams.
    pub const fn index(self) -> u32 {
        self.0
    }
    /// "May 1924".
    pub fn in_words(self) -> String {
        format!(
            "{} {}",
            MONTH_NAMES[(self.month_of_year() - 1) as usize],
            self.year()
        )
    }
    /// Years (as a fraction) from `earlier` to `self`.
    pub fn years_since(self, earlier: Month) -> f64 {
        self.since(earlier) as f64 / 12.0
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month_of_year())
    }
}

/// Why a date did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a date{}: write YYYY-MM or YYYY-MM-DD, e.g. 1924-05 or 1924-05-21", why.as_deref().map(|w| format!(" ({w})")).unwrap_or_default())]
pub struct MonthParseError {
    pub text: String,
    /// What is wrong with a date of the right shape ("June has 30 days").
    pub why: Option<String>,
}

impl FromStr for Month {
    type Err = MonthParseError;
    /// Accepts `YYYY-MM` and `YYYY-MM-DD`; the day is checked but the model keeps only the month.
    fn from_str(text: &str) -> Result<Month, MonthParseError> {
        let err = || MonthParseError {
            text: text.to_string(),
            why: None,
        };
        let parts: Vec<&str> = text.split('-').collect();
        // Digits only: `str::parse` would also take a sign ("1924-+6").
        let digits = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
        if !(parts.len() == 2 || parts.len() == 3) || !digits(parts[0], 4) || !digits(parts[1], 2) {
            return Err(err());
        }
        let year: u32 = parts[0].parse().map_err(|_| err())?;
        let month: u32 = parts[1].parse().map_err(|_| err())?;
        if !(1..=12).contains(&month) {
            return Err(MonthParseError {
                why: Some(format!("there is no month {month}")),
                ..err()
            });
        }
        if !(1800..=2100).contains(&year) {
            return Err(MonthParseError {
                why: Some(format!("the year {year} is outside 1800 to 2100")),
                ..err()
            });
        }
        if parts.len() == 3 {
            if !digits(parts[2], 2) {
                return Err(err());
            }
            let day: u32 = parts[2].parse().map_err(|_| err())?;
            let days = days_in(year, month);
            if !(1..=days).contains(&day) {
                return Err(MonthParseError {
                    why: Some(format!(
                        "{} has {days} days",
                        Month::new(year, month).in_words()
                    )),
                    ..err()
                });
            }
        }
        Ok(Month::new(year, month))
    }
}

/// Days in `month` of `year`, in the Gregorian calendar, the calendar of every date in the data.
// `u32::is_multiple_of` needs Rust 1.87; the workspace supports 1.85.
#[allow(clippy::manual_is_multiple_of)]
fn days_in(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let m: Month = "1924-05-21".parse().unwrap();
        assert_eq!(m, Month::new(1924, 5));
        assert_eq!(m.to_string(), "1924-05");
        assert_eq!(m.in_words(), "May 1924");
        assert_eq!(Month::new(1924, 12).next(), Month::new(1925, 1));
        assert_eq!(Month::new(1925, 1).since(Month::new(1924, 5)), 8);
    }

    #[test]
    fn says_why_a_day_is_wrong() {
        let e = "1924-02-30".parse::<Month>().unwrap_err().to_string();
        assert!(e.contains("(February 1924 has 29 days)"), "{e}");
        let e = "1924-13".parse::<Month>().unwrap_err().to_string();
        assert!(e.contains("(there is no month 13)"), "{e}");
    }

    #[test]
    fn accepts_real_days() {
        for good in [
            "1924-02-29",
            "2000-02-29",
            "1924-01-31",
            "1924-04-30",
            "1925-02-28",
        ] {
            assert!(good.parse::<Month>().is_ok(), "{good} should parse");
        }
    }

    #[test]
    fn rejects_bad_dates() {
        for bad in [
            "1924",
            "1924-13",
            "24-05",
            "1924-5",
            "1924-05-40",
            "may 1924",
            "",
            "1924-+6",
            "+924-06",
            "1924-06-+1",
            "1924-02-30",
            "1925-02-29",
            "1900-02-29",
            "1924-04-31",
            "1924-05-00",
            " 1924-05",
        ] {
            assert!(bad.parse::<Month>().is_err(), "{bad} should not parse");
        }
    }
}
