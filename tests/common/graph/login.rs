//! The Entra ID side of the stand-in: OpenID metadata, the token endpoint (client credentials,
//! device code) and the device authorization endpoint, as Microsoft documents them.

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

pub(super) fn jwt(aud: &str, tenant: &str, app_id: &str) -> String {
    let b64 = |v: Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}.c2lnbmF0dXJl",
        b64(json!({"typ": "JWT", "alg": "RS256", "kid": "standin"})),
        b64(
            json!({"aud": aud, "tid": tenant, "appid": app_id, "oid": app_id,
            "iss": format!("https://sts.windows.net/{tenant}/"),
            "iat": 1_800_000_000u64, "nbf": 1_800_000_000u64, "exp": 4_000_000_000u64})
        )
    )
}

pub(super) fn login(shared: &Shared, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    let base = format!("https://127.0.0.1:{}", shared.ports.0);
    let mut segs = path.trim_start_matches('/').splitn(2, '/');
    let tenant = segs.next().unwrap_or("");
    let rest = segs.next().unwrap_or("");
    let known = tenant == shared.opts.tenant || tenant == "organizations";
    if !known {
        return if tenant.len() == 36 {
            aad_error(400, 90002, "invalid_tenant", "Tenant not found.")
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
                    "access_token": jwt(&resource, &shared.opts.tenant, &client)})
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
            let st = shared.state.lock().unwrap();
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
            if !st.secrets.get(&client).is_some_and(|s| s.contains(secret)) {
                return aad_error(
                    401,
                    7000215,
                    "invalid_client",
                    "Invalid client secret provided.",
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
            let scope = f.get("scope").cloned().unwrap_or_default();
            let resource = scope_resource(&scope);
            let resource = resource.as_str();
            (
                200,
                json!({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                    "access_token": jwt(resource, &shared.opts.tenant, &client)})
                .to_string(),
            )
        }
        _ => aad_error(404, 90019, "invalid_request", "No such endpoint."),
    }
}
