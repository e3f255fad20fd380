//! What was typed or pasted, made into a stored value; dates.

use time::{Date, Duration};

use super::spec::{FieldKind, FieldSpec, UrlRole};
use crate::i18n::{Lang, Worded};
use crate::text::has_unsafe_chars;
use crate::tr;

/// Why typed or pasted text is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputError {
    LineBreak,
    /// Control, escape or bidi characters inside.
    Unsafe,
}

impl Worded for InputError {
    fn message(&self, lang: Lang) -> String {
        match self {
            InputError::LineBreak => tr!(
                lang,
                "the text has a line break: paste a single line",
                "der Text enthält einen Zeilenumbruch: fügen Sie eine einzelne Zeile ein"
            ),
            InputError::Unsafe => tr!(
                lang,
                "the text has control, escape or direction-changing characters: type it again or copy it from the source once more",
                "der Text enthält Steuer-, Escape- oder Richtungszeichen: tippen Sie ihn neu oder kopieren Sie ihn noch einmal aus der Quelle"
            ),
        }
    }
}

#[cfg(test)]
impl crate::i18n::Samples for InputError {
    fn samples() -> Vec<Self> {
        vec![InputError::LineBreak, InputError::Unsafe]
    }
}

/// Clean a typed or pasted value for storing: trims surrounding white space and refuses
/// anything with control, escape or bidi characters inside (it is never stored or drawn).
pub fn clean_input(raw: &str) -> Result<String, InputError> {
    let trimmed = raw.trim();
    if trimmed.contains(['\n', '\r']) {
        return Err(InputError::LineBreak);
    }
    if has_unsafe_chars(trimmed) {
        return Err(InputError::Unsafe);
    }
    Ok(trimmed.to_string())
}

/// Bring a cleaned value into its stored form (lower-case GUIDs, no trailing slash, ...).
pub fn normalize(spec: &FieldSpec, value: &str) -> String {
    let v = value.trim();
    match spec.kind {
        FieldKind::Guid => {
            let inner = v
                .strip_prefix('{')
                .and_then(|s| s.strip_suffix('}'))
                .unwrap_or(v)
                .trim();
            if is_guid(inner) {
                inner.to_ascii_lowercase()
            } else {
                v.to_string()
            }
        }
        FieldKind::Permissions => match crate::core::permissions::parse(v) {
            Ok(list) => crate::core::permissions::format(&list),
            Err(_) => v.to_string(),
        },
        FieldKind::Url if spec.url_role == Some(UrlRole::Base) => {
            let mut s = v;
            while s.ends_with('/') && !s.ends_with("://") {
                s = s[..s.len() - 1].trim_end();
            }
            s.to_string()
        }
        _ => v.to_string(),
    }
}

/// True for `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex digits of either case.
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

pub fn parse_date(value: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(value, &format).ok()
}

/// The last day a secret with this `endDateTime` (RFC 3339) works: one whose end is midnight
/// UTC stopped at the end of the day before (the portal's "expires" date is that midnight's).
pub fn last_day_of_end(end: &str) -> Option<Date> {
    let day = parse_date(end.get(..10)?)?;
    let rest = &end[10..];
    let at_midnight = rest.is_empty() || rest.starts_with("T00:00:00");
    Some(if at_midnight {
        day.previous_day().unwrap_or(day)
    } else {
        day
    })
}

pub fn format_date(date: Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    date.format(&format).unwrap_or_default()
}

/// A date given as days from `today` (`180`, 1 to 730, as the presets and `--expires`
/// count), as `YYYY-MM-DD`; `None` for anything else.
pub fn days_as_date(value: &str, today: Date) -> Option<String> {
    let days: u32 = value.trim().parse().ok()?;
    (1..=730)
        .contains(&days)
        .then(|| format_date(preset_date(today, days)))
}

/// The end date of a preset counted from `today`.
pub fn preset_date(today: Date, days: u32) -> Date {
    today.saturating_add(Duration::days(i64::from(days)))
}

#[cfg(test)]
mod expiry_day_tests {
    use super::*;

    /// One definition of a secret's last day: what azreg sends (the end of the day) reads back
    /// as that day; an end at midnight (the portal's, or another tool's) as the day before.
    #[test]
    fn a_secrets_last_day_is_the_day_it_still_works() {
        let day = parse_date("2027-05-25").unwrap();
        assert_eq!(last_day_of_end("2027-05-25T23:59:59Z"), Some(day));
        assert_eq!(
            last_day_of_end("2027-05-26T00:00:00Z"),
            Some(day),
            "stopped at midnight"
        );
        assert_eq!(last_day_of_end("2027-05-25T10:30:00.1234567Z"), Some(day));
        assert_eq!(last_day_of_end("not a date"), None);
        assert_eq!(days_as_date("180", day).as_deref(), Some("2027-11-21"));
        assert_eq!(days_as_date("0", day), None);
        assert_eq!(days_as_date("2027-05-25", day), None);
    }
}
