//! A tenant's app management policy, as far as client secrets go (src/docs/graph.md, "Secret
//! lifetime policy"): it may forbid new client secrets (`passwordAddition`) or cap their
//! lifetime (`passwordLifetime`, an ISO 8601 duration such as `P90D`). Read before planning,
//! so a secret the policy refuses is refused before anything is written; an app-specific
//! policy azreg could not read shows up as Graph's refusal and is explained the same way.

use time::Date;

use crate::i18n::{Lang, Worded};
use crate::tr;

/// What the policy says of client secrets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretPolicy {
    /// New client secrets are not allowed.
    pub blocked: bool,
    /// The longest lifetime allowed, in whole days.
    pub max_days: Option<i64>,
}

/// One `passwordCredentialConfiguration` of a policy, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Restriction {
    pub kind: String,
    /// `enabled` or `disabled`; absent counts as enabled (older policies lack it).
    pub state: Option<String>,
    pub max_lifetime: Option<String>,
}

impl SecretPolicy {
    /// From a policy's password restrictions (disabled ones ignored).
    pub fn of(restrictions: &[Restriction]) -> SecretPolicy {
        let mut p = SecretPolicy::default();
        for r in restrictions
            .iter()
            .filter(|r| r.state.as_deref().is_none_or(|s| s == "enabled"))
        {
            match r.kind.as_str() {
                "passwordAddition" => p.blocked = true,
                "passwordLifetime" => {
                    if let Some(d) = r.max_lifetime.as_deref().and_then(duration_days) {
                        p.max_days = Some(p.max_days.map_or(d, |m: i64| m.min(d)));
                    }
                }
                _ => {}
            }
        }
        p
    }
}

/// Why a secret cannot be added as asked, and what can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyLimit {
    pub blocked: bool,
    /// The maximum, when azreg could read it.
    pub max_days: Option<i64>,
    /// The longest end allowed (`YYYY-MM-DD`), when the maximum is known.
    pub longest: Option<String>,
    /// The end asked for.
    pub asked: String,
}

/// Whether a secret ending on `end` (`YYYY-MM-DD`, the last day it works) is allowed from
/// `today`: `None` when it is (or nothing is known).
pub fn limit(policy: Option<&SecretPolicy>, end: &str, today: Option<Date>) -> Option<PolicyLimit> {
    let p = policy?;
    let refused = |longest| PolicyLimit {
        blocked: p.blocked,
        max_days: p.max_days,
        longest,
        asked: end.to_string(),
    };
    if p.blocked {
        return Some(refused(None));
    }
    let (max, today) = (p.max_days?, today?);
    // The secret ends at the end of its last day (23:59:59Z): that day must lie before
    // today + max, counted from now.
    let longest = today + time::Duration::days(max - 1);
    let asked = crate::core::fields::parse_date(end)?;
    (asked > longest).then(|| refused(Some(crate::core::fields::format_date(longest))))
}

/// Whole days of an ISO 8601 duration (`P90D`, `P1Y`, `P2W`, `P4DT12H`), rounded down; years
/// as 365 days and months as 30, as a cap should be read (never more than it allows).
pub fn duration_days(text: &str) -> Option<i64> {
    let rest = text.trim().strip_prefix('P')?;
    let (date, time_part) = rest.split_once('T').unwrap_or((rest, ""));
    let mut days = 0i64;
    let mut num = String::new();
    for c in date.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = num.parse().ok()?;
        num.clear();
        days += match c {
            'Y' => n * 365,
            'M' => n * 30,
            'W' => n * 7,
            'D' => n,
            _ => return None,
        };
    }
    if !num.is_empty() {
        return None;
    }
    let mut hours = 0i64;
    for c in time_part.chars() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let n: f64 = num.parse().ok()?;
        num.clear();
        if c == 'H' {
            hours += n as i64;
        } else if !matches!(c, 'M' | 'S') {
            return None;
        }
    }
    Some(days + hours / 24)
}

impl Worded for PolicyLimit {
    fn message(&self, lang: Lang) -> String {
        if self.blocked {
            return tr!(
                lang,
                "the tenant's app management policy does not allow client secrets: the connector needs one, so ask an administrator of the policy (Entra ID > Enterprise applications > Application policies) for an exception for this app",
                "die App-Verwaltungsrichtlinie des Mandanten erlaubt keine geheimen Clientschlüssel: der Connector braucht einen, bitten Sie also einen Administrator der Richtlinie (Entra ID > Unternehmensanwendungen > Anwendungsrichtlinien) um eine Ausnahme für diese App"
            );
        }
        match (self.max_days, &self.longest) {
            (Some(max), Some(longest)) => tr!(
                lang,
                "the tenant's app management policy allows client secrets of at most {max} days, so not until {asked}; the longest allowed is {longest}: azreg apply --expires {longest} (or fewer days)",
                "die App-Verwaltungsrichtlinie des Mandanten erlaubt geheime Clientschlüssel von höchstens {max} Tagen, also nicht bis {asked}; am längsten geht {longest}: azreg apply --expires {longest} (oder weniger Tage)",
                max = max,
                asked = self.asked,
                longest = longest,
            ),
            _ => tr!(
                lang,
                "the tenant's app management policy allows a shorter lifetime for client secrets than until {asked} (its maximum could not be read: that needs the Global Reader or Application Administrator role); choose an earlier end with azreg apply --expires DATE|DAYS (90 or 180 days are common limits)",
                "die App-Verwaltungsrichtlinie des Mandanten erlaubt eine kürzere Laufzeit für geheime Clientschlüssel als bis {asked} (ihr Höchstwert ließ sich nicht lesen: das braucht die Rolle Globaler Leser oder Anwendungsadministrator); wählen Sie ein früheres Ende mit azreg apply --expires DATUM|TAGE (90 oder 180 Tage sind übliche Grenzen)",
                asked = self.asked,
            ),
        }
    }
}

#[cfg(test)]
impl crate::i18n::Samples for PolicyLimit {
    fn samples() -> Vec<Self> {
        let l = |blocked, max_days, longest: Option<&str>| PolicyLimit {
            blocked,
            max_days,
            longest: longest.map(str::to_string),
            asked: "2027-06-01".into(),
        };
        vec![
            l(true, None, None),
            l(false, Some(90), Some("2027-03-04")),
            l(false, None, None),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn durations_in_whole_days() {
        assert_eq!(duration_days("P90D"), Some(90));
        assert_eq!(duration_days("P1Y"), Some(365));
        assert_eq!(duration_days("P2W"), Some(14));
        assert_eq!(duration_days("P4DT12H30M5S"), Some(4));
        assert_eq!(duration_days("P1DT48H"), Some(3));
        assert_eq!(duration_days("90 days"), None);
        assert_eq!(duration_days("P9X"), None);
    }

    #[test]
    fn the_strictest_enabled_restriction_counts() {
        let r = |kind: &str, state: Option<&str>, max: Option<&str>| Restriction {
            kind: kind.into(),
            state: state.map(str::to_string),
            max_lifetime: max.map(str::to_string),
        };
        let p = SecretPolicy::of(&[
            r("passwordLifetime", Some("enabled"), Some("P180D")),
            r("passwordLifetime", None, Some("P90D")),
            r("passwordAddition", Some("disabled"), None),
            r("symmetricKeyLifetime", Some("enabled"), Some("P1D")),
        ]);
        assert_eq!(
            p,
            SecretPolicy {
                blocked: false,
                max_days: Some(90)
            }
        );
        assert!(SecretPolicy::of(&[r("passwordAddition", Some("enabled"), None)]).blocked);
    }

    #[test]
    fn an_end_beyond_the_cap_is_refused_with_the_longest_allowed() {
        let p = SecretPolicy {
            blocked: false,
            max_days: Some(90),
        };
        let today = Some(date!(2026 - 12 - 05));
        assert_eq!(limit(Some(&p), "2027-03-04", today), None);
        let l = limit(Some(&p), "2027-06-02", today).unwrap();
        assert_eq!(l.longest.as_deref(), Some("2027-03-04"));
        assert!(l.message(Lang::En).contains("--expires 2027-03-04"));
        assert!(l.message(Lang::De).contains("höchstens 90 Tagen"));
        assert_eq!(limit(None, "2099-01-01", today), None);
        let blocked = SecretPolicy {
            blocked: true,
            max_days: None,
        };
        assert!(limit(Some(&blocked), "2027-01-01", today).unwrap().blocked);
    }
}
