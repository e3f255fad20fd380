//! `azreg apply`: the whole registration through Microsoft Graph after one sign-in. Each call
//! marks the steps it stands for (the procedure's `applied` parts), and what Graph hands out is
//! saved before the next call: the new app's IDs at once, the secret's value before anything
//! else happens. Run again, it continues from the progress file and what Graph answers: the
//! recorded object is looked up first, no second app is made, no secret it did not create is
//! removed. `--dry-run` prints the requests and changes nothing.
//!
//! The run is one engine for both front ends: [`Run`] (in `ledger`) saves and speaks for the
//! command line or the walkthrough (`walkthrough`, a thread of its own); the sign-in
//! (`sign_in`) is the browser's by default, a device code, or the Azure CLI's token.

use std::io::Write;

use reqwest::Method;
use serde_json::{Value, json};

use super::script::{Inputs, inputs};
use super::{EXIT_CHECK, EXIT_OK, EXIT_USAGE, Env, Failure, Opened, Outcome};
use crate::graph::{Graph, GraphError, filter_eq};
use crate::permissions::{self, GRAPH_APP_ID};
use crate::procedure::Procedure;
use crate::report::Report;
use crate::tr;

mod ledger;
mod renew;
mod sign_in;
mod walkthrough;

pub use ledger::{Event, Run};
pub use sign_in::{Login, code_prompt};
use sign_in::{runtime, sign_in};
pub use walkthrough::{Job, start};

/// What needs the values, in a refusal that names the missing ones.
pub const WHAT: crate::i18n::L = crate::i18n::L::new("azreg apply", "azreg apply");

#[derive(Debug, Default)]
pub struct ApplyArgs {
    pub token_from_az: bool,
    /// Sign in by device code (`--device-code`), with these (defaults: the progress file's
    /// tenant, else `organizations`; the Azure CLI's client; Microsoft Graph's global root).
    pub device_code: bool,
    pub tenant: Option<String>,
    pub login_client_id: Option<String>,
    pub graph: Option<String>,
    /// Where the device code is copied when azreg runs in a terminal (`None`: nowhere).
    pub clipboard: Option<crate::clipboard::Mode>,
    pub dry_run: bool,
    pub authority: Option<String>,
    /// `--renew [--expires ...]`: only a new secret (the new expiry, "" for the default).
    pub renew: Option<String>,
    /// With `--renew`: after a passed live check, remove the old secret azreg recorded.
    pub remove_old: bool,
}

/// The requests of a first run, as `--dry-run` prints them: no token, no secret.
pub fn plan(i: &Inputs) -> Vec<(String, String, Option<Value>)> {
    let mut out = vec![
        ("GET".into(), "/v1.0/organization".into(), None),
        (
            "GET".into(),
            format!(
                "/v1.0/applications?$filter={}",
                filter_eq("displayName", &i.name)
            ),
            None,
        ),
        (
            "PATCH".into(),
            "/v1.0/applications(uniqueName='azreg-<new GUID>')  (Prefer: create-if-missing)".into(),
            Some(app_body(i)),
        ),
        (
            "POST".into(),
            "/v1.0/servicePrincipals".into(),
            Some(json!({"appId": "<client ID from the step before>"})),
        ),
        (
            "POST".into(),
            "/v1.0/applications/<object ID>/addPassword".into(),
            Some(password_body(i, "<now>")),
        ),
    ];
    if i.consent {
        out.push((
            "GET".into(),
            format!("/v1.0/servicePrincipals(appId='{GRAPH_APP_ID}')"),
            None,
        ));
        let scope = permissions::delegated_scope(&i.permissions);
        if !scope.is_empty() {
            out.push((
                "POST".into(),
                "/v1.0/oauth2PermissionGrants".into(),
                Some(
                    json!({"clientId": "<service principal>", "consentType": "AllPrincipals",
                    "resourceId": "<Microsoft Graph's service principal>", "scope": scope}),
                ),
            ));
        }
        for role in permissions::app_role_ids(&i.permissions) {
            out.push((
                "POST".into(),
                "/v1.0/servicePrincipals/<Microsoft Graph's service principal>/appRoleAssignedTo"
                    .into(),
                Some(json!({"principalId": "<service principal>",
                    "resourceId": "<Microsoft Graph's service principal>", "appRoleId": role})),
            ));
        }
    }
    out
}

fn app_body(i: &Inputs) -> Value {
    json!({
        "displayName": i.name,
        "signInAudience": i.audience,
        "web": {"redirectUris": [i.web]},
        "spa": {"redirectUris": [i.spa]},
        "requiredResourceAccess": permissions::required_resource_access(&i.permissions),
    })
}

fn password_body(i: &Inputs, start: &str) -> Value {
    json!({"passwordCredential": {
        "displayName": i.description,
        "startDateTime": start,
        "endDateTime": format!("{}T00:00:00Z", i.end_date),
    }})
}

pub fn run(env: &Env, args: &ApplyArgs, out: &mut dyn Write) -> Outcome {
    let lang = env.procedure.lang();
    let io = |e: std::io::Error| Failure::write(e, lang);
    let progress = env.load()?;
    let r = Report::new(&env.procedure, &progress, env.today);
    if let Some(expires) = &args.renew {
        return renew::run(env, args, expires, &r, out);
    }
    let i = inputs(&r, false, WHAT)?;
    if args.dry_run {
        writeln!(
            out,
            "{}",
            tr!(
                lang,
                "azreg apply would send these requests to Microsoft Graph (nothing was sent or changed):",
                "azreg apply würde diese Anfragen an Microsoft Graph senden (nichts wurde gesendet oder geändert):"
            )
        )
        .map_err(io)?;
        let how = sign_in::options(env, args, &r)?;
        writeln!(out, "{}", how.describe(lang)).map_err(io)?;
        for (method, path, body) in plan(&i) {
            let body = body.map(|b| format!("  {b}")).unwrap_or_default();
            writeln!(out, "{method:<6} {path}{body}").map_err(io)?;
        }
        return Ok(EXIT_OK);
    }
    let rt = runtime()?;
    let graph = sign_in(env, args, &rt, &r)?;
    let mut opened = env.open()?;
    {
        let mut run = Run::file(env, &mut opened, out);
        rt.block_on(apply(&env.procedure, &graph, &i, &mut run))
            .map_err(|s| s.failure(lang))?;
    }
    // The live check with what was just made.
    let results = live_check(env, args, &mut opened, &rt, out)?;
    Ok(results.exit_code())
}

/// The live check with the values on file, each line printed as it ends; a pass is recorded.
fn live_check(
    env: &Env,
    args: &ApplyArgs,
    opened: &mut Opened,
    rt: &tokio::runtime::Runtime,
    out: &mut dyn Write,
) -> Result<crate::verify::Results, Failure> {
    let req = crate::verify::Request::from_progress(
        &env.procedure,
        &opened.progress,
        env.today,
        crate::verify::Overrides {
            authority: args.authority.clone(),
            ..Default::default()
        },
    )
    .map_err(|e| Failure::new(EXIT_CHECK, e.message().to_string()))?;
    let budget = crate::verify::DEFAULT_TIMEOUT;
    let http =
        crate::verify::client(budget, &req.authority).map_err(|e| Failure::new(EXIT_USAGE, e))?;
    let results = rt.block_on(crate::verify::run_reporting(
        &http,
        &req,
        budget,
        &mut |what, o| {
            let _ = writeln!(out, "{} {what}: {}", o.mark(), o.message());
        },
    ));
    if results.credentials_ok() {
        opened.progress.last_verified = Some(crate::progress::now());
        env.save_opened(opened)?;
    }
    Ok(results)
}

/// Why a run of apply stopped.
pub enum Stop {
    /// A Graph call failed at this step (its label).
    Graph(String, GraphError),
    Failed(Failure),
}

impl Stop {
    /// As a failure of the command: exit 7 for a step, with what was kept and what to do.
    pub fn failure(self, lang: crate::i18n::Lang) -> Failure {
        match self {
            Stop::Graph(step, e) => Failure::new(
                crate::exit::APPLY_STOPPED,
                tr!(
                    lang,
                    "stopped at {step}: {p0}; the steps done so far are saved, and azreg apply continues from here when run again",
                    "angehalten bei {step}: {p0}; die bisher erledigten Schritte sind gespeichert, und azreg apply macht beim nächsten Aufruf hier weiter",
                    p0 = e.explain(lang),
                    step = step,
                ),
            ),
            Stop::Failed(f) => f,
        }
    }
}

impl From<Failure> for Stop {
    fn from(f: Failure) -> Self {
        Stop::Failed(f)
    }
}

/// An id Graph handed out, checked before it goes into a request path, the progress file or
/// onto the screen: a GUID (object and application ids), or for a permission grant Graph's
/// base64url key.
fn id_from(v: &Value, grant: bool, lang: crate::i18n::Lang) -> Result<String, Stop> {
    let s = v.as_str().unwrap_or_default();
    let ok = if grant {
        (1..=128).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    } else {
        crate::fields::is_guid(s)
    };
    if ok {
        return Ok(s.to_string());
    }
    Err(Stop::Failed(Failure::new(
        crate::exit::APPLY_STOPPED,
        tr!(
            lang,
            "Microsoft Graph answered with an id azreg cannot use ({id:?}); nothing more was sent",
            "Microsoft Graph antwortete mit einer ID, die azreg nicht verwenden kann ({id:?}); nichts weiter wurde gesendet",
            id = crate::verify::server_text(s),
        ),
    )))
}

/// Mark the steps of one part of apply done, and save.
async fn mark(p: &Procedure, run: &mut Run<'_>, part: &str, what: String) -> Result<(), Stop> {
    let now = crate::progress::now();
    let mut labels = Vec::new();
    for (i, e) in p.entries.iter().enumerate() {
        if e.applied.as_deref() == Some(part) && !run.progress.is_done(&e.step.id) {
            run.progress.done.insert(e.step.id.clone(), now);
            labels.push(p.label(i).to_string());
        }
    }
    run.save().await?;
    let steps = if labels.is_empty() {
        String::new()
    } else {
        format!(" [{}]", labels.join(", "))
    };
    run.say(format!("✓ {what}{steps}"));
    Ok(())
}

/// The step a call stands for, for "stopped at": the one that captures `field` (the app's name
/// for the app, the secret's description for the secret, the consent for the consent), else the
/// first step of the part.
fn step_of(p: &Procedure, field: &str, part: &str) -> String {
    let entry = p.entry_of_field(field).or_else(|| {
        p.entries
            .iter()
            .position(|e| e.applied.as_deref() == Some(part))
    });
    entry
        .map(|i| tr!(p.lang(), "step {}", "Schritt {}", p.label(i)))
        .unwrap_or_default()
}

/// A new secret for the app. One azreg asked for before but never recorded (interrupted) is
/// found by its start time and removed first; the start time of this one is saved before the
/// call, and the value right after it: Graph never shows it again.
async fn add_secret(
    graph: &Graph,
    run: &mut Run<'_>,
    object_id: &str,
    creds: &[Value],
    i: &Inputs,
    at: &str,
) -> Result<(), Stop> {
    if let Some(start) = run.progress.pending_secret.clone() {
        for c in creds
            .iter()
            .filter(|c| c["startDateTime"].as_str() == Some(start.as_str()))
        {
            graph
                .call(
                    Method::POST,
                    &format!("applications/{object_id}/removePassword"),
                    Some(&json!({"keyId": c["keyId"].clone()})),
                )
                .await
                .map_err(|e| Stop::Graph(at.to_string(), e))?;
        }
    }
    // Whole seconds, RFC 3339: Graph gives it back as sent, so a rerun can find this secret.
    let start = crate::progress::now().to_string();
    run.progress.pending_secret = Some(start.clone());
    run.save().await?;
    let added = graph
        .call_retrying(
            Method::POST,
            &format!("applications/{object_id}/addPassword"),
            Some(&password_body(i, &start)),
            run.waited(),
        )
        .await
        .map_err(|e| Stop::Graph(at.to_string(), e))?;
    let value = added["secretText"].as_str().unwrap_or_default().to_string();
    run.progress.values.insert("client_secret".into(), value);
    run.progress.secret_key_id = added["keyId"]
        .as_str()
        .filter(|k| crate::fields::is_guid(k))
        .map(str::to_ascii_lowercase);
    run.progress.pending_secret = None;
    run.save().await?;
    Ok(())
}

/// The registration through Graph, each part marked and saved as it is done.
pub async fn apply(
    p: &Procedure,
    graph: &Graph,
    i: &Inputs,
    run: &mut Run<'_>,
) -> Result<(), Stop> {
    let lang = p.lang();
    let at = |part: &str| match part {
        "app" => step_of(p, "app_name", part),
        "secret" => step_of(p, "secret_description", part),
        "consent" => step_of(p, crate::report::CONSENT_FIELD, part),
        _ => step_of(p, "", part),
    };

    // The tenant.
    let org = graph
        .call(Method::GET, "organization", None)
        .await
        .map_err(|e| Stop::Graph(at("app"), e))?;
    let tenant = org["value"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    if crate::fields::is_guid(&tenant) {
        run.progress
            .values
            .insert("tenant_id".into(), tenant.to_ascii_lowercase());
    }

    // The application: the recorded one first, then by client ID, then by name; else a new one.
    let mut app: Option<Value> = None;
    if let Some(id) = run.progress.app_object_id.clone() {
        match graph
            .call_retrying(
                Method::GET,
                &format!("applications/{id}"),
                None,
                run.waited(),
            )
            .await
        {
            Ok(v) => app = Some(v),
            Err(e) if e.code() == Some("Request_ResourceNotFound") => {}
            Err(e) => return Err(Stop::Graph(at("app"), e)),
        }
    }
    if app.is_none()
        && let Some(client) = run.progress.values.get("client_id").cloned()
    {
        match graph
            .call(
                Method::GET,
                &format!("applications(appId='{client}')"),
                None,
            )
            .await
        {
            Ok(v) => app = Some(v),
            Err(e) if e.code() == Some("Request_ResourceNotFound") => {}
            Err(e) => return Err(Stop::Graph(at("app"), e)),
        }
    }
    // A key recorded: an earlier run was cut off around the create; the upsert below settles it.
    if app.is_none() && run.progress.app_unique_name.is_none() {
        let found = graph
            .call(
                Method::GET,
                &format!("applications?$filter={}", filter_eq("displayName", &i.name)),
                None,
            )
            .await
            .map_err(|e| Stop::Graph(at("app"), e))?;
        let list = found["value"].as_array().cloned().unwrap_or_default();
        if list.len() > 1 {
            return Err(Stop::Failed(Failure::new(
                EXIT_CHECK,
                tr!(
                    lang,
                    "several app registrations are called {:?}: enter the right client ID (azreg set client_id ...) and run again",
                    "mehrere App-Registrierungen heißen {:?}: tragen Sie die richtige Client-ID ein (azreg set client_id ...) und starten Sie erneut",
                    crate::text::clean_for_display(&i.name)
                ),
            )));
        }
        app = list.into_iter().next();
    }
    let app = match app {
        Some(existing) => {
            // Update: keep redirect URIs and other APIs' permissions that others added.
            let id = id_from(&existing["id"], false, lang)?;
            let merged = |platform: &str, uri: &str| {
                let mut list: Vec<Value> = existing[platform]["redirectUris"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if !list.iter().any(|u| u.as_str() == Some(uri)) {
                    list.push(json!(uri));
                }
                list
            };
            let mut access: Vec<Value> = existing["requiredResourceAccess"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|r| r["resourceAppId"] != GRAPH_APP_ID)
                .collect();
            access.extend(
                permissions::required_resource_access(&i.permissions)
                    .as_array()
                    .cloned()
                    .unwrap_or_default(),
            );
            let body = json!({
                "displayName": i.name, "signInAudience": i.audience,
                "web": {"redirectUris": merged("web", &i.web)},
                "spa": {"redirectUris": merged("spa", &i.spa)},
                "requiredResourceAccess": access,
            });
            graph
                .call_retrying(
                    Method::PATCH,
                    &format!("applications/{id}"),
                    Some(&body),
                    run.waited(),
                )
                .await
                .map_err(|e| Stop::Graph(at("app"), e))?;
            existing
        }
        None => {
            let key = match run.progress.app_unique_name.clone() {
                Some(k) => k,
                None => {
                    let k = format!("azreg-{}", uuid::Uuid::new_v4());
                    run.progress.app_unique_name = Some(k.clone());
                    run.save().await?;
                    k
                }
            };
            let path = format!("applications(uniqueName='{key}')");
            let made = graph
                .upsert(&path, &app_body(i))
                .await
                .map_err(|e| Stop::Graph(at("app"), e))?;
            if made.is_null() {
                // It existed: made by the run that was cut off. Read it back.
                graph
                    .call_retrying(Method::GET, &path, None, run.waited())
                    .await
                    .map_err(|e| Stop::Graph(at("app"), e))?
            } else {
                made
            }
        }
    };
    let object_id = id_from(&app["id"], false, lang)?;
    let client_id = id_from(&app["appId"], false, lang)?.to_ascii_lowercase();
    // Recorded at once: a run after an interruption finds this app, never makes a second.
    run.progress.app_object_id = Some(object_id.clone());
    run.progress
        .values
        .insert("client_id".into(), client_id.clone());
    let what = tr!(
        lang,
        "app registration {client_id}: both redirect URIs, the API permissions",
        "App-Registrierung {client_id}: beide Umleitungs-URIs, die API-Berechtigungen",
        client_id = client_id,
    );
    mark(p, run, "app", what).await?;

    // The service principal (Entra ID refuses sign-in without one: AADSTS7000229).
    let sps = graph
        .call(
            Method::GET,
            &format!(
                "servicePrincipals?$filter={}",
                filter_eq("appId", &client_id)
            ),
            None,
        )
        .await
        .map_err(|e| Stop::Graph(at("app"), e))?;
    let sp = match &sps["value"][0] {
        Value::Null => graph
            .call_retrying(
                Method::POST,
                "servicePrincipals",
                Some(&json!({"appId": client_id})),
                run.waited(),
            )
            .await
            .map_err(|e| Stop::Graph(at("app"), e))?,
        found => found.clone(),
    };
    let sp_id = id_from(&sp["id"], false, lang)?;
    run.progress.sp_object_id = Some(sp_id.clone());
    run.save().await?;

    // The secret: kept when azreg recorded it for this app and Graph still has it; one azreg
    // asked for but never recorded (interrupted) is found by its start time and removed.
    let creds = app["passwordCredentials"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let recorded = run
        .progress
        .secret_key_id
        .as_deref()
        .is_some_and(|k| creds.iter().any(|c| c["keyId"].as_str() == Some(k)))
        && run.progress.values.contains_key("client_secret");
    if !recorded {
        add_secret(graph, run, &object_id, &creds, i, &at("secret")).await?;
    }
    let what = tr!(
        lang,
        "client secret (value saved, expires {})",
        "geheimer Clientschlüssel (Wert gespeichert, gültig bis {})",
        i.end_date
    );
    mark(p, run, "secret", what).await?;

    // Consent, when chosen.
    if i.consent {
        let graph_sp = graph
            .call(
                Method::GET,
                &format!("servicePrincipals(appId='{GRAPH_APP_ID}')"),
                None,
            )
            .await
            .map_err(|e| Stop::Graph(at("consent"), e))?;
        let graph_sp_id = id_from(&graph_sp["id"], false, lang)?;
        let scope = permissions::delegated_scope(&i.permissions);
        if !scope.is_empty() {
            let grants = graph
                .call(
                    Method::GET,
                    &format!(
                        "oauth2PermissionGrants?$filter={}",
                        filter_eq("clientId", &sp_id)
                    ),
                    None,
                )
                .await
                .map_err(|e| Stop::Graph(at("consent"), e))?;
            let existing = grants["value"]
                .as_array()
                .and_then(|l| {
                    l.iter().find(|g| {
                        g["resourceId"] == graph_sp_id.as_str()
                            && g["consentType"] == "AllPrincipals"
                    })
                })
                .map(|g| id_from(&g["id"], true, lang))
                .transpose()?;
            match existing {
                Some(id) => {
                    graph
                        .call(
                            Method::PATCH,
                            &format!("oauth2PermissionGrants/{id}"),
                            Some(&json!({"scope": scope})),
                        )
                        .await
                }
                None => {
                    graph
                        .call_retrying(
                            Method::POST,
                            "oauth2PermissionGrants",
                            Some(&json!({"clientId": sp_id, "consentType": "AllPrincipals",
                            "resourceId": graph_sp_id, "scope": scope})),
                            run.waited(),
                        )
                        .await
                }
            }
            .map_err(|e| Stop::Graph(at("consent"), e))?;
        }
        let have = graph
            .call(
                Method::GET,
                &format!("servicePrincipals/{sp_id}/appRoleAssignments"),
                None,
            )
            .await
            .map_err(|e| Stop::Graph(at("consent"), e))?;
        for role in permissions::app_role_ids(&i.permissions) {
            let present = have["value"]
                .as_array()
                .is_some_and(|l| l.iter().any(|a| a["appRoleId"] == role));
            if !present {
                graph
                    .call_retrying(
                        Method::POST,
                        &format!("servicePrincipals/{graph_sp_id}/appRoleAssignedTo"),
                        Some(&json!({"principalId": sp_id, "resourceId": graph_sp_id, "appRoleId": role})),
                        run.waited(),
                    )
                    .await
                    .map_err(|e| Stop::Graph(at("consent"), e))?;
            }
        }
        let what = tr!(
            lang,
            "admin consent granted",
            "Administratorzustimmung erteilt"
        );
        mark(p, run, "consent", what).await?;
    }
    let what = tr!(
        lang,
        "client ID and tenant ID recorded",
        "Client-ID und Mandanten-ID erfasst"
    );
    mark(p, run, "ids", what).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn ids_from_graph_are_checked_before_they_go_into_a_path() {
        let en = crate::i18n::Lang::En;
        let guid = json!("0B1C2D3E-1111-2222-3333-444455556666");
        assert_eq!(
            id_from(&guid, false, en).ok(),
            Some("0B1C2D3E-1111-2222-3333-444455556666".into())
        );
        for bad in [
            json!("../../me"),
            json!("x\u{1b}]52;c;"),
            json!(null),
            json!(7),
        ] {
            assert!(id_from(&bad, false, en).is_err(), "{bad}");
        }
        let grant = json!("Lk5xTWOuOUKw3q0hAbcdWYXBWqXKtG5LtAs5SzwVw3I");
        assert!(id_from(&grant, true, en).is_ok());
        assert!(id_from(&json!("a/../b"), true, en).is_err());
        let Err(Stop::Failed(f)) = id_from(&json!("\u{1b}[2Jx"), false, en) else {
            panic!("refused");
        };
        assert!(!f.message.contains('\u{1b}'), "{:?}", f.message);
    }

    #[test]
    fn dry_run_prints_the_requests_without_token_or_secret() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(&env, FULL);
        let before = std::fs::read(&env.path).unwrap();
        let args = ApplyArgs {
            dry_run: true,
            ..Default::default()
        };
        let (r, out) = capture(|o| run(&env, &args, o));
        assert_eq!(r, Ok(0), "{out}");
        assert!(
            out.contains("PATCH  /v1.0/applications(uniqueName='azreg-<new GUID>')"),
            "{out}"
        );
        assert!(out.contains("\"signInAudience\":\"AzureADMyOrg\""), "{out}");
        assert!(
            out.contains(
                "Sign-in first: in the browser at https://login.microsoftonline.com/9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff (public client 04b07795-8ddb-461a-bbee-02f9e1bf7b46); Microsoft Graph at https://graph.microsoft.com"
            ),
            "{out}"
        );
        assert!(out.contains("/addPassword"), "{out}");
        assert!(
            out.contains("oauth2PermissionGrants"),
            "consent chosen: {out}"
        );
        assert!(!out.contains("abc8Q~"), "no secret: {out}");
        assert_eq!(std::fs::read(&env.path).unwrap(), before, "nothing changed");
    }
}
