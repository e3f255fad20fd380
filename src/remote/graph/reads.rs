//! Every read azreg makes of Microsoft Graph, with what it asks for (`$select`) and how much of
//! an answer it takes. Real answers are far larger than the properties azreg uses: Graph's own
//! service principal unselected is more than a MiB of permission texts (src/docs/graph.md, "Size"),
//! so every read names its properties, and a limit that still trips says which read it was.

use crate::i18n::{L, Lang};

/// One kind of read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// `GET /organization`: the signed-in tenant.
    Organization,
    /// `GET /me`: the signed-in person (none for an app identity).
    Me,
    /// One application (by object id, `appId` or `uniqueName`).
    Application,
    /// Applications of one display name (a first run looks for namesakes).
    Applications,
    /// The app's service principal.
    ServicePrincipal,
    /// Microsoft Graph's own service principal in the tenant (the resource of consent).
    GraphServicePrincipal,
    /// Delegated grants of the app's service principal.
    Grants,
    /// Application permissions the app's service principal holds.
    RoleAssignments,
    /// The app's owners.
    Owners,
    /// The tenant's default app management policy (`/policies/defaultAppManagementPolicy`).
    DefaultAppPolicy,
    /// An app management policy a refusal names (`/policies/appManagementPolicies/{id}`).
    AppPolicy,
    /// The app's credential sign-in activity (beta `/reports/appCredentialSignInActivities`):
    /// which secret signed in last, the proof of a rotation.
    CredentialActivity,
    /// The answer to a write (the object Graph made).
    Written,
}

/// Pages followed at most per collection (100 objects a page by default): far beyond any
/// registration, and a server that links on forever is stopped.
pub const MAX_PAGES: usize = 100;

impl Read {
    pub const ALL: [Read; 13] = [
        Read::Organization,
        Read::Me,
        Read::Application,
        Read::Applications,
        Read::ServicePrincipal,
        Read::GraphServicePrincipal,
        Read::Grants,
        Read::RoleAssignments,
        Read::Owners,
        Read::DefaultAppPolicy,
        Read::AppPolicy,
        Read::CredentialActivity,
        Read::Written,
    ];

    /// The properties azreg uses of what this read answers (`$select`); `None` for a write's
    /// answer, which Graph does not select.
    pub fn select(self) -> Option<&'static str> {
        Some(match self {
            Read::Organization => "id,displayName",
            Read::Me => "id,userPrincipalName",
            Read::Application | Read::Applications => {
                "id,appId,displayName,signInAudience,web,spa,publicClient,\
                 requiredResourceAccess,passwordCredentials,createdDateTime,uniqueName"
            }
            Read::ServicePrincipal | Read::GraphServicePrincipal => "id,appId,accountEnabled",
            Read::Grants => "id,clientId,consentType,principalId,resourceId,scope",
            Read::RoleAssignments => "id,appRoleId,principalId,resourceId",
            Read::Owners => "id,displayName,userPrincipalName,appId",
            Read::DefaultAppPolicy => "id,isEnabled,applicationRestrictions",
            Read::AppPolicy => "id,isEnabled,restrictions",
            Read::CredentialActivity => "id,keyId,appId,signInActivity",
            Read::Written => return None,
        })
    }

    /// The most of one answer (one page of a collection) read: the largest real answer of its
    /// kind with ample headroom. An application with hundreds of permissions and secrets stays
    /// under 100 KiB selected; a page of 100 of them under 4 MiB.
    pub fn limit(self) -> usize {
        const KIB: usize = 1024;
        match self {
            Read::Organization | Read::Me => 64 * KIB,
            Read::DefaultAppPolicy | Read::AppPolicy => 64 * KIB,
            Read::ServicePrincipal | Read::GraphServicePrincipal => 64 * KIB,
            Read::Application | Read::Written => 1024 * KIB,
            Read::Applications => 4096 * KIB,
            Read::Grants | Read::RoleAssignments | Read::Owners => 1024 * KIB,
            Read::CredentialActivity => 1024 * KIB,
        }
    }

    /// What was read, for a message.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Read::Organization => {
                L::new("the tenant (organization)", "des Mandanten (organization)")
            }
            Read::Me => L::new("the signed-in person (me)", "der angemeldeten Person (me)"),
            Read::Application => L::new("the app registration", "der App-Registrierung"),
            Read::Applications => L::new(
                "the app registrations of this name",
                "der App-Registrierungen dieses Namens",
            ),
            Read::ServicePrincipal => L::new(
                "the app's service principal",
                "des Dienstprinzipals der App",
            ),
            Read::GraphServicePrincipal => L::new(
                "Microsoft Graph's service principal",
                "des Dienstprinzipals von Microsoft Graph",
            ),
            Read::Grants => L::new(
                "the delegated permission grants",
                "der Zustimmungen zu delegierten Berechtigungen",
            ),
            Read::RoleAssignments => L::new(
                "the application permission assignments",
                "der Zuweisungen von Anwendungsberechtigungen",
            ),
            Read::Owners => L::new("the app's owners", "der Besitzer der App"),
            Read::CredentialActivity => L::new(
                "the credential sign-in activity",
                "der Anmeldeaktivität der Anmeldeinformationen",
            ),
            Read::DefaultAppPolicy | Read::AppPolicy => L::new(
                "the tenant's app management policy",
                "der App-Verwaltungsrichtlinie des Mandanten",
            ),
            Read::Written => L::new("a write's answer", "der Antwort auf eine Änderung"),
        }
        .get(lang)
    }

    /// `$select=…`, and `$filter=…` when given (already encoded).
    pub fn query(self, filter: Option<&str>) -> Option<String> {
        let select = self.select().map(|s| format!("$select={s}"));
        let filter = filter.map(|f| format!("$filter={f}"));
        match (select, filter) {
            (Some(s), Some(f)) => Some(format!("{f}&{s}")),
            (s, f) => s.or(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_read_but_a_writes_answer_selects() {
        for r in Read::ALL {
            assert_eq!(r.select().is_some(), r != Read::Written, "{r:?}");
            assert!(r.limit() >= 64 * 1024);
            assert!(!r.label(Lang::De).is_empty());
        }
        // Graph's own service principal: only what consent needs, never its permission texts.
        assert_eq!(
            Read::GraphServicePrincipal.query(None).as_deref(),
            Some("$select=id,appId,accountEnabled")
        );
        assert_eq!(
            Read::Grants
                .query(Some("clientId%20eq%20%27x%27"))
                .as_deref(),
            Some(
                "$filter=clientId%20eq%20%27x%27&$select=id,clientId,consentType,principalId,resourceId,scope"
            )
        );
    }
}
