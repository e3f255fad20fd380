//! The Entra ID side of the stand-in: OpenID metadata, the token endpoint (client credentials,
//! device code, authorization code with PKCE) and the authorize and device authorization
//! endpoints, as Microsoft documents them (Microsoft identity platform: OAuth 2.0 authorization
//! code flow; RFC 7636 for PKCE).

use super::*;

/// The resource of a `.default` scope: `https://graph.microsoft.com/.default` names Graph.
pub(super) fn scope_resource(scope: &str) -> String {
    scope
        .split(' ')
        .next()
        .unwrap_or("")
        .trim_end_matches(".default")
        .trim_end_matches('/')
        .to_string()
}

pub(super) fn graph_resource(port: u16) -> String {
    format!("https://127.0.0.1:{port}")
}

/// The `aud` claim of a token this stand-in issued, without a trailing slash.
pub(super) fn audience(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    Some(v["aud"].as_str()?.trim_end_matches('/').to_string())
}

/// A token: for `upn` a delegated one (a user signed in through `app_id`), else the app's own.
pub(super) fn jwt(aud: &str, tenant: &str, app_id: &str, upn: Option<&str>) -> String {
    let b64 = |v: Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let mut claims = json!({"aud": aud, "tid": tenant, "appid": app_id, "oid": app_id,
        "iss": format!("https://sts.windows.net/{tenant}/"),
        "iat": 1_800_000_000u64, "nbf": 1_800_000_000u64, "exp": 4_000_000_000u64});
    if let Some(upn) = upn {
        claims["upn"] = json!(upn);
        claims["scp"] = json!(
            "Application.ReadWrite.All AppRoleAssignment.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All"
        );
    }
    format!(
        "{}.{}.c2lnbmF0dXJl",
        b64(json!({"typ": "JWT", "alg": "RS256", "kid": "standin"})),
        b64(claims)
    )
}

/// The `upn` claim of a token this stand-in issued: a delegated token's user.
pub(super) fn upn(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    Some(v["upn"].as_str()?.to_string())
}

/// A code `/authorize` handed out, with what its redemption must match.
#[derive(Debug)]
pub(super) struct AuthCode {
    code: String,
    client: String,
    redirect_uri: String,
    challenge: String,
    resource: String,
}

/// RFC 7636's S256: BASE64URL(SHA-256(verifier)), no padding.
fn s256(verifier: &str) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(d.as_ref())
}

/// The Azure CLI's public client, whose redirect URI is `http://localhost` (any port).
const AZURE_CLI: &str = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/// `/authorize`. For an app of the directory: its sign-in page when the redirect URI is one of
/// its own (web or SPA), else AADSTS50011 (what the live check asks). For the Azure CLI's public
/// client: the person is taken to have signed in at once (or declined, when the options say
/// so), and the browser is sent back to the loopback redirect URI with the code and the
/// `state`; any other redirect URI is refused on the page, never redirected to (AADSTS50011).
fn authorize(shared: &Shared, query: &str) -> (u16, String) {
    let q = form(query.as_bytes());
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let redirect = get("redirect_uri");
    let client = get("client_id");
    let not_registered = || {
        aad_error(
            400,
            50011,
            "invalid_request",
            "The redirect URI specified in the request does not match the redirect URIs configured for the application.",
        )
    };
    if client != AZURE_CLI {
        let st = shared.state.lock().unwrap();
        let Some(app) = st
            .applications
            .iter()
            .find(|a| a["appId"].as_str() == Some(client.as_str()))
        else {
            return aad_error(
                400,
                700016,
                "unauthorized_client",
                "Application was not found in the directory.",
            );
        };
        let registered = ["web", "spa"].iter().any(|p| {
            app[*p]["redirectUris"]
                .as_array()
                .is_some_and(|l| l.iter().any(|u| u.as_str() == Some(redirect.as_str())))
        });
        return if registered {
            (
                200,
                "<html><title>Sign in to your account</title></html>".into(),
            )
        } else {
            not_registered()
        };
    }
    let local = url::Url::parse(&redirect)
        .is_ok_and(|u| u.scheme() == "http" && u.host_str() == Some("localhost"));
    if !local {
        return not_registered();
    }
    if get("response_type") != "code"
        || get("code_challenge_method") != "S256"
        || get("code_challenge").len() != 43
    {
        return aad_error(
            400,
            900144,
            "invalid_request",
            "The request must contain response_type=code and a code_challenge with code_challenge_method=S256.",
        );
    }
    let mut back = url::Url::parse(&redirect).unwrap();
    if shared.opts.decline_browser {
        back.query_pairs_mut()
            .append_pair("error", "access_denied")
            .append_pair(
                "error_description",
                "AADSTS65004: User declined to consent to access the app.",
            )
            .append_pair("state", &get("state"));
        return (302, back.to_string());
    }
    let mut st = shared.state.lock().unwrap();
    st.next_id += 1;
    let code = format!("0.AXoA-code-{}", st.next_id);
    st.auth_codes.push(AuthCode {
        code: code.clone(),
        client: get("client_id"),
        redirect_uri: redirect,
        challenge: get("code_challenge"),
        resource: scope_resource(&get("scope")),
    });
    back.query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &get("state"))
        .append_pair("session_state", "s-1");
    (302, back.to_string())
}

/// The token endpoint's `authorization_code` grant: the code once, for the same client and
/// redirect URI, and only with the verifier whose S256 is the challenge (AADSTS501481).
fn redeem(shared: &Shared, body: &[u8]) -> (u16, String) {
    let f = form(body);
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let mut st = shared.state.lock().unwrap();
    let Some(i) = st.auth_codes.iter().position(|c| c.code == get("code")) else {
        return aad_error(
            400,
            70008,
            "invalid_grant",
            "The provided authorization code or refresh token has expired or was already used.",
        );
    };
    let entry = st.auth_codes.remove(i);
    if entry.client != get("client_id") || entry.redirect_uri != get("redirect_uri") {
        return aad_error(
            400,
            70000,
            "invalid_grant",
            "Provided grant is invalid or malformed.",
        );
    }
    if s256(&get("code_verifier")) != entry.challenge {
        return aad_error(
            400,
            501481,
            "invalid_grant",
            "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
        );
    }
    (
        200,
        json!({"token_type": "Bearer", "scope": format!("{}/.default", entry.resource),
            "expires_in": 3599, "ext_expires_in": 3599,
            "access_token": jwt(&entry.resource, &shared.opts.tenant, &entry.client, Some(ADMIN_UPN))})
        .to_string(),
    )
}

#[allow(
    clippy::too_many_lines,
    reason = "the stand-in's routes, one arm per identity platform endpoint: a route table"
)]
pub(super) fn login(
    shared: &Shared,
    method: &str,
    path: &str,
    query: &str,
    body: &[u8],
) -> (u16, String) {
    let base = format!("https://127.0.0.1:{}", shared.ports.0);
    let mut segs = path.trim_start_matches('/').splitn(2, '/');
    let tenant = segs.next().unwrap_or("");
    let rest = segs.next().unwrap_or("");
    let known = tenant == shared.opts.tenant || tenant == "organizations";
    if !known {
        return if tenant.len() == 36 {
            aad_error(
                400,
                90002,
                "invalid_tenant",
                &format!("Tenant '{tenant}' not found."),
            )
        } else {
            aad_error(
                400,
                900023,
                "invalid_request",
                "Specified tenant identifier is neither a valid DNS name, nor a valid external domain.",
            )
        };
    }
    match (method, rest) {
        ("GET", "oauth2/v2.0/authorize") => authorize(shared, query),
        ("POST", "oauth2/v2.0/token")
            if form(body).get("grant_type").map(String::as_str) == Some("authorization_code") =>
        {
            redeem(shared, body)
        }
        ("GET", "v2.0/.well-known/openid-configuration") => (
            200,
            json!({
                "issuer": format!("{base}/{tenant}/v2.0"),
                "authorization_endpoint": format!("{base}/{tenant}/oauth2/v2.0/authorize"),
                "token_endpoint": format!("{base}/{tenant}/oauth2/v2.0/token"),
                "device_authorization_endpoint": format!("{base}/{tenant}/oauth2/v2.0/devicecode"),
                "jwks_uri": format!("{base}/{tenant}/discovery/v2.0/keys"),
                "response_modes_supported": ["query", "fragment", "form_post"],
                "tenant_region_scope": "EU",
            })
            .to_string(),
        ),
        ("POST", "oauth2/v2.0/devicecode") => {
            let f = form(body);
            let (Some(client), Some(scope)) = (f.get("client_id"), f.get("scope")) else {
                return aad_error(
                    400,
                    900144,
                    "invalid_request",
                    "The request body must contain the following parameter: 'client_id'.",
                );
            };
            let mut st = shared.state.lock().unwrap();
            st.next_id += 1;
            let device_code = format!("DAQABAAEAAAD-device-{}", st.next_id);
            let resource = scope_resource(scope);
            st.device_codes
                .push((device_code.clone(), client.clone(), resource, 0));
            (
                200,
                json!({
                    "user_code": format!("STAND{}", st.next_id),
                    "device_code": device_code,
                    "verification_uri": "https://microsoft.com/devicelogin",
                    "expires_in": 900,
                    "interval": 1,
                    "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code to authenticate.",
                })
                .to_string(),
            )
        }
        ("POST", "oauth2/v2.0/token")
            if form(body).get("grant_type").map(String::as_str)
                == Some("urn:ietf:params:oauth:grant-type:device_code") =>
        {
            let f = form(body);
            let code = f.get("device_code").cloned().unwrap_or_default();
            let mut st = shared.state.lock().unwrap();
            let Some(entry) = st.device_codes.iter_mut().find(|d| d.0 == code) else {
                return aad_error(
                    400,
                    70000,
                    "bad_verification_code",
                    "The device code is not valid.",
                );
            };
            if shared.opts.block_device_code {
                return aad_error(
                    400,
                    53003,
                    "invalid_grant",
                    "Access has been blocked by Conditional Access policies.",
                );
            }
            entry.3 += 1;
            if entry.3 <= shared.opts.device_pending_polls {
                return aad_error(
                    400,
                    70016,
                    "authorization_pending",
                    "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
                );
            }
            let (client, resource) = (entry.1.clone(), entry.2.clone());
            st.device_codes.retain(|d| d.0 != code);
            (
                200,
                json!({"token_type": "Bearer", "scope": format!("{resource}/.default"),
                    "expires_in": 3599, "ext_expires_in": 3599,
                    "access_token": jwt(&resource, &shared.opts.tenant, &client, Some(ADMIN_UPN))})
                .to_string(),
            )
        }
        ("POST", "oauth2/v2.0/token") => {
            let f = form(body);
            if f.get("grant_type").map(String::as_str) != Some("client_credentials") {
                return aad_error(
                    400,
                    70003,
                    "unsupported_grant_type",
                    "The app requested an unsupported grant type.",
                );
            }
            let client = f.get("client_id").cloned().unwrap_or_default();
            let Some(secret) = f.get("client_secret").filter(|s| !s.is_empty()) else {
                return aad_error(
                    401,
                    7000218,
                    "invalid_client",
                    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
                );
            };
            let mut st = shared.state.lock().unwrap();
            if !st
                .applications
                .iter()
                .any(|a| a["appId"].as_str() == Some(client.as_str()))
            {
                return aad_error(
                    400,
                    700016,
                    "unauthorized_client",
                    "Application was not found in the directory.",
                );
            }
            // A new secret is refused for a while (replication), as if it were wrong.
            let lagging = match st.secret_misses.get_mut(secret) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    true
                }
                _ => false,
            };
            if let Some((code, error)) = shared.opts.token_refusal {
                return aad_error(400, code, error, "Refused for this test.");
            }
            if lagging || !st.secrets.get(&client).is_some_and(|s| s.contains(secret)) {
                return aad_error(
                    401,
                    7000215,
                    "invalid_client",
                    "Invalid client secret provided.",
                );
            }
            // A secret past its end: AADSTS7000222. RFC 3339 in UTC compares as text.
            let now = time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default();
            if st
                .secret_ends
                .get(secret.as_str())
                .is_some_and(|end| end.as_str() < now.as_str())
            {
                return aad_error(
                    401,
                    7000222,
                    "invalid_client",
                    "The provided client secret keys are expired.",
                );
            }
            if !st
                .service_principals
                .iter()
                .any(|s| s["appId"].as_str() == Some(client.as_str()))
            {
                return aad_error(
                    400,
                    7000229,
                    "invalid_client",
                    "The client application is missing service principal in the tenant.",
                );
            }
            // The sign-in activity of this secret's key (the credential activity report).
            if let Some(key) = st.secret_keys.get(secret.as_str()).cloned() {
                st.key_use.insert(key, now.clone());
            }
            let scope = f.get("scope").cloned().unwrap_or_default();
            let resource = scope_resource(&scope);
            let resource = resource.as_str();
            (
                200,
                json!({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                    "access_token": jwt(resource, &shared.opts.tenant, &client, None)})
                .to_string(),
            )
        }
        _ => aad_error(404, 90019, "invalid_request", "No such endpoint."),
    }
}
