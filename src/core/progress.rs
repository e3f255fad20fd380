//! Progress: what the user did and entered, by id. Pure data; `store` reads and writes it.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use toml::value::Datetime;

use crate::core::fields::Values;

/// The progress file's schema version this build writes. 2 added `secret_key_id` and
/// `[[renewals]]`; 3 the `[[history]]` of replaced values and `earlier_secrets`. Older files
/// read as they are.
pub const VERSION: u32 = 3;

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
    /// The random mark that secret carries in its description (`… (azreg-<12 hex>)`), saved
    /// with its start: only a credential with both is the cut-off run's own and is removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_marker: Option<String>,
    /// The secret in use as Azure last showed it (`azreg doctor`, `check --online`): its end
    /// there can differ from the expiry the admin typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_secret: Option<AzureSecret>,
    /// Entered values by field id. Derived values are not stored.
    #[serde(default)]
    pub values: Values,
    /// Each renewal of the client secret: dates only, never a value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renewals: Vec<Renewal>,
    /// Recorded ids and secrets that were replaced or removed: nothing recorded is lost.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Earlier>,
    /// Earlier client secret values, kept until a live check passed with the current one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier_secrets: Vec<String>,
    /// A rotation of the client secret in progress: the new secret is recorded, the old one
    /// stays on the app until Intrexx is known to use the new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<Rotation>,
    /// When `azreg delete` deleted the recorded app registration (its ids are in the
    /// history): nothing of it is to renew or check any more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_deleted: Option<Datetime>,
}

/// A secret rotation in progress (no downtime: the old secret works until it is removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rotation {
    /// When the new secret was added.
    pub since: Datetime,
    /// The old secret's key id (Graph's) and its first three characters, when known.
    pub old_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_hint: Option<String>,
}

/// The secret in use, as read from Azure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AzureSecret {
    /// Graph's `endDateTime` of the password credential, as read (RFC 3339).
    pub end: String,
    /// When azreg read it.
    pub read: Datetime,
}

/// A recorded value that was replaced or removed, for the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Earlier {
    pub at: Datetime,
    /// What replaced it: `set`, `import`, `apply`, `walkthrough`, `renew`, ...
    pub source: String,
    /// The field id, or the progress file's key (`app_object_id`, ...).
    pub field: String,
    /// The earlier value; for a client secret not the value but its first three characters
    /// (`hint`), the value itself staying in `earlier_secrets` until the new one is proved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// The recorded values whose loss would hurt: never replaced or dropped without a trace.
pub const IDENTITY_VALUES: [&str; 3] = ["tenant_id", "client_id", "client_secret"];

/// The field ids azreg treats as a client secret, whatever a procedure file calls them.
pub const SECRET_FIELDS: [&str; 2] = ["client_secret", "new_client_secret"];

/// The ids the progress file records outside `values`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    AppObject,
    ServicePrincipal,
    SecretKey,
    UniqueName,
}

impl Slot {
    pub const ALL: [Slot; 4] = [
        Slot::AppObject,
        Slot::ServicePrincipal,
        Slot::SecretKey,
        Slot::UniqueName,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Slot::AppObject => "app_object_id",
            Slot::ServicePrincipal => "sp_object_id",
            Slot::SecretKey => "secret_key_id",
            Slot::UniqueName => "app_unique_name",
        }
    }
}

/// A client secret's hint, as Graph shows it: its first three characters.
pub fn hint(secret: &str) -> String {
    secret.chars().take(3).collect()
}

impl Rotation {
    /// The old secret's hint as said to the admin: the recorded one when a secret could have
    /// it (at most three characters of a secret's alphabet), else "?" (the file is outside
    /// text, and this goes to terminals).
    pub fn hint_shown(&self) -> String {
        self.old_hint
            .as_deref()
            .filter(|h| {
                !h.is_empty()
                    && h.chars().count() <= 3
                    && h.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '~' | '-'))
            })
            .unwrap_or("?")
            .to_string()
    }
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
    /// Azure's end of the replaced secret (RFC 3339), when azreg had read it: it goes with the
    /// secret into the history instead of being dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_end_azure: Option<String>,
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
            pending_marker: None,
            azure_secret: None,
            values: Values::new(),
            renewals: Vec::new(),
            history: Vec::new(),
            earlier_secrets: Vec::new(),
            rotation: None,
            app_deleted: None,
        }
    }

    /// Set a value (`None` or empty clears it). A recorded identity value it replaces or
    /// clears goes into the history (a secret by its hint, its value kept in
    /// `earlier_secrets` until the new one is proved). Whether anything changed.
    pub fn put_value(
        &mut self,
        field: &str,
        value: Option<String>,
        source: &str,
        at: Datetime,
    ) -> bool {
        let value = value.filter(|v| !v.is_empty());
        let before = self.values.get(field).cloned();
        if before == value {
            return false;
        }
        if let Some(old) = before
            && IDENTITY_VALUES.contains(&field)
        {
            self.keep(field, old, source, at);
        }
        match value {
            Some(v) => self.values.insert(field.to_string(), v),
            None => self.values.remove(field),
        };
        true
    }

    /// Set one of the recorded ids (`None` clears it); the one it replaces goes into the
    /// history.
    pub fn put_id(&mut self, slot: Slot, value: Option<String>, source: &str, at: Datetime) {
        let place = self.slot(slot);
        if *place == value {
            return;
        }
        let old = std::mem::replace(place, value);
        if let Some(old) = old {
            self.keep(slot.key(), old, source, at);
        }
    }

    pub fn slot(&mut self, slot: Slot) -> &mut Option<String> {
        match slot {
            Slot::AppObject => &mut self.app_object_id,
            Slot::ServicePrincipal => &mut self.sp_object_id,
            Slot::SecretKey => &mut self.secret_key_id,
            Slot::UniqueName => &mut self.app_unique_name,
        }
    }

    fn keep(&mut self, field: &str, old: String, source: &str, at: Datetime) {
        let secret = SECRET_FIELDS.contains(&field);
        self.history.push(Earlier {
            at,
            source: source.to_string(),
            field: field.to_string(),
            hint: secret.then(|| hint(&old)),
            old: (!secret).then_some(old.clone()),
        });
        if secret && !self.earlier_secrets.contains(&old) {
            self.earlier_secrets.push(old);
        }
    }

    /// A live check passed with the recorded secret: the earlier values are not needed now.
    pub fn proved(&mut self, at: Datetime) {
        self.last_verified = Some(at);
        self.earlier_secrets.clear();
    }

    pub fn is_done(&self, step_id: &str) -> bool {
        self.done.contains_key(step_id)
    }
}

/// The values `azreg apply` learns from Microsoft Graph.
pub const APPLIED_VALUES: [&str; 3] = ["tenant_id", "client_id", "client_secret"];

/// Why the progress could not be saved (the file is left as it was).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsaved {
    /// Writing the file failed: the system's reason.
    Write(String),
    /// The original of a migrated file could not be kept as a backup.
    Backup(String),
    /// A run's save found no walkthrough to take it (it had ended).
    Gone,
}

impl crate::i18n::Worded for Unsaved {
    /// Why, without the file: for a screen that says "not saved" already.
    fn message(&self, lang: crate::i18n::Lang) -> String {
        match self {
            // The system's words, as they come ("No space left on device").
            Unsaved::Write(e) => e.clone(),
            Unsaved::Backup(e) => crate::tr!(
                lang,
                "cannot keep a backup of the old file: {e}",
                "keine Sicherung der alten Datei möglich: {e}",
                e = e,
            ),
            Unsaved::Gone => crate::tr!(
                lang,
                "the walkthrough ended before it saved",
                "der Durchgang endete, bevor er speicherte"
            ),
        }
    }
}

#[cfg(test)]
impl crate::i18n::Samples for Unsaved {
    fn samples() -> Vec<Self> {
        // `Write` is left out: it is the system's own words.
        vec![
            Unsaved::Backup("Permission denied (os error 13)".into()),
            Unsaved::Gone,
        ]
    }
}

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
            .field("history", &self.history.len())
            .finish()
    }
}

/// A time before any real one, until the clock is read (`io::clock`).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rotation_shows_only_a_hint_a_secret_could_have() {
        let mut rot = Rotation {
            since: "2026-12-01T00:00:00Z".parse().unwrap(),
            old_key: "0b1c2d3e-1111-2222-3333-444455556666".into(),
            old_hint: Some("s1~".into()),
        };
        assert_eq!(rot.hint_shown(), "s1~");
        for bad in ["a\u{1b}[", "abcd", "", "a\u{202e}"] {
            rot.old_hint = Some(bad.into());
            assert_eq!(rot.hint_shown(), "?", "{bad:?}");
        }
        rot.old_hint = None;
        assert_eq!(rot.hint_shown(), "?");
    }

    #[test]
    fn debug_hides_values() {
        let mut p = Progress::new("x");
        p.values
            .insert("client_secret".into(), "abc8Q~topsecret".into());
        assert!(!format!("{p:?}").contains("topsecret"));
    }

    #[test]
    fn replaced_identity_values_are_kept_and_a_secret_by_its_hint() {
        let mut p = Progress::new("x");
        let at = EPOCH;
        assert!(p.put_value("client_id", Some("a".into()), "set", at));
        assert!(!p.put_value("client_id", Some("a".into()), "set", at));
        assert!(p.history.is_empty(), "nothing replaced yet");
        p.put_value("client_id", Some("b".into()), "apply", at);
        p.put_value("client_id", None, "walkthrough", at);
        let olds: Vec<_> = p.history.iter().map(|e| e.old.as_deref()).collect();
        assert_eq!(olds, [Some("a"), Some("b")]);
        assert_eq!(p.history[0].source, "apply");
        p.put_value("client_secret", Some("abc8Q~one".into()), "set", at);
        p.put_value("client_secret", Some("xyz8Q~two".into()), "apply", at);
        let last = p.history.last().unwrap();
        assert_eq!(last.hint.as_deref(), Some("abc"));
        assert_eq!(last.old, None, "never the value in the history");
        assert_eq!(p.earlier_secrets, ["abc8Q~one"]);
        p.proved(at);
        assert!(p.earlier_secrets.is_empty());
        // Other values are not identity: no history.
        p.put_value("app_name", Some("x".into()), "set", at);
        p.put_value("app_name", Some("y".into()), "set", at);
        assert_eq!(p.history.len(), 3);
        p.put_id(Slot::AppObject, Some("o1".into()), "apply", at);
        p.put_id(Slot::AppObject, Some("o2".into()), "apply", at);
        assert_eq!(p.history.last().unwrap().field, "app_object_id");
        assert_eq!(p.history.last().unwrap().old.as_deref(), Some("o1"));
    }
}
