//! A calendar date (proleptic Gregorian, no time zone): the scan date and build dates.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar date, `YYYY-MM-DD` in text and JSON. Years 1..=9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a date string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {input:?}: expected YYYY-MM-DD (a real calendar day, year 1-9999)")]
pub struct DateError {
    pub input: String,
}

fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date, if it exists.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month)
        {
            Some(Date { year, month, day })
        } else {
            None
        }
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// The date at the start of a timestamp string: `2024-06-01`, `2024-06-01T12:00:00`,
    /// `2024-06-01T12:00:00Z` (RFC 3339), `2024-06-01 12:00`. Returns None for anything else.
    pub fn from_timestamp(s: &str) -> Option<Date> {
        let head = s.get(..10)?;
        match s.as_bytes().get(10) {
            None | Some(b'T') | Some(b't') | Some(b' ') => head.parse().ok(),
            Some(_) => None,
        }
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let m = i64::from(self.month);
        let d = i64::from(self.day);
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01, if within years 1..=9999.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date::new(
            u16::try_from(y).ok()?,
            u8::try_from(m).ok()?,
            u8::try_from(d).ok()?,
        )
    }

    /// Today in UTC, from the system clock (None if the clock is before 1970).
    pub fn today_utc() -> Option<Date> {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs();
        Date::from_days_since_epoch(i64::try_from(secs / 86_400).ok()?)
    }

    /// The same day `months` calendar months later, clamped to the end of a shorter month
    /// (2024-08-31 + 6 months = 2025-02-28). None past year 9999.
    pub fn add_months(self, months: u32) -> Option<Date> {
        let total = u32::from(self.month) - 1 + months;
        let year = u32::from(self.year) + total / 12;
        let year = u16::try_from(year).ok()?;
        let month = u8::try_from(total % 12 + 1).ok()?;
        let day = self.day.min(days_in_month(year, month));
        Date::new(year, month, day)
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Date, DateError> {
        let err = || DateError {
            input: s.chars().take(64).collect(),
        };
        let b = s.as_bytes();
        if b.len() != 10
            || b.get(4) != Some(&b'-')
            || b.get(7) != Some(&b'-')
            || !b
                .iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u16>().ok());
        let (y, m, d) = (
            num(0..4).ok_or_else(err)?,
            num(5..7).ok_or_else(err)?,
            num(8..10).ok_or_else(err)?,
        );
        Date::new(
            y,
            u8::try_from(m).map_err(|_| err())?,
            u8::try_from(d).map_err(|_| err())?,
        )
        .ok_or_else(err)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn parse_and_print() {
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-01-00",
            "0000-01-01",
            "2024-1-01",
            "2024/01/01",
            "+024-01-01",
            "",
            "２０２４-01-01",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert_eq!(
            Date::from_timestamp("2024-06-01T12:00:00"),
            Some(d("2024-06-01"))
        );
        assert_eq!(
            Date::from_timestamp("2024-06-01T12:00:00Z"),
            Some(d("2024-06-01"))
        );
        assert_eq!(Date::from_timestamp("2024-06-01"), Some(d("2024-06-01")));
        assert_eq!(Date::from_timestamp("2024-06-011"), None);
        assert_eq!(Date::from_timestamp("2024-06"), None);
        assert_eq!(Date::from_timestamp("日期日期日期"), None);
    }

    #[test]
    fn epoch_days_round_trip() {
        assert_eq!(d("1970-01-01").days_since_epoch(), 0);
        assert_eq!(d("2000-03-01").days_since_epoch(), 11_017);
        assert_eq!(d("1969-12-31").days_since_epoch(), -1);
        let mut day = d("0001-01-01").days_since_epoch();
        let end = d("9999-12-31").days_since_epoch();
        let mut prev = Date::from_days_since_epoch(day).unwrap();
        while day < end {
            day += 1;
            let next = Date::from_days_since_epoch(day).unwrap();
            assert!(next > prev);
            assert_eq!(next.days_since_epoch(), day);
            prev = next;
        }
        assert_eq!(Date::from_days_since_epoch(end + 1), None);
    }

    #[test]
    fn months() {
        assert_eq!(d("2024-08-31").add_months(6), Some(d("2025-02-28")));
        assert_eq!(d("2023-08-31").add_months(6), Some(d("2024-02-29")));
        assert_eq!(d("2024-06-01").add_months(6), Some(d("2024-12-01")));
        assert_eq!(d("2024-07-15").add_months(12), Some(d("2025-07-15")));
        assert_eq!(d("9999-12-01").add_months(1), None);
        assert!(Date::today_utc().unwrap() > d("2024-01-01"));
    }
}
