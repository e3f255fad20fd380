//! Progress: what the user did and entered, by id. Pure data; `store` reads and writes it.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use toml::value::Datetime;

use crate::fields::Values;

/// The progress file's schema version this build writes. 2 added `secret_key_id` and
/// `[[renewals]]`; a version 1 file reads as it is.
pub const VERSION: u32 = 2;

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// Schema version of the file.
    pub version: u32,
    /// The `id` of the procedure the marks belong to.
    #[serde(default)]
    pub procedure: String,
    /// The entry (step id) the user was on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    /// Done steps: id to the time it was marked. Ids the procedure does not know are kept.
    #[serde(default)]
    pub done: BTreeMap<String, Datetime>,
    /// The identity platform's authority, for national clouds; the global one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// When the live check last proved tenant, client ID and secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_verified: Option<Datetime>,
    /// The `keyId` of the client secret a script of azreg created (Graph's id of the
    /// password credential): the one key a renewal may later remove, never another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_key_id: Option<String>,
    /// Graph's object ids of what `azreg apply` made: the application and its service
    /// principal, looked up first when apply runs again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_object_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sp_object_id: Option<String>,
    /// The key `apply` creates its application under (Graph's `uniqueName`), saved before the
    /// create: a run cut off before it learned the new object's id upserts by the same key and
    /// so can never make a second application, however late Graph lists the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_unique_name: Option<String>,
    /// A secret `apply` asked Graph for and has not yet recorded (its start time): should azreg
    /// end before the value is saved, the next run finds it by this and removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_secret: Option<String>,
    /// Entered values by field id. Derived values are not stored.
    #[serde(default)]
    pub values: Values,
    /// Each renewal of the client secret: dates only, never a value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renewals: Vec<Renewal>,
}

/// One renewal of the client secret, for the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renewal {
    /// The day the new secret was taken in (YYYY-MM-DD).
    pub on: String,
    /// The old secret's expiry, if one was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_expiry: Option<String>,
    /// The new secret's expiry.
    pub new_expiry: String,
}

impl Progress {
    pub fn new(procedure_id: &str) -> Self {
        Self {
            version: VERSION,
            procedure: procedure_id.to_string(),
            current: None,
            done: BTreeMap::new(),
            authority: None,
            last_verified: None,
            secret_key_id: None,
            app_object_id: None,
            app_unique_name: None,
            sp_object_id: None,
            pending_secret: None,
            values: Values::new(),
            renewals: Vec::new(),
        }
    }

    pub fn is_done(&self, step_id: &str) -> bool {
        self.done.contains_key(step_id)
    }

    /// Take in what a run of `azreg apply` recorded (`from`, which started as a copy of this):
    /// the values and object ids it sets, and the steps it ticked. Anything else the user
    /// changed meanwhile (other values, marks, the current step) stays.
    pub fn take_applied(&mut self, from: &Progress) {
        for id in APPLIED_VALUES {
            if let Some(v) = from.values.get(id) {
                self.values.insert(id.to_string(), v.clone());
            }
        }
        self.app_object_id.clone_from(&from.app_object_id);
        self.app_unique_name.clone_from(&from.app_unique_name);
        self.sp_object_id.clone_from(&from.sp_object_id);
        self.secret_key_id.clone_from(&from.secret_key_id);
        self.pending_secret.clone_from(&from.pending_secret);
        for (id, at) in &from.done {
            self.done.entry(id.clone()).or_insert(*at);
        }
    }
}

/// The values `azreg apply` learns from Microsoft Graph.
pub const APPLIED_VALUES: [&str; 3] = ["tenant_id", "client_id", "client_secret"];

/// Never prints values: one of them is the client secret.
impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Progress")
            .field("version", &self.version)
            .field("procedure", &self.procedure)
            .field("current", &self.current)
            .field("done", &self.done.keys().collect::<Vec<_>>())
            .field("authority", &self.authority)
            .field("last_verified", &self.last_verified)
            .field("values", &self.values.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The current time as a TOML datetime (RFC 3339, UTC, whole seconds).
/// A time before any real one, until the clock is read.
pub const EPOCH: Datetime = Datetime {
    date: Some(toml::value::Date {
        year: 1970,
        month: 1,
        day: 1,
    }),
    time: Some(toml::value::Time {
        hour: 0,
        minute: 0,
        second: Some(0),
        nanosecond: None,
    }),
    offset: Some(toml::value::Offset::Z),
};

pub fn now() -> Datetime {
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let text = now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into());
    text.parse()
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".parse().expect("constant datetime"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_values() {
        let mut p = Progress::new("x");
        p.values
            .insert("client_secret".into(), "abc8Q~topsecret".into());
        assert!(!format!("{p:?}").contains("topsecret"));
    }

    #[test]
    fn taking_in_an_apply_keeps_what_the_user_did_meanwhile() {
        let mut mine = Progress::new("x");
        mine.values.insert("app_name".into(), "Portal".into());
        let mut applied = mine.clone();
        mine.values.insert("app_name".into(), "Portal 2".into());
        mine.done.insert("sign-in".into(), EPOCH);
        mine.current = Some("step-9".into());
        applied.values.insert("client_id".into(), "c".into());
        applied.values.insert("client_secret".into(), "s".into());
        applied.app_object_id = Some("o".into());
        applied.pending_secret = None;
        applied.done.insert("register".into(), now());
        mine.take_applied(&applied);
        assert_eq!(mine.values["app_name"], "Portal 2", "the user's edit stays");
        assert_eq!(mine.values["client_id"], "c");
        assert_eq!(mine.values["client_secret"], "s");
        assert_eq!(mine.app_object_id.as_deref(), Some("o"));
        assert!(mine.is_done("sign-in") && mine.is_done("register"));
        assert_eq!(mine.current.as_deref(), Some("step-9"));
    }

    #[test]
    fn now_is_rfc3339_utc() {
        let s = now().to_string();
        assert!(s.ends_with('Z') && s.contains('T'), "{s}");
    }
}
