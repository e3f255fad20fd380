//! `apply --renew`: a new client secret for the recorded app, its value saved before anything
//! else, the live check with it, and only then, when asked, the old secret removed.

use std::io::Write;

use reqwest::Method;
use serde_json::json;

use super::{
    ApplyArgs, Inputs, Run, Stop, add_secret, live_check, password_body, runtime, sign_in,
};
use crate::commands::{EXIT_CHECK, EXIT_OK, EXIT_USAGE, Env, Failure, Outcome};
use crate::graph::GraphError;
use crate::report::Report;
use crate::tr;

/// `apply --renew`: a new secret through Graph (its value saved first), the live check with it,
/// then, when asked and only after the check passed, the removal of the old secret: only the
/// key azreg recorded, never another.
pub(super) fn run(
    env: &Env,
    args: &ApplyArgs,
    expires: &str,
    r: &Report,
    out: &mut dyn Write,
) -> Outcome {
    let lang = env.procedure.lang();
    let end = crate::commands::script::renewal_end(r, expires).ok_or_else(|| {
        Failure::new(
            EXIT_USAGE,
            tr!(
                lang,
                "--expires {:?}: a date (YYYY-MM-DD, in the future) or days from today (1 to 730)",
                "--expires {:?}: ein Datum (JJJJ-MM-TT, in der Zukunft) oder Tage ab heute (1 bis 730)",
                crate::text::clean_for_display(expires)
            ),
        )
    })?;
    let description = r
        .progress
        .values
        .get("secret_description")
        .cloned()
        .unwrap_or_else(|| "Intrexx connector".into());
    let i = Inputs {
        name: String::new(),
        audience: String::new(),
        web: String::new(),
        spa: String::new(),
        description,
        end_date: end.clone(),
        permissions: Vec::new(),
        consent: false,
        client_id: r.progress.values.get("client_id").cloned(),
        tenant_id: None,
    };
    if args.dry_run {
        writeln!(
            out,
            "POST   /v1.0/applications/<object ID>/addPassword  {}",
            password_body(&i, "<now>")
        )
        .map_err(|e| Failure::write(e, lang))?;
        if args.remove_old {
            writeln!(out, "POST   /v1.0/applications/<object ID>/removePassword  {{\"keyId\":\"<the old key azreg recorded>\"}}")
                .map_err(|e| Failure::write(e, lang))?;
        }
        return Ok(EXIT_OK);
    }
    let Some(client_id) = i.client_id.clone().filter(|c| crate::fields::is_guid(c)) else {
        return Err(Failure::new(
            EXIT_CHECK,
            tr!(
                lang,
                "the app's client ID is needed (step 23) to renew its secret",
                "die Client-ID der App wird gebraucht (Schritt 23), um ihren Schlüssel zu erneuern"
            ),
        ));
    };
    let rt = runtime()?;
    let graph = sign_in(env, args, &rt, r)?;
    let mut opened = env.open()?;
    let stopped = |e: GraphError| {
        Failure::new(
            crate::exit::APPLY_STOPPED,
            tr!(
                lang,
                "the renewal stopped: {}",
                "die Erneuerung hielt an: {}",
                e.explain(lang)
            ),
        )
    };
    let mut run = Run::file(env, &mut opened, out);
    let app = rt
        .block_on(graph.call_retrying(
            Method::GET,
            &format!("applications(appId='{client_id}')"),
            None,
            run.waited(),
        ))
        .map_err(stopped)?;
    let object_id = super::id_from(&app["id"], false, lang).map_err(|s| s.failure(lang))?;
    let old_key = run.progress.secret_key_id.clone();
    let old_expiry = run.progress.values.get("secret_expiry").cloned();
    let creds = app["passwordCredentials"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    rt.block_on(add_secret(&graph, &mut run, &object_id, &creds, &i, ""))
        .map_err(|s| match s {
            Stop::Graph(_, e) => stopped(e),
            Stop::Failed(f) => f,
        })?;
    run.progress
        .values
        .insert("secret_expiry".into(), end.clone());
    run.progress.renewals.push(crate::progress::Renewal {
        on: crate::fields::format_date(env.today),
        old_expiry,
        new_expiry: end.clone(),
    });
    rt.block_on(run.save())?;
    run.say(
        tr!(
            lang,
            "✓ new client secret (value saved, expires {end}); enter it in Intrexx (New registration - Authentication)",
            "✓ neuer geheimer Clientschlüssel (Wert gespeichert, gültig bis {end}); tragen Sie ihn in Intrexx ein (Neue Registrierung – Authentifizierung)",
            end = end,
        ),
    );
    drop(run);
    let results = live_check(env, args, &mut opened, &rt, out)?;
    if !results.credentials_ok() {
        return Ok(results.exit_code());
    }
    let new_key = opened.progress.secret_key_id.clone();
    match (args.remove_old, old_key) {
        (true, Some(old)) if Some(&old) != new_key.as_ref() => {
            rt.block_on(graph.call(
                Method::POST,
                &format!("applications/{object_id}/removePassword"),
                Some(&json!({"keyId": old})),
            ))
            .map_err(stopped)?;
            let _ = writeln!(
                out,
                "{}",
                tr!(
                    lang,
                    "✓ the old secret (key {old}) is removed",
                    "✓ der alte Schlüssel (Schlüssel {old}) ist entfernt",
                    old = old,
                )
            );
        }
        (true, _) => {
            let _ = writeln!(
                out,
                "{}",
                tr!(
                    lang,
                    "the old secret was not made by azreg (no key recorded): delete it in the portal (Certificates & secrets) once the connector works",
                    "der alte Schlüssel stammt nicht von azreg (kein Schlüssel erfasst): löschen Sie ihn im Portal (Zertifikate & Geheimnisse), sobald der Connector arbeitet"
                )
            );
        }
        (false, _) => {}
    }
    Ok(results.exit_code())
}
