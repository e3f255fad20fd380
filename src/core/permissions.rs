//! Microsoft Graph permissions: the bundled catalogue (`assets/graph-permissions.tsv`, a copy of
//! Microsoft's generated table of permission ids) and the list a user chooses from it.
//!
//! A list is written as names separated by commas or spaces; a name is Delegated unless it
//! carries `:Application` (or `:A`); a name Microsoft Graph has only as an application
//! permission is taken as one. Stored form: `User.Read, Chat.Read.All:Application`.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::i18n::{L, Lang};
use crate::tr;

/// Microsoft Graph's appId: the `resourceAppId` of every permission here.
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

const CATALOGUE: &str = include_str!("../../assets/graph-permissions.tsv");
/// The permissions Intrexx documents for the connector (a partial list: see the file).
const CONNECTOR: &str = include_str!("../../assets/connector-permissions.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Acts as a signed-in user (`type: Scope` in `requiredResourceAccess`).
    Delegated,
    /// Acts as the app itself (`type: Role`); always needs admin consent.
    Application,
}

impl Kind {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Kind::Delegated => L::new("Delegated", "Delegiert").get(lang),
            Kind::Application => L::new("Application", "Anwendung").get(lang),
        }
    }
}

/// One chosen permission with its id from the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permission {
    pub name: &'static str,
    pub kind: Kind,
    pub id: &'static str,
}

struct Catalogue {
    /// (name, kind) to id.
    ids: HashMap<(&'static str, Kind), &'static str>,
    /// Lower-case name to the catalogue's spelling, for "did you mean".
    by_lower: HashMap<String, &'static str>,
}

fn catalogue() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(|| {
        let mut ids = HashMap::new();
        let mut by_lower = HashMap::new();
        for line in CATALOGUE.lines().skip(1) {
            let mut cols = line.split('\t');
            let (Some(name), Some(kind), Some(id)) = (cols.next(), cols.next(), cols.next()) else {
                continue;
            };
            let kind = if kind == "Application" {
                Kind::Application
            } else {
                Kind::Delegated
            };
            ids.insert((name, kind), id);
            by_lower.insert(name.to_ascii_lowercase(), name);
        }
        Catalogue { ids, by_lower }
    })
}

/// The id of a permission, if Microsoft Graph has it in that kind.
pub fn id_of(name: &str, kind: Kind) -> Option<&'static str> {
    catalogue().ids.get(&(name, kind)).copied()
}

/// The name of a permission by its id and kind, if the catalogue has it.
pub fn name_of(id: &str, kind: Kind) -> Option<&'static str> {
    catalogue()
        .ids
        .iter()
        .find(|((_, k), v)| *k == kind && v.eq_ignore_ascii_case(id))
        .map(|((n, _), _)| *n)
}

/// Whether Intrexx documents this permission for the connector (`assets/connector-permissions.tsv`,
/// the rows that could be read). A plan marks the others for a second look.
pub fn documented_for_connector(name: &str, kind: Kind) -> bool {
    CONNECTOR
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some((cols.next()?, cols.next()?))
        })
        .any(|(n, k)| n == name && parse_kind(k) == Some(kind))
}

/// How many permissions the catalogue holds (both kinds).
pub fn catalogue_len() -> usize {
    catalogue().ids.len()
}

fn parse_kind(s: &str) -> Option<Kind> {
    match s.to_ascii_lowercase().as_str() {
        "d" | "delegated" | "delegiert" | "scope" => Some(Kind::Delegated),
        "a" | "application" | "anwendung" | "app" | "role" => Some(Kind::Application),
        _ => None,
    }
}

/// What is wrong with an entry of a permission list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListProblem {
    /// The type after ":" is neither delegated nor application.
    BadKind {
        token: String,
    },
    Unknown {
        name: String,
    },
    /// Names are case-sensitive in Azure.
    Case {
        name: String,
        canonical: &'static str,
    },
    /// No permission of this name and kind.
    NoSuchKind {
        canonical: &'static str,
        kind: Kind,
    },
}

impl crate::i18n::Worded for ListProblem {
    fn message(&self, lang: Lang) -> String {
        match self {
            ListProblem::BadKind { token } => tr!(
                lang,
                "{token}: the type after \":\" is Delegated or Application",
                "{token}: der Typ nach „:“ ist Delegated (delegiert) oder Application (Anwendung)",
                token = token,
            ),
            ListProblem::Unknown { name } => tr!(
                lang,
                "{name}: Microsoft Graph has no permission of this name (see the list on Intrexx's page \"API permissions for the Connector for Microsoft 365 and Teams\")",
                "{name}: Microsoft Graph hat keine Berechtigung dieses Namens (siehe die Liste auf der Intrexx-Seite „API-Berechtigungen für den Connector für Microsoft 365 und Teams“)",
                name = name,
            ),
            ListProblem::Case { name, canonical } => tr!(
                lang,
                "{name}: write it as {canonical} (permission names are case-sensitive in Azure)",
                "{name}: schreiben Sie {canonical} (Berechtigungsnamen unterscheiden in Azure Groß- und Kleinschreibung)",
                name = name,
                canonical = canonical,
            ),
            ListProblem::NoSuchKind { canonical, kind } => tr!(
                lang,
                "{canonical}: Microsoft Graph has no {k} permission of this name",
                "{canonical}: Microsoft Graph hat keine Berechtigung vom Typ {k} mit diesem Namen",
                canonical = canonical,
                k = kind.label(lang),
            ),
        }
    }
}

#[cfg(test)]
impl crate::i18n::Samples for ListProblem {
    fn samples() -> Vec<Self> {
        vec![
            ListProblem::BadKind {
                token: "X:Q".into(),
            },
            ListProblem::Unknown {
                name: "User.Reed".into(),
            },
            ListProblem::Case {
                name: "user.read".into(),
                canonical: "User.Read",
            },
            ListProblem::NoSuchKind {
                canonical: "User.Read",
                kind: Kind::Application,
            },
        ]
    }
}

/// Parse a list; every problem is reported, each naming the entry.
pub fn parse(text: &str) -> Result<Vec<Permission>, Vec<ListProblem>> {
    let c = catalogue();
    let mut out: Vec<Permission> = Vec::new();
    let mut problems = Vec::new();
    for token in text
        .split(|ch: char| ch == ',' || ch == ';' || ch.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        let (name, kind) = match token.split_once(':') {
            Some((n, k)) => match parse_kind(k) {
                Some(k) => (n, Some(k)),
                None => {
                    problems.push(ListProblem::BadKind {
                        token: token.to_string(),
                    });
                    continue;
                }
            },
            None => (token, None),
        };
        let Some(&canonical) = c.by_lower.get(&name.to_ascii_lowercase()) else {
            problems.push(ListProblem::Unknown {
                name: name.to_string(),
            });
            continue;
        };
        if canonical != name {
            problems.push(ListProblem::Case {
                name: name.to_string(),
                canonical,
            });
            continue;
        }
        let kind = kind.unwrap_or(if c.ids.contains_key(&(canonical, Kind::Delegated)) {
            Kind::Delegated
        } else {
            Kind::Application
        });
        let Some(&id) = c.ids.get(&(canonical, kind)) else {
            problems.push(ListProblem::NoSuchKind { canonical, kind });
            continue;
        };
        if !out.iter().any(|p| p.name == canonical && p.kind == kind) {
            out.push(Permission {
                name: canonical,
                kind,
                id,
            });
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The stored form of a list: `User.Read, Chat.Read.All:Application`.
pub fn format(list: &[Permission]) -> String {
    list.iter()
        .map(|p| match p.kind {
            Kind::Delegated => p.name.to_string(),
            Kind::Application => format!("{}:Application", p.name),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Names of the delegated ones, space-separated: the `scope` of an `oauth2PermissionGrant`.
pub fn delegated_scope(list: &[Permission]) -> String {
    list.iter()
        .filter(|p| p.kind == Kind::Delegated)
        .map(|p| p.name)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Ids of the application ones: one `appRoleAssignment` each.
pub fn app_role_ids(list: &[Permission]) -> Vec<&'static str> {
    list.iter()
        .filter(|p| p.kind == Kind::Application)
        .map(|p| p.id)
        .collect()
}

/// The application's `requiredResourceAccess` for these permissions (Graph v1.0 shape).
pub fn required_resource_access(list: &[Permission]) -> serde_json::Value {
    if list.is_empty() {
        return serde_json::json!([]);
    }
    let access: Vec<_> = list
        .iter()
        .map(|p| {
            serde_json::json!({
                "id": p.id,
                "type": if p.kind == Kind::Delegated { "Scope" } else { "Role" },
            })
        })
        .collect();
    serde_json::json!([{ "resourceAppId": GRAPH_APP_ID, "resourceAccess": access }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_catalogue_is_whole() {
        // 635 rows in Microsoft's table: 287 Application, 348 Delegated.
        assert_eq!(catalogue_len(), 635);
        assert_eq!(
            id_of("User.Read", Kind::Delegated),
            Some("e1fe6dd8-ba31-4d61-89e7-88639da4683d")
        );
        assert_eq!(
            id_of("offline_access", Kind::Delegated),
            Some("7427e0e9-2fba-42fe-b0c0-848c9e6a8182")
        );
        assert_eq!(id_of("User.Read", Kind::Application), None);
    }

    #[test]
    fn parses_kinds_defaults_and_duplicates() {
        let l = parse("User.Read, Calendars.ReadWrite:Application Calendars.ReadWrite User.Read")
            .unwrap();
        assert_eq!(
            format(&l),
            "User.Read, Calendars.ReadWrite:Application, Calendars.ReadWrite"
        );
        // Calendars.ReadWrite exists in both kinds: Delegated unless said otherwise.
        assert_eq!(l[2].kind, Kind::Delegated);
        // A name that exists only as an application permission is taken as one.
        let l = parse("Chat.Read.All").unwrap();
        assert_eq!(l[0].kind, Kind::Application);
        assert_eq!(parse("").unwrap(), vec![]);
    }

    #[test]
    fn unknown_and_miscased_names_are_explained() {
        let e = parse("User.Reed, user.read, User.Read:Application, X:Q").unwrap_err();
        assert_eq!(e.len(), 4, "{e:?}");
        use crate::i18n::Worded;
        let e: Vec<String> = e.iter().map(|p| p.message(Lang::En)).collect();
        assert!(e[0].contains("User.Reed: Microsoft Graph has no permission"));
        assert!(e[1].contains("write it as User.Read"));
        assert!(e[2].contains("no Application permission"));
        assert!(e[3].contains("Delegated or Application"));
        let de = parse("Foo").unwrap_err();
        assert!(de[0].message(Lang::De).contains("hat keine Berechtigung"));
    }

    #[test]
    fn the_connector_list_names_only_catalogued_permissions() {
        let rows: Vec<&str> = CONNECTOR
            .lines()
            .skip(1)
            .filter(|l| !l.starts_with('#'))
            .collect();
        assert!(rows.len() >= 15, "{rows:?}");
        for row in rows {
            let cols: Vec<&str> = row.split('\t').collect();
            let kind = parse_kind(cols[1]).unwrap();
            assert!(id_of(cols[0], kind).is_some(), "{row}");
            assert!(documented_for_connector(cols[0], kind));
        }
        assert!(documented_for_connector("User.Read", Kind::Delegated));
        assert!(!documented_for_connector("Chat.Read.All", Kind::Delegated));
        assert!(!documented_for_connector(
            "RoleManagement.ReadWrite.Directory",
            Kind::Application
        ));
    }

    #[test]
    fn graph_shapes() {
        let l = parse("User.Read, Chat.Read.All:Application").unwrap();
        assert_eq!(delegated_scope(&l), "User.Read");
        assert_eq!(
            app_role_ids(&l),
            vec!["6b7d71aa-70aa-4810-a8d9-5d9fb2830017"]
        );
        let rra = required_resource_access(&l);
        assert_eq!(rra[0]["resourceAppId"], GRAPH_APP_ID);
        assert_eq!(rra[0]["resourceAccess"][0]["type"], "Scope");
        assert_eq!(rra[0]["resourceAccess"][1]["type"], "Role");
    }
}
