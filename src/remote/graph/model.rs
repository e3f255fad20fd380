//! What azreg reads from Microsoft Graph v1.0, as typed structs (serde) of the documented
//! shapes (`src/docs/graph.md`; the entity types of Microsoft's published metadata, checked by the
//! contract test in `tests/e2e/contract.rs`).
//!
//! Real answers carry far more than azreg uses, and sometimes less: unknown properties are
//! ignored, missing ones and `null`s take their defaults, dates come with 0 to 7 fractional
//! digits. Nothing here is trusted yet: ids are checked where they go into a path or a file
//! (`engine::read`), texts cleaned where they reach a screen.

use serde::{Deserialize, Deserializer};

use crate::secret::Secret;

/// `null` (as Graph sends for an unset collection or text) is the default.
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// An `Edm.DateTimeOffset` as Graph writes it (`2026-11-27T10:00:00Z`, with 0 to 7 fractional
/// digits, or an offset), kept in one spelling: RFC 3339 in UTC, the fraction only when it is
/// not zero. So a time azreg sent compares equal to the one Graph hands back.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct GraphTime(pub String);

impl GraphTime {
    pub fn parse(text: &str) -> Option<GraphTime> {
        use time::format_description::well_known::Rfc3339;
        let t = time::OffsetDateTime::parse(text.trim(), &Rfc3339).ok()?;
        let t = t.to_offset(time::UtcOffset::UTC);
        t.format(&Rfc3339).ok().map(GraphTime)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The point in time (for comparing: the text orders wrongly within one second).
    pub fn instant(&self) -> Option<time::OffsetDateTime> {
        time::OffsetDateTime::parse(&self.0, &time::format_description::well_known::Rfc3339).ok()
    }
}

impl<'de> Deserialize<'de> for GraphTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<GraphTime, D::Error> {
        let s = String::deserialize(d)?;
        GraphTime::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "not a date and time: {}",
                crate::text::clean_for_display(s.get(..40).unwrap_or(&s))
            ))
        })
    }
}

/// One page of a collection: its items and, when there are more, the link to the next page.
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    #[serde(default = "Vec::new", deserialize_with = "nullable")]
    pub value: Vec<T>,
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
}

/// `microsoft.graph.organization`: the tenant.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Organization {
    #[serde(deserialize_with = "nullable")]
    pub id: String,
    #[serde(deserialize_with = "nullable")]
    pub display_name: Option<String>,
}

/// `microsoft.graph.user`, as `/me` answers it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    #[serde(deserialize_with = "nullable")]
    pub id: String,
    #[serde(deserialize_with = "nullable")]
    pub user_principal_name: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub display_name: Option<String>,
}

/// A platform's settings (`web`, `spa`, `publicClient`): azreg reads the redirect URIs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RedirectSet {
    #[serde(deserialize_with = "nullable")]
    pub redirect_uris: Vec<String>,
}

/// `microsoft.graph.resourceAccess`: one permission, `Scope` (delegated) or `Role`.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceAccess {
    #[serde(deserialize_with = "nullable")]
    pub id: String,
    #[serde(rename = "type", deserialize_with = "nullable")]
    pub kind: String,
}

/// `microsoft.graph.requiredResourceAccess`: the permissions of one resource.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct RequiredResourceAccess {
    #[serde(deserialize_with = "nullable")]
    pub resource_app_id: String,
    #[serde(deserialize_with = "nullable")]
    pub resource_access: Vec<ResourceAccess>,
}

/// `microsoft.graph.passwordCredential`: a client secret as Graph lists it; `secretText` only
/// in `addPassword`'s answer.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PasswordCredential {
    #[serde(deserialize_with = "nullable")]
    pub key_id: String,
    #[serde(deserialize_with = "nullable")]
    pub display_name: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub hint: Option<String>,
    pub start_date_time: Option<GraphTime>,
    pub end_date_time: Option<GraphTime>,
    #[serde(deserialize_with = "secret_text")]
    pub secret_text: Option<Secret>,
}

fn secret_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(Secret::from))
}

/// `microsoft.graph.application`, the properties azreg reads (`Read::Application`'s `$select`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Application {
    #[serde(deserialize_with = "nullable")]
    pub id: String,
    #[serde(deserialize_with = "nullable")]
    pub app_id: String,
    #[serde(deserialize_with = "nullable")]
    pub display_name: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub sign_in_audience: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub web: RedirectSet,
    #[serde(deserialize_with = "nullable")]
    pub spa: RedirectSet,
    #[serde(deserialize_with = "nullable")]
    pub public_client: RedirectSet,
    #[serde(deserialize_with = "nullable")]
    pub required_resource_access: Vec<RequiredResourceAccess>,
    #[serde(deserialize_with = "nullable")]
    pub password_credentials: Vec<PasswordCredential>,
    pub created_date_time: Option<GraphTime>,
    #[serde(deserialize_with = "nullable")]
    pub unique_name: Option<String>,
}

/// `microsoft.graph.servicePrincipal`, the properties azreg reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServicePrincipal {
    #[serde(deserialize_with = "nullable")]
    pub id: String,
    #[serde(deserialize_with = "nullable")]
    pub app_id: String,
    pub account_enabled: Option<bool>,
}

/// `microsoft.graph.oauth2PermissionGrant`: delegated consent. A new grant answers
/// `principalId: null`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OAuth2PermissionGrant {
    #[serde(deserialize_with = "nullable")]
    pub id: String,
    #[serde(deserialize_with = "nullable")]
    pub client_id: String,
    #[serde(deserialize_with = "nullable")]
    pub consent_type: String,
    #[serde(deserialize_with = "nullable")]
    pub principal_id: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub resource_id: String,
    #[serde(deserialize_with = "nullable")]
    pub scope: String,
}

impl OAuth2PermissionGrant {
    pub fn scopes(&self) -> Vec<String> {
        self.scope.split_whitespace().map(str::to_string).collect()
    }

    /// The tenant-wide grant to this resource.
    pub fn is_tenant_wide_to(&self, resource: &str) -> bool {
        self.resource_id.eq_ignore_ascii_case(resource) && self.consent_type == "AllPrincipals"
    }
}

/// `microsoft.graph.appRoleAssignment`: one application permission consented.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppRoleAssignment {
    #[serde(deserialize_with = "nullable")]
    pub id: String,
    #[serde(deserialize_with = "nullable")]
    pub app_role_id: String,
    #[serde(deserialize_with = "nullable")]
    pub principal_id: String,
    #[serde(deserialize_with = "nullable")]
    pub resource_id: String,
}

/// An owner: a `microsoft.graph.directoryObject` whose `@odata.type` says what it is
/// (`#microsoft.graph.user` with a UPN, `#microsoft.graph.servicePrincipal` with an appId).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DirectoryObject {
    #[serde(rename = "@odata.type", deserialize_with = "nullable")]
    pub odata_type: String,
    #[serde(deserialize_with = "nullable")]
    pub id: String,
    #[serde(deserialize_with = "nullable")]
    pub display_name: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub user_principal_name: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub app_id: Option<String>,
}

impl DirectoryObject {
    /// How a person recognises it: the UPN of a user, else its display name, else its appId.
    pub fn name(&self) -> Option<&str> {
        fn nonempty(s: &Option<String>) -> Option<&str> {
            s.as_deref().filter(|s| !s.trim().is_empty())
        }
        nonempty(&self.user_principal_name)
            .or(nonempty(&self.display_name))
            .or(nonempty(&self.app_id))
    }
}

/// `microsoft.graph.passwordCredentialConfiguration`: one restriction on client secrets.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PasswordCredentialConfiguration {
    #[serde(deserialize_with = "nullable")]
    pub restriction_type: String,
    #[serde(deserialize_with = "nullable")]
    pub state: Option<String>,
    /// An ISO 8601 duration (`P90D`).
    #[serde(deserialize_with = "nullable")]
    pub max_lifetime: Option<String>,
}

/// `microsoft.graph.appManagementConfiguration` (and its application form): the password part.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppManagementConfiguration {
    #[serde(deserialize_with = "nullable")]
    pub password_credentials: Vec<PasswordCredentialConfiguration>,
}

/// `microsoft.graph.tenantAppManagementPolicy` (`applicationRestrictions`) or
/// `microsoft.graph.appManagementPolicy` (`restrictions`): what azreg reads of either.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppManagementPolicy {
    pub is_enabled: Option<bool>,
    #[serde(deserialize_with = "nullable")]
    pub application_restrictions: AppManagementConfiguration,
    #[serde(deserialize_with = "nullable")]
    pub restrictions: AppManagementConfiguration,
}

impl AppManagementPolicy {
    /// The password restrictions in force (none when the policy is disabled).
    pub fn password_restrictions(&self) -> Vec<&PasswordCredentialConfiguration> {
        if self.is_enabled == Some(false) {
            return Vec::new();
        }
        self.application_restrictions
            .password_credentials
            .iter()
            .chain(&self.restrictions.password_credentials)
            .collect()
    }
}

/// `microsoft.graph.appCredentialSignInActivity` (beta): when a credential last signed in.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AppCredentialSignInActivity {
    #[serde(deserialize_with = "nullable")]
    pub key_id: String,
    #[serde(deserialize_with = "nullable")]
    pub app_id: String,
    #[serde(deserialize_with = "nullable")]
    pub sign_in_activity: SignInActivity,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignInActivity {
    pub last_sign_in_date_time: Option<GraphTime>,
}

/// Graph's error body: `{"error": {"code", "message", "innerError": {"request-id", "date"}}}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ErrorBody {
    #[serde(deserialize_with = "nullable")]
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ErrorDetail {
    #[serde(deserialize_with = "nullable")]
    pub code: String,
    #[serde(deserialize_with = "nullable")]
    pub message: String,
    #[serde(deserialize_with = "nullable")]
    pub inner_error: InnerError,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct InnerError {
    #[serde(rename = "request-id", deserialize_with = "nullable")]
    pub request_id: String,
    /// Graph writes it without a zone (`2025-02-20T10:52:26`): kept as text.
    #[serde(deserialize_with = "nullable")]
    pub date: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real answer (from the Azure CLI's recorded tests against Graph; src/docs/graph.md names
    /// the recordings): an application as Graph creates it, with 7 fractional digits and `null`s.
    const RECORDED_APP: &str = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications/$entity",
      "id":"0a1b2c3d-0000-4000-8000-000000000001","deletedDateTime":null,"appId":"0a1b2c3d-0000-4000-8000-000000000002",
      "applicationTemplateId":null,"disabledByMicrosoftStatus":null,"createdDateTime":"2022-03-22T09:01:02.1234567Z",
      "displayName":"app","description":null,"groupMembershipClaims":null,"identifierUris":[],"isDeviceOnlyAuthSupported":null,
      "isFallbackPublicClient":null,"notes":null,"publisherDomain":"example.onmicrosoft.com","serviceManagementReference":null,
      "signInAudience":"AzureADMyOrg","tags":[],"tokenEncryptionKeyId":null,"uniqueName":null,
      "samlMetadataUrl":null,"defaultRedirectUri":null,"certification":null,"optionalClaims":null,
      "addIns":[],"api":{"acceptMappedClaims":null,"knownClientApplications":[],"requestedAccessTokenVersion":null,
      "oauth2PermissionScopes":[],"preAuthorizedApplications":[]},"appRoles":[],"info":{"logoUrl":null},
      "keyCredentials":[],"parentalControlSettings":{"countriesBlockedForMinors":[],"legalAgeGroupRule":"Allow"},
      "passwordCredentials":[{"customKeyIdentifier":null,"displayName":"x","endDateTime":"2024-03-22T09:01:02.345Z",
      "hint":"abc","keyId":"0a1b2c3d-0000-4000-8000-000000000003","secretText":null,"startDateTime":"2022-03-22T09:01:02Z"}],
      "publicClient":{"redirectUris":[]},"requiredResourceAccess":null,
      "spa":{"redirectUris":["https://p.example/oauth2callback.html"]},
      "verifiedPublisher":{"displayName":null,"verifiedPublisherId":null,"addedDateTime":null},
      "web":{"homePageUrl":null,"logoutUrl":null,"redirectUris":["https://p.example/oauth2/token/ms365-x"],
      "implicitGrantSettings":{"enableAccessTokenIssuance":false,"enableIdTokenIssuance":false},"redirectUriSettings":[]}}"#;

    #[test]
    fn a_real_application_parses_with_nulls_extras_and_seven_digit_dates() {
        let a: Application = serde_json::from_str(RECORDED_APP).unwrap();
        assert_eq!(a.app_id, "0a1b2c3d-0000-4000-8000-000000000002");
        assert!(a.required_resource_access.is_empty());
        assert_eq!(
            a.web.redirect_uris,
            ["https://p.example/oauth2/token/ms365-x"]
        );
        assert_eq!(
            a.created_date_time.unwrap().as_str(),
            "2022-03-22T09:01:02.1234567Z"
        );
        let c = &a.password_credentials[0];
        assert_eq!(
            c.start_date_time.as_ref().unwrap().as_str(),
            "2022-03-22T09:01:02Z"
        );
        assert_eq!(
            c.end_date_time.as_ref().unwrap().as_str(),
            "2024-03-22T09:01:02.345Z"
        );
        assert!(c.secret_text.is_none());
        assert_eq!(a.unique_name, None);
    }

    #[test]
    fn missing_properties_take_their_defaults() {
        let a: Application = serde_json::from_str(r#"{"id":"i","appId":"a"}"#).unwrap();
        assert!(a.password_credentials.is_empty() && a.web.redirect_uris.is_empty());
        let p: Page<Application> = serde_json::from_str(r#"{"value":null}"#).unwrap();
        assert!(p.value.is_empty() && p.next_link.is_none());
    }

    #[test]
    fn dates_with_zero_to_seven_fraction_digits_and_offsets() {
        for (text, want) in [
            ("2026-11-27T10:00:00Z", "2026-11-27T10:00:00Z"),
            ("2026-11-27T10:00:00.1Z", "2026-11-27T10:00:00.1Z"),
            ("2026-11-27T10:00:00.0000000Z", "2026-11-27T10:00:00Z"),
            (
                "2026-11-27T10:00:00.1234567Z",
                "2026-11-27T10:00:00.1234567Z",
            ),
            ("2026-11-27T12:00:00+02:00", "2026-11-27T10:00:00Z"),
        ] {
            assert_eq!(GraphTime::parse(text).unwrap().as_str(), want, "{text}");
        }
        assert!(GraphTime::parse("2026-11-27").is_none());
        assert!(serde_json::from_str::<GraphTime>(r#""yesterday""#).is_err());
    }

    #[test]
    fn an_owner_is_a_directory_object_with_its_type() {
        let page: Page<DirectoryObject> = serde_json::from_str(
            r##"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#directoryObjects",
            "value":[{"@odata.type":"#microsoft.graph.user","id":"u","businessPhones":[],"displayName":"rolelivetest",
            "givenName":null,"userPrincipalName":"example@example.com"},
            {"@odata.type":"#microsoft.graph.servicePrincipal","id":"s","displayName":null,"appId":"a"}],
            "@odata.nextLink":"https://graph.microsoft.com/v1.0/applications/x/owners?$skiptoken=X"}"##,
        )
        .unwrap();
        assert_eq!(page.value[0].odata_type, "#microsoft.graph.user");
        assert_eq!(page.value[0].name(), Some("example@example.com"));
        assert_eq!(page.value[1].name(), Some("a"));
        assert!(page.next_link.is_some());
    }

    #[test]
    fn graphs_error_body() {
        let e: ErrorBody = serde_json::from_str(
            r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.",
            "innerError":{"date":"2025-02-20T10:52:24","request-id":"ff33533c-35c1-4cfb-a5f1-b4938a33db80",
            "client-request-id":"ff33533c-35c1-4cfb-a5f1-b4938a33db80"}}}"#,
        )
        .unwrap();
        assert_eq!(e.error.code, "Authorization_RequestDenied");
        assert_eq!(
            e.error.inner_error.request_id,
            "ff33533c-35c1-4cfb-a5f1-b4938a33db80"
        );
        let grant: OAuth2PermissionGrant = serde_json::from_str(
            r#"{"clientId":"c","consentType":"AllPrincipals","id":"AbC-_1","principalId":null,"resourceId":"r","scope":"User.Read  Chat.Read"}"#,
        )
        .unwrap();
        assert_eq!(grant.scopes(), ["User.Read", "Chat.Read"]);
        assert!(grant.is_tenant_wide_to("R") && grant.principal_id.is_none());
    }
}
