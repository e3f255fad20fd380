//! What a procedure declares about a field: its kind and the rules it follows.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Values as stored in the progress file: field id to value.
pub type Values = BTreeMap<String, String>;

/// The platforms Microsoft Graph keeps redirect URIs on: `web`, `spa`, `publicClient`.
pub const GRAPH_PLATFORMS: [&str; 3] = ["web", "spa", "publicClient"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Url,
    Text,
    Choice,
    Date,
    Guid,
    Secret,
    /// Microsoft Graph permissions, checked against the bundled catalogue (`permissions.rs`).
    Permissions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UrlRole {
    /// A portal's base URL: no redirect paths, no query.
    Base,
    /// A redirect URI registered in Entra ID.
    Redirect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Charset {
    /// ASCII letters and digits only (the Intrexx rule for registration names).
    Alnum,
}

/// Where a value goes, for the summary card (in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Destination {
    /// Entered in Intrexx (from Azure).
    Intrexx,
    /// Entered in Azure (from Intrexx).
    Azure,
    /// Not entered anywhere: kept for the admin's record (the secret's expiry).
    Record,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
    /// A short mark such as "typical".
    #[serde(default)]
    pub note: Option<String>,
}

/// A field as declared in the procedure file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub id: String,
    pub kind: FieldKind,
    pub label: String,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub url_role: Option<UrlRole>,
    /// The Azure platform a redirect URI belongs to (shown on the summary).
    #[serde(default)]
    pub platform: Option<String>,
    /// The application property a redirect URI goes to in Microsoft Graph (one of
    /// [`GRAPH_PLATFORMS`]): the platform as data, for the plan, the doctor and the scripts.
    #[serde(default)]
    pub graph_platform: Option<String>,
    /// A template such as `{portal_url}/oauth2callback.html`.
    #[serde(default)]
    pub derive: Option<String>,
    /// The path must contain this, followed by the value of `path_rest_field`.
    #[serde(default)]
    pub path_prefix: Option<String>,
    #[serde(default)]
    pub path_rest_field: Option<String>,
    #[serde(default)]
    pub path_suffix: Option<String>,
    /// A different host than this field's is a warning.
    #[serde(default)]
    pub same_host_as: Option<String>,
    /// Equal to this field's value is an error.
    #[serde(default)]
    pub distinct_from: Option<String>,
    #[serde(default)]
    pub distinct_message: Option<String>,
    #[serde(default)]
    pub charset: Option<Charset>,
    #[serde(default)]
    pub options: Vec<ChoiceOption>,
    /// Date fields: presets in days from today.
    #[serde(default)]
    pub presets: Vec<u32>,
    #[serde(default)]
    pub recommended: Option<u32>,
    /// Listed on the summary card under this destination.
    #[serde(default)]
    pub goes_to: Option<Destination>,
    /// The value until the user enters one (e.g. `User.Read`, which the portal preselects).
    #[serde(default)]
    pub default: Option<String>,
    /// Once every step of the procedure is done, this value takes the place of the named
    /// field's (the renewal: the new secret replaces the old).
    #[serde(default)]
    pub replaces: Option<String>,
}

impl FieldSpec {
    /// A value as people read it: a choice by its option's label (`yes` as "Yes, grant it",
    /// `AzureADMyOrg` as "Accounts in this organizational directory only"), else as it is.
    pub fn shown<'a>(&'a self, value: &'a str) -> &'a str {
        self.options
            .iter()
            .find(|o| o.value == value)
            .map_or(value, |o| o.label.as_str())
    }

    /// Ids of the other fields this one refers to.
    pub fn references(&self) -> Vec<&str> {
        let mut refs: Vec<&str> = self.derive.as_deref().map(placeholders).unwrap_or_default();
        refs.extend(
            [
                &self.path_rest_field,
                &self.same_host_as,
                &self.distinct_from,
            ]
            .into_iter()
            .filter_map(|r| r.as_deref()),
        );
        refs
    }

    /// A secret by its kind, or by its id whatever a procedure file says (the loader refuses
    /// another kind for those ids as well).
    pub fn is_secret(&self) -> bool {
        self.kind == FieldKind::Secret
            || crate::core::progress::SECRET_FIELDS.contains(&self.id.as_str())
    }

    /// Whether editing this field starts with a picker rather than a text line.
    pub fn is_picked(&self) -> bool {
        self.kind == FieldKind::Choice || (self.kind == FieldKind::Date && !self.presets.is_empty())
    }
}

/// The `{name}` placeholders of a template.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    out
}
