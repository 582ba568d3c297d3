//! Application Auto Scaling schedules: `cron(…)` with its six fields, `at(…)` and `rate(…)`,
//! parsed as the service accepts them and evaluated minute by minute in an IANA time zone
//! (chrono-tz). Pure time math: the profile checks call [`parse`], the simulation [`fires`].
//!
//! Cron fields (Application Auto Scaling User Guide, *Scheduled scaling*, read 2026-12-02):
//! minutes 0–59, hours 0–23, day of month 1–31, month 1–12 or JAN–DEC, day of week 1–7 or
//! SUN–SAT (1 = Sunday), year 1970–2199. Each takes `*`, a value, `a-b`, `a,b`, and `/step`;
//! day of month and day of week exclude each other — one of them is `?`. Day of month also takes
//! `L` (the last day), `nW` (the weekday nearest day n) and `LW`; day of week takes `L` (Saturday),
//! `nL` (the last such weekday of the month) and `n#k` (the k-th such weekday).

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;

/// A parsed schedule.
#[derive(Clone, Debug, PartialEq)]
pub enum Schedule {
    /// `cron(m h dom mon dow y)`.
    Cron(Box<Cron>),
    /// `at(yyyy-mm-ddThh:mm:ss)`: once, in the schedule's time zone.
    At(NaiveDateTime),
    /// `rate(n minutes|hours|days)`: every `n` × unit seconds from when it is created.
    Rate(u64),
}

/// A cron expression's fields, as sets.
#[derive(Clone, Debug, PartialEq)]
pub struct Cron {
    minutes: Vec<bool>,
    hours: Vec<bool>,
    months: Vec<bool>,
    years: Vec<bool>,
    days: Days,
}

#[derive(Clone, Debug, PartialEq)]
enum Days {
    /// Day of month given, day of week `?`.
    Month(Vec<MonthDay>),
    /// Day of week given, day of month `?`.
    Week(Vec<WeekDay>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum MonthDay {
    Day(u32),
    Last,
    NearestWeekday(u32),
    LastWeekday,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum WeekDay {
    /// 1 = Sunday … 7 = Saturday.
    Day(u32),
    LastOf(u32),
    Nth(u32, u32),
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const WEEKDAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

fn value(text: &str, lo: u32, hi: u32, names: &[&str], field: &str) -> Result<u32, String> {
    if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
        return Ok(lo + i as u32);
    }
    match text.parse::<u32>() {
        Ok(v) if (lo..=hi).contains(&v) => Ok(v),
        _ => Err(format!("{field} `{text}` is not a value from {lo} to {hi}")),
    }
}

/// `*`, `n`, `a-b`, each with an optional `/step`, comma-separated, as a set over lo..=hi.
fn set(text: &str, lo: u32, hi: u32, names: &[&str], field: &str) -> Result<Vec<bool>, String> {
    let mut out = vec![false; (hi + 1) as usize];
    for item in text.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => match s.parse::<u32>() {
                Ok(s) if s > 0 => (r, s),
                _ => return Err(format!("{field} step `{s}` is not a positive number")),
            },
            None => (item, 1),
        };
        let (a, b) = if range == "*" {
            (lo, hi)
        } else if let Some((a, b)) = range.split_once('-') {
            let (a, b) = (
                value(a, lo, hi, names, field)?,
                value(b, lo, hi, names, field)?,
            );
            if a > b {
                return Err(format!("{field} range `{range}` runs backwards"));
            }
            (a, b)
        } else {
            let a = value(range, lo, hi, names, field)?;
            (a, if item.contains('/') { hi } else { a })
        };
        for v in (a..=b).step_by(step as usize) {
            out[v as usize] = true;
        }
    }
    Ok(out)
}

fn month_days(text: &str) -> Result<Vec<MonthDay>, String> {
    let field = "day of month";
    let mut out = Vec::new();
    for item in text.split(',') {
        if item == "L" {
            out.push(MonthDay::Last);
        } else if item == "LW" {
            out.push(MonthDay::LastWeekday);
        } else if let Some(n) = item.strip_suffix('W') {
            out.push(MonthDay::NearestWeekday(value(n, 1, 31, &[], field)?));
        } else {
            let s = set(item, 1, 31, &[], field)?;
            out.extend((1..=31).filter(|&d| s[d as usize]).map(MonthDay::Day));
        }
    }
    Ok(out)
}

fn week_days(text: &str) -> Result<Vec<WeekDay>, String> {
    let field = "day of week";
    let mut out = Vec::new();
    for item in text.split(',') {
        if item == "L" {
            out.push(WeekDay::Day(7));
        } else if let Some((d, k)) = item.split_once('#') {
            let d = value(d, 1, 7, &WEEKDAYS, field)?;
            match k.parse::<u32>() {
                Ok(k) if (1..=5).contains(&k) => out.push(WeekDay::Nth(d, k)),
                _ => return Err(format!("{field} `{item}`: the week after `#` is 1 to 5")),
            }
        } else if let Some(d) = item.strip_suffix('L') {
            out.push(WeekDay::LastOf(value(d, 1, 7, &WEEKDAYS, field)?));
        } else {
            let s = set(item, 1, 7, &WEEKDAYS, field)?;
            out.extend((1..=7).filter(|&d| s[d as usize]).map(WeekDay::Day));
        }
    }
    Ok(out)
}

fn cron(fields: &str) -> Result<Cron, String> {
    let f: Vec<&str> = fields.split_whitespace().collect();
    let [min, hour, dom, mon, dow, year] = f[..] else {
        return Err(format!(
            "a cron expression has six fields (minutes hours day-of-month month day-of-week year); `{fields}` has {}",
            f.len()
        ));
    };
    let days = match (dom, dow) {
        ("?", "?") => return Err("day of month and day of week cannot both be `?`".into()),
        ("?", dow) => Days::Week(week_days(dow)?),
        (dom, "?") => Days::Month(month_days(dom)?),
        _ => {
            return Err(
                "one of day of month and day of week must be `?` (Application Auto Scaling does not take both)"
                    .into(),
            );
        }
    };
    Ok(Cron {
        minutes: set(min, 0, 59, &[], "minutes")?,
        hours: set(hour, 0, 23, &[], "hours")?,
        months: set(mon, 1, 12, &MONTHS, "month")?,
        years: set(year, 1970, 2199, &[], "year")?,
        days,
    })
}

/// Parse `cron(…)`, `at(…)` or `rate(…)` as Application Auto Scaling takes them.
pub fn parse(text: &str) -> Result<Schedule, String> {
    let inner = |prefix: &str| {
        text.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(')'))
            .map(str::trim)
    };
    if let Some(f) = inner("cron(") {
        return cron(f).map(|c| Schedule::Cron(Box::new(c)));
    }
    if let Some(a) = inner("at(") {
        return NaiveDateTime::parse_from_str(a, "%Y-%m-%dT%H:%M:%S")
            .map(Schedule::At)
            .map_err(|_| format!("`at({a})` is not a date and time written yyyy-mm-ddThh:mm:ss"));
    }
    if let Some(r) = inner("rate(") {
        let (n, unit) = r
            .split_once(' ')
            .ok_or_else(|| format!("`rate({r})` is not `rate(N minutes|hours|days)`"))?;
        let n: u64 = n
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("`rate({r})`: `{n}` is not a positive whole number"))?;
        let unit = match (n, unit) {
            (1, "minute") | (2.., "minutes") => 60,
            (1, "hour") | (2.., "hours") => 3600,
            (1, "day") | (2.., "days") => 86_400,
            _ => {
                return Err(format!(
                    "`rate({r})`: the unit is `minute`, `hour` or `day` for 1 and the plural otherwise"
                ));
            }
        };
        return Ok(Schedule::Rate(n * unit));
    }
    Err(format!("`{text}` is not `cron(…)`, `at(…)` or `rate(…)`"))
}

/// A time zone by its IANA name (`Europe/Berlin`, `UTC`).
pub fn zone(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>().map_err(|_| {
        format!("`{name}` is not an IANA time zone (such as `Europe/Berlin` or `UTC`)")
    })
}

fn last_day(year: i32, month: u32) -> u32 {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .map_or(28, |d| d.day())
}

fn is_weekday(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The weekday of the same month nearest day `n` (Quartz semantics, which AWS follows).
fn nearest_weekday(year: i32, month: u32, n: u32) -> Option<u32> {
    let last = last_day(year, month);
    let n = n.min(last);
    let d = NaiveDate::from_ymd_opt(year, month, n)?;
    if is_weekday(d) {
        return Some(n);
    }
    let before = (n > 1)
        .then(|| n - 1)
        .filter(|&b| is_weekday(NaiveDate::from_ymd_opt(year, month, b).unwrap_or(d)));
    let after = (n < last)
        .then_some(n + 1)
        .filter(|&a| is_weekday(NaiveDate::from_ymd_opt(year, month, a).unwrap_or(d)));
    match d.weekday() {
        Weekday::Sat => before.or_else(|| (n + 2 <= last).then_some(n + 2)),
        _ => after.or_else(|| (n > 2).then(|| n - 2)),
    }
}

impl Cron {
    /// Whether the expression fires at the local minute `t`.
    pub fn matches(&self, t: NaiveDateTime) -> bool {
        let (y, m, d) = (t.year(), t.month(), t.day());
        let year_ok = (1970..=2199).contains(&y) && self.years[y as usize];
        if !(self.minutes[t.minute() as usize]
            && self.hours[t.hour() as usize]
            && self.months[m as usize]
            && year_ok)
        {
            return false;
        }
        let dow = t.weekday().number_from_sunday(); // 1 = Sunday
        match &self.days {
            Days::Month(days) => days.iter().any(|md| match *md {
                MonthDay::Day(n) => d == n,
                MonthDay::Last => d == last_day(y, m),
                MonthDay::NearestWeekday(n) => nearest_weekday(y, m, n) == Some(d),
                MonthDay::LastWeekday => {
                    let last = last_day(y, m);
                    (0..7)
                        .map(|k| last - k)
                        .find(|&x| NaiveDate::from_ymd_opt(y, m, x).is_some_and(is_weekday))
                        == Some(d)
                }
            }),
            Days::Week(days) => days.iter().any(|wd| match *wd {
                WeekDay::Day(n) => dow == n,
                WeekDay::LastOf(n) => dow == n && d + 7 > last_day(y, m),
                WeekDay::Nth(n, k) => dow == n && (d - 1) / 7 + 1 == k,
            }),
        }
    }
}

/// The seconds from `start` (a UTC instant) at which `schedule`, read in `zone`, fires within
/// `minutes` minutes. `rate(…)` counts from `start`; an `at(…)` or a cron minute that a
/// daylight-saving change skips does not fire, one it repeats fires once.
pub fn fires(schedule: &Schedule, zone: Tz, start: DateTime<Utc>, minutes: u32) -> Vec<u64> {
    let mut out = Vec::new();
    let mut last_local: Option<NaiveDateTime> = None;
    for m in 0..minutes as u64 {
        let utc = start + chrono::Duration::minutes(m as i64);
        let local = zone.from_utc_datetime(&utc.naive_utc()).naive_local();
        let fire = match schedule {
            Schedule::Cron(c) => c.matches(local),
            Schedule::At(at) => local == *at,
            Schedule::Rate(every) => m * 60 % every == 0 && m > 0,
        };
        // a repeated local minute (clocks going back) fires once
        if fire && last_local.is_none_or(|l| local > l) {
            out.push(m * 60);
        }
        last_local = Some(last_local.map_or(local, |l| l.max(local)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn c(s: &str) -> Cron {
        match parse(&format!("cron({s})")).unwrap() {
            Schedule::Cron(c) => *c,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn business_hours_fire_on_weekday_mornings() {
        let x = c("0 8 ? * MON-FRI *");
        assert!(x.matches(at("2026-11-30 08:00"))); // a Monday
        assert!(!x.matches(at("2026-11-30 08:01")));
        assert!(!x.matches(at("2026-12-05 08:00"))); // a Saturday
        assert!(x.matches(at("2026-12-04 08:00"))); // a Friday
    }

    #[test]
    fn steps_lists_names_and_special_days() {
        assert!(c("*/15 * * * ? *").matches(at("2026-01-01 03:45")));
        assert!(!c("*/15 * * * ? *").matches(at("2026-01-01 03:46")));
        assert!(c("0 0 L * ? *").matches(at("2028-02-29 00:00"))); // leap year
        assert!(c("0 0 1,15 JAN,JUL ? 2026-2027").matches(at("2027-07-15 00:00")));
        assert!(!c("0 0 1,15 JAN,JUL ? 2026-2027").matches(at("2028-07-15 00:00")));
        // 15W in November 2026: the 15th is a Sunday → Monday the 16th
        assert!(c("0 9 15W * ? *").matches(at("2026-11-16 09:00")));
        // LW in January 2026: the 31st is a Saturday → Friday the 30th
        assert!(c("0 9 LW * ? *").matches(at("2026-01-30 09:00")));
        // the second Tuesday, the last Friday
        assert!(c("0 9 ? * 3#2 *").matches(at("2026-12-08 09:00")));
        assert!(c("0 9 ? * 6L *").matches(at("2026-12-25 09:00")));
        assert!(!c("0 9 ? * 6L *").matches(at("2026-12-18 09:00")));
    }

    #[test]
    fn what_the_service_refuses_is_refused_with_why() {
        let e = |s: &str| parse(s).unwrap_err();
        assert!(e("cron(0 8 * * MON-FRI *)").contains("must be `?`"));
        assert!(e("cron(0 8 ? * MON-FRI)").contains("six fields"));
        assert!(e("cron(60 8 ? * MON *)").contains("minutes `60`"));
        assert!(e("cron(0 8 ? * FRI-MON *)").contains("runs backwards"));
        assert!(e("cron(0 8 ? * 2#6 *)").contains("1 to 5"));
        assert!(e("rate(1 minutes)").contains("unit"));
        assert!(e("rate(0 hours)").contains("positive"));
        assert!(e("at(2026-12-24 08:00)").contains("yyyy-mm-ddThh:mm:ss"));
        assert!(e("every day").contains("is not `cron(…)`"));
        assert!(zone("Europe/Berlln").is_err());
        assert!(zone("Europe/Berlin").is_ok());
    }

    #[test]
    fn fires_in_the_time_zone_across_daylight_saving() {
        let berlin = zone("Europe/Berlin").unwrap();
        let s = parse("cron(0 8 ? * * *)").unwrap();
        // 2026-03-29 is the spring change in Berlin: 08:00 is 07:00 UTC before it, 06:00 after.
        let start = Utc.with_ymd_and_hms(2026, 3, 28, 0, 0, 0).unwrap();
        let f = fires(&s, berlin, start, 2 * 1440);
        assert_eq!(f, vec![7 * 3600, 86_400 + 6 * 3600]);
        // 02:30 does not exist on the spring day
        let skipped = parse("cron(30 2 29 MAR ? 2026)").unwrap();
        assert!(fires(&skipped, berlin, start, 2 * 1440).is_empty());
        // rate counts from the start
        assert_eq!(
            fires(&parse("rate(6 hours)").unwrap(), berlin, start, 1440),
            vec![6 * 3600, 12 * 3600, 18 * 3600]
        );
    }
}
