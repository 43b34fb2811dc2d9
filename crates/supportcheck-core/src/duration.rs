//! Durations as people write them, the one syntax of every option and key
//! that takes one: a whole number and a unit, `500ms`, `5s`, `12h`, `30d`,
//! `2w`, `6m`, `1y` (docs/file-formats.md#durations).
//!
//! Where a day is known (an answer's date, a probe's last run) months and
//! years are calendar ones and shorter units count in whole days, rounded
//! down. Where only an elapsed time is known (a report's age, a file's age,
//! a timeout) a month is 30 days and a year 365.

use chrono::{Days, Months, NaiveDate, TimeDelta};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The syntax in one line, for help texts and errors.
pub const SYNTAX: &str = "a whole number and a unit: ms, s, h (hours), d (days), w (weeks), m (months) or y (years), like `30d` or `6m`";

/// A duration: `amount` of `unit`, `amount` at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    pub amount: u32,
    pub unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Millis,
    Seconds,
    Hours,
    Days,
    Weeks,
    Months,
    Years,
}

impl Unit {
    fn letter(self) -> &'static str {
        match self {
            Unit::Millis => "ms",
            Unit::Seconds => "s",
            Unit::Hours => "h",
            Unit::Days => "d",
            Unit::Weeks => "w",
            Unit::Months => "m",
            Unit::Years => "y",
        }
    }

    fn word(self) -> &'static str {
        match self {
            Unit::Millis => "millisecond",
            Unit::Seconds => "second",
            Unit::Hours => "hour",
            Unit::Days => "day",
            Unit::Weeks => "week",
            Unit::Months => "month",
            Unit::Years => "year",
        }
    }
}

impl Duration {
    /// Reads `500ms`, `5s`, `12h`, `30d`, `2w`, `6m`, `1y`. The error quotes the text and
    /// says the syntax; callers put the key or option in front.
    pub fn parse(text: &str) -> Result<Duration, String> {
        let t = text.trim();
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (digits, unit) = t.split_at(split);
        let unit = match unit {
            "ms" => Unit::Millis,
            "s" => Unit::Seconds,
            "h" => Unit::Hours,
            "d" => Unit::Days,
            "w" => Unit::Weeks,
            "m" => Unit::Months,
            "y" => Unit::Years,
            "" if !digits.is_empty() => {
                return Err(format!("`{t}` has no unit; write {SYNTAX}"));
            }
            _ => return Err(format!("`{t}` is not a duration; write {SYNTAX}")),
        };
        let amount = match digits.parse::<u32>() {
            Ok(0) => return Err(format!("`{t}` is no time at all; write {SYNTAX}")),
            Ok(n) => n,
            Err(_) if digits.is_empty() => {
                return Err(format!("`{t}` has no number; write {SYNTAX}"));
            }
            Err(_) => return Err(format!("`{t}` is too long a duration")),
        };
        Ok(Duration { amount, unit })
    }

    /// The last day something dated `day` is still within this duration.
    /// `None` when that is past the calendar's end (it never runs out).
    pub fn last_valid_day(&self, day: NaiveDate) -> Option<NaiveDate> {
        let n = self.amount;
        let whole_days = |per_day: u64| day.checked_add_days(Days::new(u64::from(n) / per_day));
        match self.unit {
            Unit::Millis => whole_days(86_400_000),
            Unit::Seconds => whole_days(86_400),
            Unit::Hours => whole_days(24),
            Unit::Days => day.checked_add_days(Days::new(n.into())),
            Unit::Weeks => day.checked_add_days(Days::new(u64::from(n) * 7)),
            Unit::Months => day.checked_add_months(Months::new(n)),
            Unit::Years => day.checked_add_months(Months::new(n.saturating_mul(12))),
        }
    }

    /// As an elapsed time: a month is 30 days, a year 365.
    pub fn elapsed(&self) -> TimeDelta {
        const HOUR: i64 = 3_600_000;
        let per = match self.unit {
            Unit::Millis => 1,
            Unit::Seconds => 1000,
            Unit::Hours => HOUR,
            Unit::Days => 24 * HOUR,
            Unit::Weeks => 7 * 24 * HOUR,
            Unit::Months => 30 * 24 * HOUR,
            Unit::Years => 365 * 24 * HOUR,
        };
        i64::from(self.amount)
            .checked_mul(per)
            .and_then(TimeDelta::try_milliseconds)
            .unwrap_or(TimeDelta::MAX)
    }

    /// In words: `30 days`, `1 week`, `6 months`.
    pub fn words(&self) -> String {
        crate::words::count(self.amount as usize, self.unit.word())
    }
}

impl std::fmt::Display for Duration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.amount, self.unit.letter())
    }
}

impl std::str::FromStr for Duration {
    type Err = String;
    fn from_str(s: &str) -> Result<Duration, String> {
        Duration::parse(s)
    }
}

impl Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Duration::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The pattern every duration matches, for the JSON Schemas.
pub const PATTERN: &str = "^[1-9][0-9]*(ms|s|h|d|w|m|y)$";

impl JsonSchema for Duration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": PATTERN,
            "description": "A duration: a whole number and ms, s, h (hours), d (days), w (weeks), m (months) or y (years), e.g. `90d`, `6m`."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_unit_and_writes_it_back() {
        for (text, unit) in [
            ("500ms", Unit::Millis),
            ("5s", Unit::Seconds),
            ("12h", Unit::Hours),
            ("30d", Unit::Days),
            ("2w", Unit::Weeks),
            ("6m", Unit::Months),
            ("1y", Unit::Years),
        ] {
            let age = Duration::parse(text).unwrap();
            assert_eq!(age.unit, unit, "{text}");
            assert_eq!(age.to_string(), text);
        }
        assert_eq!(Duration::parse(" 90d ").unwrap().amount, 90);
    }

    #[test]
    fn refuses_what_is_not_one_number_and_one_unit() {
        for (bad, says) in [
            ("30", "has no unit"),
            ("d", "has no number"),
            ("0d", "no time at all"),
            ("30x", "not a duration"),
            ("30 d", "not a duration"),
            ("30D", "not a duration"),
            ("-3d", "not a duration"),
            ("1.5s", "not a duration"),
            ("5min", "not a duration"),
            ("", "not a duration"),
            ("99999999999d", "too long"),
        ] {
            let e = Duration::parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
            assert!(e.contains(&format!("`{}`", bad.trim())), "{bad}: {e}");
        }
    }

    #[test]
    fn a_known_day_counts_calendar_months_and_whole_days() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        let last = |s: &str| {
            Duration::parse(s)
                .unwrap()
                .last_valid_day(d)
                .unwrap()
                .to_string()
        };
        assert_eq!(last("1m"), "2026-02-28");
        assert_eq!(last("1y"), "2027-01-31");
        assert_eq!(last("2w"), "2026-02-14");
        assert_eq!(last("48h"), "2026-02-02");
        assert_eq!(last("12h"), "2026-01-31");
    }

    #[test]
    fn an_elapsed_time_counts_thirty_day_months() {
        let e = |s: &str| Duration::parse(s).unwrap().elapsed();
        assert_eq!(e("500ms"), TimeDelta::milliseconds(500));
        assert_eq!(e("5s"), TimeDelta::seconds(5));
        assert_eq!(e("12h"), TimeDelta::hours(12));
        assert_eq!(e("2w"), TimeDelta::days(14));
        assert_eq!(e("6m"), TimeDelta::days(180));
        assert_eq!(e("1y"), TimeDelta::days(365));
    }

    #[test]
    fn says_itself_in_words() {
        assert_eq!(Duration::parse("1d").unwrap().words(), "1 day");
        assert_eq!(Duration::parse("6m").unwrap().words(), "6 months");
    }
}
