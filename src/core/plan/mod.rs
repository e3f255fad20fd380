//! The registration plan (src/docs/architecture.md, "Plan, then act"): what azreg will write to a tenant, as
//! typed operations, computed from what the record asks for ([`Goal`]), what the record names
//! ([`Recorded`]) and what the tenant holds ([`Tenant`], read first with GETs only).
//!
//! Pure: no I/O, no clock. `apply`, `azreg plan`, `--dry-run`, the walkthrough's overlay and both
//! scripts are renderings of this one type: [`Op::writes`] is the only place a request to
//! Microsoft Graph is spelt out, and the engine sends exactly what it yields.
//!
//! Identity is never a guess: the app is the one the record names (object ID, client ID, the
//! key of azreg's own create), or the one `--adopt` names; a first run that finds an app of
//! the same display name stops ([`Refusal::SameName`]), and a record the signed-in tenant does
//! not match stops before any write.

pub mod answers;
mod build;
pub mod policy;
pub mod record;
mod show;
mod writes;

pub use answers::{Answer, take};
pub use build::build;
pub use show::{Line, refusal_text};
pub use writes::{Ids, Method, Seg, Write};

use crate::core::permissions::{Kind, Permission};

/// Microsoft Graph's appId: the resource of every permission azreg asks for.
pub const GRAPH_APP_ID: &str = crate::core::permissions::GRAPH_APP_ID;

/// What the record asks the tenant to hold for a registration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Desired {
    pub name: String,
    /// `signInAudience`, e.g. `AzureADMyOrg`.
    pub audience: String,
    /// The redirect URIs, each on the platform the procedure names for its field.
    pub redirect_uris: RedirectUris,
    pub permissions: Vec<Permission>,
    /// Grant admin consent (delegated grant and application role assignments).
    pub consent: bool,
    pub secret: SecretSpec,
    /// The portal URL's origin (`https://portal.example.com`): a redirect URI elsewhere is marked.
    pub portal_origin: Option<String>,
}

/// A client secret to ask for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretSpec {
    pub description: String,
    /// The last day it works, `YYYY-MM-DD`.
    pub end: String,
}

/// What a plan is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Goal {
    /// The whole registration: app, service principal, secret, consent.
    Register(Desired),
    /// A new secret for the recorded app, the old one kept (a rotation: Intrexx switches to
    /// the new value, then [`Goal::FinishRotation`] removes the old). With `remove_old`, the
    /// recorded old key is removed in the same run after the new one passed the live check:
    /// the connector stops until Intrexx has the new value (marked).
    Renew {
        secret: SecretSpec,
        remove_old: bool,
    },
    /// The rotation in progress finished: Intrexx uses the new secret (shown or confirmed),
    /// so the old one goes.
    FinishRotation,
}

/// The ids and secret facts the progress file records (never the secret itself).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    pub tenant_id: Option<String>,
    pub client_id: Option<String>,
    pub app_object_id: Option<String>,
    pub sp_object_id: Option<String>,
    /// The key azreg creates its app under (`uniqueName`), saved before the create.
    pub unique_name: Option<String>,
    pub secret_key_id: Option<String>,
    /// The first three characters of the recorded secret value (Graph's `hint`).
    pub secret_hint: Option<String>,
    /// A secret an earlier run asked for and never recorded: its start time.
    pub pending_secret: Option<String>,
    /// The mark that secret carries in its description (well-formed, or none).
    pub pending_marker: Option<String>,
    /// A rotation in progress: the old secret's key id (and hint), kept until Intrexx uses
    /// the new one.
    pub rotation_old: Option<(String, Option<String>)>,
    /// A live check passed with what is recorded.
    pub verified: bool,
}

/// Who is signed in, and to which tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Who {
    /// The signed-in user's principal name; `None` for an app identity or when Graph did not
    /// say. Data, never a sentence: JSON and the journal carry it as it is.
    pub account: Option<String>,
    /// The app's client ID when an app (a service principal) is signed in, not a person.
    pub app_id: Option<String>,
    pub tenant_id: String,
    pub tenant_name: Option<String>,
    /// The signed-in person's object id (`/me`); `None` for an app identity.
    pub user_id: Option<String>,
}

/// A redirect URI platform of an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Platform {
    Web,
    Spa,
    PublicClient,
}

impl Who {
    /// `user`, `app`, or `unknown` (Graph named neither).
    pub fn kind(&self) -> &'static str {
        match (&self.account, &self.app_id) {
            (Some(_), _) => "user",
            (None, Some(_)) => "app",
            (None, None) => "unknown",
        }
    }

    /// The identity as data: the user's principal name, else the app's client ID.
    pub fn id(&self) -> Option<&str> {
        self.account.as_deref().or(self.app_id.as_deref())
    }

    /// The identity for a sentence: "admin@contoso.com", "the app … (a service principal)".
    pub fn shown(&self, lang: crate::i18n::Lang) -> String {
        match (&self.account, &self.app_id) {
            (Some(upn), _) => upn.clone(),
            (None, Some(app)) => crate::tr!(
                lang,
                "the app {app} (a service principal)",
                "die App {app} (ein Dienstprinzipal)",
                app = app
            ),
            (None, None) => crate::i18n::L::new("(unknown account)", "(unbekanntes Konto)")
                .get(lang)
                .to_string(),
        }
    }

    /// `signed_in` of the JSON documents: fields, never a translated sentence.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "kind": self.kind(),
            "account": self.id(),
            "user_principal_name": self.account,
            "app_id": self.app_id,
            "tenant_id": self.tenant_id,
            "tenant_name": self.tenant_name,
        })
    }
}

impl Platform {
    /// Every platform Graph keeps redirect URIs on, in the portal's order.
    pub const ALL: [Platform; 3] = [Platform::Web, Platform::Spa, Platform::PublicClient];

    /// The application property that holds its `redirectUris`.
    pub fn property(self) -> &'static str {
        match self {
            Platform::Web => "web",
            Platform::Spa => "spa",
            Platform::PublicClient => "publicClient",
        }
    }

    /// The platform as the portal names it, in the language.
    pub fn name(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::L;
        match self {
            Platform::Web => "Web",
            Platform::Spa => L::new("Single-page application", "Single-Page-Anwendung").get(lang),
            Platform::PublicClient => L::new(
                "Mobile and desktop applications",
                "Mobile Anwendungen und Desktopanwendungen",
            )
            .get(lang),
        }
    }

    /// The id of doctor's finding on a redirect URI of this platform (`web_uri`, ...).
    pub fn finding_id(self) -> &'static str {
        match self {
            Platform::Web => "web_uri",
            Platform::Spa => "spa_uri",
            Platform::PublicClient => "public_client_uri",
        }
    }

    /// The platform of an application property (`web`, `spa`, `publicClient`).
    pub fn of_property(key: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.property() == key)
    }
}

/// Redirect URIs by platform: what the record asks for, what an app holds, what a plan
/// writes. A platform is a key here, never a field of its own: a third one is data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedirectUris(pub std::collections::BTreeMap<Platform, Vec<String>>);

impl RedirectUris {
    /// The URIs on `platform` (none: empty).
    pub fn on(&self, platform: Platform) -> &[String] {
        self.0.get(&platform).map_or(&[], Vec::as_slice)
    }

    /// Adds `uri` on `platform` (once).
    pub fn add(&mut self, platform: Platform, uri: &str) {
        let list = self.0.entry(platform).or_default();
        if !list.iter().any(|u| u == uri) {
            list.push(uri.to_string());
        }
    }

    /// Sets the URIs of `platform`; an empty list drops it.
    pub fn set(&mut self, platform: Platform, uris: Vec<String>) {
        if uris.is_empty() {
            self.0.remove(&platform);
        } else {
            self.0.insert(platform, uris);
        }
    }

    /// Every (platform, URI), in the platforms' order.
    pub fn iter(&self) -> impl Iterator<Item = (Platform, &String)> {
        self.0
            .iter()
            .flat_map(|(p, list)| list.iter().map(move |u| (*p, u)))
    }

    /// Whether `uri` is on any platform.
    pub fn contains(&self, uri: &str) -> bool {
        self.iter().any(|(_, u)| u == uri)
    }

    /// A URI's platform, when it is on one.
    pub fn platform_of(&self, uri: &str) -> Option<Platform> {
        self.iter().find(|(_, u)| *u == uri).map(|(p, _)| p)
    }
}

/// One of Microsoft Graph's permissions in an app's required access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub id: String,
    pub kind: Kind,
}

impl From<&Permission> for Access {
    fn from(p: &Permission) -> Access {
        Access {
            id: p.id.to_string(),
            kind: p.kind,
        }
    }
}

/// A client secret as Graph lists it (never its value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cred {
    pub key_id: String,
    pub display_name: String,
    pub hint: String,
    pub start: String,
    pub end: String,
}

/// An application as read from Graph, with what a plan needs of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppState {
    pub id: String,
    pub app_id: String,
    pub display_name: String,
    pub audience: String,
    pub redirect_uris: RedirectUris,
    /// Microsoft Graph's part of `requiredResourceAccess`.
    pub graph_access: Vec<Access>,
    /// The other resources' parts, kept as they are (JSON).
    pub other_access: Vec<serde_json::Value>,
    pub creds: Vec<Cred>,
    pub created: Option<String>,
    pub unique_name: Option<String>,
    /// Owners' names (UPN or display name), when read.
    pub owners: Vec<String>,
    /// Owners' object ids, when read.
    pub owner_ids: Vec<String>,
}

/// How the reads found the app the record means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The app the record (or `--adopt`) names.
    App(Box<AppState>),
    /// The record (or `--adopt`) names an app the signed-in tenant does not have.
    Missing(Lookup),
    /// Nothing recorded: a first run, with the apps of the same display name.
    Fresh { same_name: Vec<AppState> },
    /// Only the key of azreg's own create is recorded, and no app has it (yet): the create
    /// is planned again, under the same key, which cannot make a second app.
    Pending,
}

/// A read of the app, in the order [`lookups`] gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    ObjectId(String),
    ClientId(String),
    UniqueName(String),
    /// `--adopt CLIENT_ID`.
    Adopt(String),
    /// Apps of this display name (a first run).
    SameName(String),
}

impl Lookup {
    /// Worth waiting out a "not found" (replication): only for an app azreg itself created.
    pub fn waits(&self, r: &Recorded) -> bool {
        match self {
            Lookup::ObjectId(_) | Lookup::ClientId(_) => r.unique_name.is_some(),
            _ => false,
        }
    }
}

/// The reads that find the app the record means, the first hit winning: the recorded object
/// ID, then the recorded client ID, then azreg's create key; `--adopt` alone when given; apps
/// of the same name only when nothing is recorded. Never by display name alone.
pub fn lookups(r: &Recorded, name: &str, adopt: Option<&str>) -> Vec<Lookup> {
    if let Some(a) = adopt {
        return vec![Lookup::Adopt(a.to_ascii_lowercase())];
    }
    let mut out = Vec::new();
    if let Some(id) = &r.app_object_id {
        out.push(Lookup::ObjectId(id.clone()));
    }
    if let Some(id) = &r.client_id {
        out.push(Lookup::ClientId(id.clone()));
    }
    if let Some(k) = &r.unique_name {
        out.push(Lookup::UniqueName(k.clone()));
    }
    if out.is_empty() {
        out.push(Lookup::SameName(name.to_string()));
    }
    out
}

/// What the reads found when none of `lookups` hit.
pub fn not_found(lookups: &[Lookup]) -> Found {
    match lookups.first() {
        Some(Lookup::SameName(_)) | None => Found::Fresh {
            same_name: Vec::new(),
        },
        Some(Lookup::UniqueName(_)) => Found::Pending,
        Some(first) => Found::Missing(first.clone()),
    }
}

/// The tenant as read before planning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub who: Who,
    pub app: Found,
    /// The app's service principal: its id and whether it is enabled.
    pub sp: Option<(String, bool)>,
    /// Microsoft Graph's own service principal in the tenant (the resource of consent).
    pub graph_sp: Option<String>,
    /// The tenant-wide delegated grant of the app's service principal to Graph: id, scopes.
    pub grant: Option<(String, Vec<String>)>,
    /// App role ids the app's service principal holds on Graph.
    pub roles: Vec<String>,
    /// What the tenant's default app management policy says of client secrets, when it
    /// could be read.
    pub secret_policy: Option<policy::SecretPolicy>,
}

/// The app an operation works on: known, or the one the plan creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppRef {
    Known {
        object_id: String,
        client_id: String,
    },
    New,
}

/// The app's service principal: known, or the one the plan creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpRef {
    Known(String),
    New,
}

/// One change to an existing application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    DisplayName {
        from: String,
        to: String,
    },
    Audience {
        from: String,
        to: String,
    },
    /// A platform's whole list, as Graph replaces it.
    RedirectUris {
        platform: Platform,
        from: Vec<String>,
        to: Vec<String>,
    },
    /// Microsoft Graph's part of the required access; the other resources' stay.
    Permissions {
        from: Vec<Access>,
        to: Vec<Access>,
    },
}

/// Why a secret is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoveWhy {
    /// An earlier run asked for it and was cut off before it saved the value.
    Orphaned,
    /// The renewal's old secret, the key azreg recorded.
    Renewed,
    /// `azreg secrets remove KEYID`: the admin named it.
    Asked,
}

/// One typed operation on the tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Create the application under azreg's key (an upsert: a cut-off run's create is taken).
    CreateApp {
        key: String,
        name: String,
        audience: String,
        redirect_uris: RedirectUris,
        permissions: Vec<Access>,
    },
    UpdateApp {
        object_id: String,
        changes: Vec<Change>,
        /// Other resources' required access, sent back unchanged with a permissions change.
        other_access: Vec<serde_json::Value>,
    },
    CreateServicePrincipal {
        app: AppRef,
    },
    RemoveSecret {
        app: AppRef,
        key_id: String,
        hint: String,
        why: RemoveWhy,
    },
    AddSecret {
        app: AppRef,
        description: String,
        end: String,
    },
    /// Tenant-wide consent to delegated scopes: a new grant, or more scopes on the existing one.
    GrantScopes {
        sp: SpRef,
        graph_sp: String,
        add: Vec<String>,
        existing: Option<(String, Vec<String>)>,
    },
    /// Consent to application permissions: one app role assignment each.
    AssignRoles {
        sp: SpRef,
        graph_sp: String,
        roles: Vec<Access>,
        names: Vec<String>,
    },
    /// Make the signed-in person an owner of the app: administrators are not made owners of
    /// what they create (`applications/create`), and an app without owners needs an
    /// administrator for every change.
    AddOwner {
        app: AppRef,
        /// The person's object id (`/me`) and how they are shown.
        user_id: String,
        user: String,
        /// Microsoft Graph's root (`https://graph.microsoft.com`): the reference names the
        /// person there.
        graph_root: String,
    },
    /// Sign in with the (new) secret at this identity platform host.
    LiveCheck {
        host: String,
    },
    /// `azreg delete`: the app registration (Entra ID keeps it among the deleted applications
    /// for 30 days, where it can be restored).
    DeleteApp {
        object_id: String,
        client_id: String,
        name: String,
    },
}

impl Op {
    /// The part of the procedure this operation stands for (the procedure's `applied`).
    pub fn part(&self) -> Option<&'static str> {
        match self {
            Op::CreateApp { .. } | Op::UpdateApp { .. } => Some("app"),
            Op::AddSecret { .. } => Some("secret"),
            Op::GrantScopes { .. } | Op::AssignRoles { .. } => Some("consent"),
            _ => None,
        }
    }

    /// A short machine name, for the JSON and the journal.
    pub fn kind(&self) -> &'static str {
        match self {
            Op::CreateApp { .. } => "create_app",
            Op::UpdateApp { .. } => "update_app",
            Op::CreateServicePrincipal { .. } => "create_service_principal",
            Op::RemoveSecret { .. } => "remove_secret",
            Op::AddSecret { .. } => "add_secret",
            Op::GrantScopes { .. } => "grant_scopes",
            Op::AssignRoles { .. } => "assign_roles",
            Op::AddOwner { .. } => "add_owner",
            Op::LiveCheck { .. } => "live_check",
            Op::DeleteApp { .. } => "delete_app",
        }
    }
}

/// Something in a plan an admin should look at before saying yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// An application permission: the app acts on its own, tenant-wide.
    ApplicationPermission(String),
    /// A delegated permission Intrexx does not document for the connector (as far as known).
    BeyondConnector(String),
    /// A redirect URI on another origin than the portal URL's.
    ForeignOrigin(String),
    /// The new secret is sent to this host, named by a file, not by the command line, and not
    /// Microsoft's identity platform of the cloud in use.
    SecretToHost(String),
    /// The secret removed is the one the record (and so Intrexx) uses.
    RecordedSecret,
    /// Deleting the app ends every sign-in of the connector.
    EndsConnector,
    /// The old secret goes in the run that adds the new one: the connector stops until
    /// Intrexx has the new value.
    StopsConnector,
}

/// A fact a plan reports without changing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A redirect URI on the app that azreg did not put there (marked: it stays).
    ForeignUri { uri: String, platform: Platform },
    /// A permission of Graph on the app that the record does not ask for (it stays).
    ExtraPermission(String),
    /// The recorded secret is on the app.
    SecretInPlace { hint: String, end: String },
    /// The service principal is disabled: sign-ins fail until it is enabled.
    SpDisabled,
    /// `--remove-old` found no recorded old key on the app.
    NothingToRemove,
    /// The renewal keeps the old secret until Intrexx uses the new one (a rotation).
    KeepsOld { hint: String },
    /// A rotation is in progress and not shown finished: its old secret stays.
    RotationOpen { hint: String },
    /// A secret that starts when a cut-off run's did but lacks its mark: reported, never
    /// removed (it may be someone's own).
    Unproven { hint: String, key_id: String },
    /// The progress file calls this secret a cut-off run's, but it is the recorded one (or the
    /// app's only valid one): the claim is not taken, nothing is removed.
    ClaimRefused { hint: String, key_id: String },
}

impl Note {
    pub fn marked(&self) -> bool {
        matches!(
            self,
            Note::ForeignUri { .. }
                | Note::SpDisabled
                | Note::Unproven { .. }
                | Note::ClaimRefused { .. }
        )
    }
}

/// An operation with what an admin should look at in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub op: Op,
    pub marks: Vec<Mark>,
}

/// The plan: who and where, the operations in order, and what was found but stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub who: Who,
    /// Microsoft Graph's host the writes go to.
    pub graph_host: String,
    /// The existing app the plan works on (object ID, client ID) and its service principal,
    /// recorded before the first write: a cut-off run's successor finds them.
    pub app: Option<(String, String)>,
    pub sp: Option<String>,
    pub steps: Vec<Step>,
    pub notes: Vec<Note>,
    /// Azure's end of the recorded secret in use, as read (RFC 3339): kept in the record.
    pub in_use_end: Option<String>,
}

impl Plan {
    /// Nothing is written.
    pub fn writes_nothing(&self) -> bool {
        self.steps
            .iter()
            .all(|s| matches!(s.op, Op::LiveCheck { .. }))
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    pub fn marked(&self) -> usize {
        self.steps.iter().map(|s| s.marks.len()).sum::<usize>()
            + self.notes.iter().filter(|n| n.marked()).count()
    }

    /// Every write in order, ids not yet known as placeholders.
    pub fn writes(&self, ids: &Ids) -> Vec<Write> {
        self.steps.iter().flat_map(|s| s.op.writes(ids)).collect()
    }
}

/// One write as it went, for the journal (never a body: a secret may be in an answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Who was signed in (the user's principal name, or the app's client ID when `app`), and
    /// to which tenant.
    pub account: Option<String>,
    pub app: bool,
    pub tenant: String,
    pub op: &'static str,
    pub method: &'static str,
    pub path: String,
    /// The last HTTP status (`None`: no answer).
    pub status: Option<u16>,
    /// `done`, `exists` (taken as done after a read), or `failed`.
    pub result: &'static str,
    pub code: Option<String>,
    pub attempts: u32,
}

/// Why no plan was made: azreg will not guess which app, or where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The record's tenant is not the signed-in one.
    TenantMismatch { recorded: String, who: Box<Who> },
    /// The record (or `--adopt`) names an app the signed-in tenant does not have.
    AppMissing { lookup: Lookup, who: Box<Who> },
    /// A first run found apps of the same display name.
    SameName { name: String, apps: Vec<AppState> },
    /// The app found by the recorded object ID has another client ID than the recorded one.
    Inconsistent { found: String, recorded: String },
    /// The tenant has no service principal for Microsoft Graph (consent impossible).
    NoGraph,
    /// The tenant's app management policy refuses the secret as asked.
    SecretPolicy(policy::PolicyLimit),
}

/// Where the live check goes, and whether the admin must be asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub host: String,
    /// Microsoft's identity platform of the cloud in use, or named on the command line.
    pub trusted: bool,
}

/// The choices the front end makes for a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The key for a new app when none is recorded (`azreg-<GUID>`, made by the caller).
    pub new_key: String,
    /// Add a secret although the recorded one is in place.
    pub new_secret: bool,
    /// Create a new app although the record names one this tenant does not have.
    pub new_app: bool,
    /// Whether the plan ends with the live check, and where.
    pub check: Option<Check>,
    /// `--adopt CLIENT_ID`: take over this app explicitly (the record's ids are replaced,
    /// the earlier ones kept in the history).
    pub adopt: Option<String>,
    /// Microsoft Graph's root the plan is for (`https://graph.microsoft.com`); empty: no
    /// owner is added (a script's plan, which does not know who runs it).
    pub graph_root: String,
    /// Today, for a secret's lifetime under the tenant's policy (`None`: not checked).
    pub today: Option<time::Date>,
    /// Graph's credential activity report shows Intrexx on the rotation's new secret: a
    /// registration's plan removes the old one (the rotation ends).
    pub finish_rotation: bool,
}

/// What a script puts where it reads or is handed an id when it runs.
pub mod token {
    pub const OBJECT_ID: &str = "@OBJECT_ID@";
    pub const CLIENT_ID: &str = "@CLIENT_ID@";
    pub const SP_ID: &str = "@SP_ID@";
    pub const GRAPH_SP: &str = "@GRAPH_SP@";
    pub const NOW: &str = "@NOW@";
    pub const MARKER: &str = "@MARKER@";
    /// A secret an earlier run of the same script made (its key id).
    pub const OLD_KEY: &str = "@OLD_KEY@";
}

/// The plan a script carries: what `build` plans for a tenant the script reads only when it
/// runs, which holds the app the record names (or none) and nothing else. The script does each
/// operation only where its own reads find it needed, with the ids it reads as [`token`]s.
pub fn for_script(goal: &Goal, r: &Recorded, key: &str) -> Plan {
    let app = match &r.client_id {
        Some(c) => Found::App(Box::new(AppState {
            id: token::OBJECT_ID.into(),
            app_id: c.clone(),
            ..AppState::default()
        })),
        None => Found::Pending,
    };
    let t = Tenant {
        who: Who::default(),
        app,
        sp: None,
        graph_sp: Some(token::GRAPH_SP.into()),
        grant: None,
        roles: Vec::new(),
        secret_policy: None,
    };
    let r = Recorded {
        tenant_id: None,
        secret_hint: None,
        secret_key_id: None,
        pending_secret: None,
        pending_marker: None,
        verified: true,
        ..r.clone()
    };
    let o = Options {
        new_key: key.to_string(),
        adopt: r.client_id.clone(),
        ..Options::default()
    };
    build(goal, &r, &t, &o).unwrap_or_else(|_| Plan {
        who: Who::default(),
        graph_host: String::new(),
        app: None,
        sp: None,
        steps: Vec::new(),
        notes: Vec::new(),
        in_use_end: None,
    })
}

/// The ids a script substitutes at run time.
pub fn script_ids() -> Ids {
    Ids {
        object_id: Some(token::OBJECT_ID.into()),
        client_id: Some(token::CLIENT_ID.into()),
        sp_id: Some(token::SP_ID.into()),
        start: Some(token::NOW.into()),
        marker: Some(token::MARKER.into()),
    }
}

/// `https://host[:port]` of a URI.
pub fn origin_of(uri: &str) -> Option<String> {
    let u = url::Url::parse(uri).ok()?;
    match u.origin() {
        url::Origin::Tuple(..) => Some(u.origin().ascii_serialization()),
        url::Origin::Opaque(_) => None,
    }
}

#[cfg(test)]
pub(crate) mod tests;

mod cleanup;
pub use cleanup::{Cleanup, delete_app, remove_secret, secret_in_use};
