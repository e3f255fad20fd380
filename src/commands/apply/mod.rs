//! `azreg apply` and `azreg plan`: the registration through Microsoft Graph after one sign-in,
//! as Terraform's plan/apply (DESIGN.md, "Plan, then act"): read the tenant (GETs only), make
//! the plan (`plan::build`), show it with who is signed in and where, ask (or `--yes`), then
//! let the engine do exactly that, journaled. `azreg plan` and `--dry-run` stop after showing.
//!
//! Identity is never a guess: the app is the one the record names, or `--adopt`'s; another
//! tenant, an unknown client ID or an app of the same name stop before any write.
//!
//! The sign-in (`sign_in`) is the browser's by default, a device code, or the Azure CLI's
//! token; the walkthrough runs the same steps on a thread of its own (`walkthrough`).

use std::io::{BufRead, IsTerminal, Write};

use url::Url;

use super::script::{Inputs, inputs};
use super::{EXIT_CHECK, EXIT_OK, EXIT_USAGE, Env, Failure, Outcome};
use crate::engine::{self, Backoff, Local, Run, Stop};
use crate::i18n::Lang;
use crate::plan::{self, Desired, Goal, Plan, Recorded, SecretSpec};
use crate::procedure::Procedure;
use crate::progress::Progress;
use crate::report::Report;
use crate::tr;

mod sign_in;
mod walkthrough;

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
    /// Show the plan and change nothing (`azreg plan`, `apply --dry-run`).
    pub plan_only: bool,
    /// With `plan_only`: the plan as JSON.
    pub json: bool,
    pub authority: Option<String>,
    /// `--renew [--expires ...]`: only a new secret (the new expiry, "" for the default).
    pub renew: Option<String>,
    /// With `--renew`: after a passed live check, remove the old secret azreg recorded.
    pub remove_old: bool,
    /// Act without asking (needed without a terminal).
    pub yes: bool,
    /// Take over this app (client ID) explicitly.
    pub adopt: Option<String>,
    /// Create a new app although the record names one this tenant does not have.
    pub new_app: bool,
    /// Add a secret although the recorded one is in place.
    pub new_secret: bool,
    /// Seconds each operation may wait for replication and throttling.
    pub wait: Option<u64>,
}

/// The identity platform Microsoft runs for a cloud, by its Graph root (Microsoft's list of
/// national cloud endpoints).
fn microsoft_authority(graph_root: &str) -> &'static str {
    let host = Url::parse(graph_root)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    match host.as_str() {
        "graph.microsoft.us" | "dod-graph.microsoft.us" => "https://login.microsoftonline.us",
        "microsoftgraph.chinacloudapi.cn" => "https://login.chinacloudapi.cn",
        _ => crate::verify::DEFAULT_AUTHORITY,
    }
}

/// Where the live check sends the secret: the command line's `--authority`, else Microsoft's
/// identity platform of the cloud in use; an authority only the progress file names is used
/// only when the admin confirms it (`trusted: false`).
pub fn check_target(
    cli_authority: Option<&str>,
    progress: &Progress,
    graph_root: &str,
    lang: Lang,
) -> Result<(Url, plan::Check), String> {
    let microsoft = microsoft_authority(graph_root);
    let (text, named_by_file) = match (cli_authority, progress.authority.as_deref()) {
        (Some(a), _) => (a, false),
        (None, Some(f)) => (f, true),
        (None, None) => (microsoft, false),
    };
    let url = crate::verify::parse_authority(text, lang)?;
    let host = url.host_str().unwrap_or_default().to_string();
    let is_microsoft = url.as_str().trim_end_matches('/') == microsoft;
    Ok((
        url,
        plan::Check {
            host,
            trusted: !named_by_file || is_microsoft,
        },
    ))
}

/// What the record asks for: the registration, or a renewal of its secret.
fn goal(r: &Report, args: &ApplyArgs, lang: Lang) -> Result<Goal, Failure> {
    if let Some(expires) = &args.renew {
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
        return Ok(Goal::Renew {
            secret: SecretSpec { description, end },
            remove_old: args.remove_old,
        });
    }
    Ok(Goal::Register(desired(r, &inputs(r, false, WHAT)?)))
}

/// The registration the values ask for.
pub fn desired(r: &Report, i: &Inputs) -> Desired {
    let base = r
        .procedure
        .fields
        .iter()
        .find(|f| f.url_role == Some(crate::fields::UrlRole::Base))
        .and_then(|f| r.ctx().effective(&f.id))
        .map(|(v, _)| v);
    Desired {
        name: i.name.clone(),
        audience: i.audience.clone(),
        web: i.web.clone(),
        spa: i.spa.clone(),
        permissions: i.permissions.clone(),
        consent: i.consent,
        secret: SecretSpec {
            description: i.description.clone(),
            end: i.end_date.clone(),
        },
        portal_origin: base.as_deref().and_then(plan::origin_of),
    }
}

/// The ids the progress file records, each checked before it goes anywhere near a request:
/// a GUID, and azreg's create key of its own form.
pub fn recorded(p: &Progress, lang: Lang) -> Result<Recorded, String> {
    let bad = |key: &str| {
        tr!(
            lang,
            "the progress file's {key} is not a GUID: correct it (or remove it) before azreg sends anything",
            "{key} in der Fortschrittsdatei ist keine GUID: korrigieren (oder entfernen) Sie es, bevor azreg etwas sendet",
            key = key,
        )
    };
    let guid = |key: &str, v: Option<&String>| -> Result<Option<String>, String> {
        match v {
            None => Ok(None),
            Some(v) if crate::fields::is_guid(v) => Ok(Some(v.to_ascii_lowercase())),
            Some(_) => Err(bad(key)),
        }
    };
    let unique = match &p.app_unique_name {
        None => None,
        Some(k) if k.strip_prefix("azreg-").is_some_and(crate::fields::is_guid) => Some(k.clone()),
        Some(_) => return Err(bad("app_unique_name")),
    };
    Ok(Recorded {
        tenant_id: guid("tenant_id", p.values.get("tenant_id"))?,
        client_id: guid("client_id", p.values.get("client_id"))?,
        app_object_id: guid("app_object_id", p.app_object_id.as_ref())?,
        sp_object_id: guid("sp_object_id", p.sp_object_id.as_ref())?,
        unique_name: unique,
        secret_key_id: guid("secret_key_id", p.secret_key_id.as_ref())?,
        secret_hint: p
            .values
            .get("client_secret")
            .map(|s| crate::progress::hint(s)),
        pending_secret: p.pending_secret.clone(),
        verified: p.last_verified.is_some(),
    })
}

/// `--wait`, and the first wait (`AZREG_RETRY_FIRST_MS`, for tests: no test sleeps seconds).
pub fn backoff(wait: Option<u64>) -> Backoff {
    let b = Backoff::new(
        wait.map(std::time::Duration::from_secs)
            .unwrap_or(engine::DEFAULT_WAIT),
    );
    match std::env::var("AZREG_RETRY_FIRST_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        Some(ms) => b.first(std::time::Duration::from_millis(ms.clamp(1, 5000))),
        None => b,
    }
}

/// Read the tenant and make the plan: the one path from sign-in to plan, for both front ends.
pub async fn make_plan(
    graph: &crate::graph::Graph,
    run: &mut Run<'_>,
    goal: &Goal,
    recorded: &Recorded,
    options: &plan::Options,
) -> Result<Result<Plan, plan::Refusal>, Stop> {
    let who = engine::read::who(graph, run).await?;
    // A record for another tenant stops before the app is even looked for.
    if let Some(rec) = &recorded.tenant_id
        && !rec.eq_ignore_ascii_case(&who.tenant_id)
    {
        return Ok(Err(plan::Refusal::TenantMismatch {
            recorded: rec.clone(),
            who,
        }));
    }
    let (name, consent) = match goal {
        Goal::Register(d) => (d.name.as_str(), d.consent),
        Goal::Renew { .. } => ("", false),
    };
    let lookups = plan::lookups(recorded, name, options.adopt.as_deref());
    let tenant = engine::read::tenant(graph, run, who, recorded, &lookups, consent).await?;
    let mut made = plan::build(goal, recorded, &tenant, options);
    if let Ok(p) = &mut made {
        p.graph_host = graph.base().host_str().unwrap_or_default().to_string();
    }
    Ok(made)
}

/// The step that captures a field, for messages ("step 23").
pub fn step_label(p: &Procedure) -> impl Fn(&str) -> String + '_ {
    move |field| {
        p.entry_of_field(field)
            .map(|i| p.label(i).to_string())
            .unwrap_or_else(|| "?".into())
    }
}

/// How a stop ends the command: its exit code and message.
pub fn stop_failure(s: &Stop, p: &Procedure) -> Failure {
    let code = match s {
        Stop::Unreachable(_) => crate::exit::UNREACHABLE,
        Stop::Read(crate::graph::GraphError::Unreachable(_))
        | Stop::Refused {
            error: crate::graph::GraphError::Unreachable(_),
            ..
        } => crate::exit::UNREACHABLE,
        Stop::Saving(_) => crate::exit::FILE,
        _ => crate::exit::APPLY_STOPPED,
    };
    Failure::new(code, s.message(p))
}

/// What the engine needs besides the plan: the procedure whose steps it ticks (the parts a
/// finished registration leaves done), the day, and where the live check goes.
fn engine_ctx<'p>(
    p: &'p Procedure,
    today: time::Date,
    authority: Url,
    goal: &Goal,
) -> engine::Ctx<'p> {
    let parts = match goal {
        Goal::Register(d) if d.consent => vec!["app", "secret", "consent", "ids"],
        Goal::Register(_) => vec!["app", "secret", "ids"],
        Goal::Renew { .. } => Vec::new(),
    };
    engine::Ctx {
        procedure: p,
        today,
        authority,
        parts,
        renewal: matches!(goal, Goal::Renew { .. }),
    }
}

/// Ask on the terminal; without one, only `--yes` acts.
fn confirm(args: &ApplyArgs, plan: &Plan, lang: Lang) -> Result<(), Failure> {
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let untrusted = plan.steps.iter().any(|s| {
        s.marks
            .iter()
            .any(|m| matches!(m, plan::Mark::SecretToHost(_)))
    });
    if !interactive {
        if untrusted {
            return Err(Failure::new(
                EXIT_CHECK,
                tr!(
                    lang,
                    "the progress file names another identity platform for the live check, and --yes does not cover sending the new secret there: run azreg apply in a terminal, or name it with --authority; nothing was changed",
                    "die Fortschrittsdatei nennt eine andere Identitätsplattform für die Live-Prüfung, und --yes deckt nicht ab, den neuen Schlüssel dorthin zu senden: führen Sie azreg apply in einem Terminal aus oder nennen Sie sie mit --authority; nichts wurde geändert"
                ),
            ));
        }
        if !args.yes {
            return Err(Failure::new(
                EXIT_CHECK,
                tr!(
                    lang,
                    "not a terminal: azreg apply acts only with --yes (the plan above is what it would do); nothing was changed",
                    "kein Terminal: azreg apply handelt nur mit --yes (der Plan oben ist, was es täte); nichts wurde geändert"
                ),
            ));
        }
    }
    if args.yes && !untrusted {
        eprintln!(
            "{}",
            tr!(
                lang,
                "azreg: --yes: doing the plan above without asking ({n} marked)",
                "azreg: --yes: der Plan oben wird ohne Rückfrage ausgeführt ({n} markiert)",
                n = plan.marked(),
            )
        );
        return Ok(());
    }
    let marked = plan.marked();
    let question = if marked > 0 {
        tr!(
            lang,
            "{marked} marked (!) above: read them. Do this plan? [y/N] ",
            "{marked} oben markiert (!): lesen Sie sie. Diesen Plan ausführen? [j/N] ",
            marked = marked,
        )
    } else {
        tr!(
            lang,
            "Do this plan? [y/N] ",
            "Diesen Plan ausführen? [j/N] "
        )
    };
    eprint!("{question}");
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .take(64)
        .read_line(&mut answer)
        .map_err(|e| Failure::new(EXIT_USAGE, e.to_string()))?;
    if matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "j" | "ja"
    ) {
        return Ok(());
    }
    Err(Failure::new(
        EXIT_CHECK,
        tr!(
            lang,
            "not applied: nothing was changed",
            "nicht ausgeführt: nichts wurde geändert"
        ),
    ))
}

use std::io::Read as _;

pub fn run(env: &Env, args: &ApplyArgs, out: &mut dyn Write) -> Outcome {
    let lang = env.procedure.lang();
    let io = |e: std::io::Error| Failure::write(e, lang);
    let progress = env.load()?;
    let r = Report::new(&env.procedure, &progress, env.today);
    let goal = goal(&r, args, lang)?;
    let adopt = match &args.adopt {
        Some(a) if crate::fields::is_guid(a.trim()) => Some(a.trim().to_ascii_lowercase()),
        Some(_) => {
            return Err(Failure::new(
                EXIT_USAGE,
                tr!(
                    lang,
                    "--adopt: a client ID (GUID)",
                    "--adopt: eine Client-ID (GUID)"
                ),
            ));
        }
        None => None,
    };
    // The ids on file are checked before any sign-in.
    recorded(&progress, lang).map_err(|e| Failure::new(EXIT_CHECK, e))?;
    let how = sign_in::options(env, args, &r)?;
    let rt = runtime()?;
    let graph = sign_in(env, args, &rt, &r)?;
    let graph_root = format!(
        "{}://{}",
        graph.base().scheme(),
        graph.base().host_str().unwrap_or_default()
    );
    // The file is locked from here: nothing changes it between the plan and the writes.
    let mut opened = if args.plan_only {
        None
    } else {
        Some(env.open()?)
    };
    let current = opened
        .as_ref()
        .map_or_else(|| progress.clone(), |o| o.progress.clone());
    let recorded = recorded(&current, lang).map_err(|e| Failure::new(EXIT_CHECK, e))?;
    let (authority, check) = check_target(args.authority.as_deref(), &current, &graph_root, lang)
        .map_err(|e| Failure::new(EXIT_USAGE, e))?;
    let _ = how;
    let options = plan::Options {
        // `azreg plan` makes no key: apply makes its own when it runs (and saves it first).
        new_key: if args.plan_only {
            "azreg-<new GUID>".into()
        } else {
            format!("azreg-{}", uuid::Uuid::new_v4())
        },
        new_secret: args.new_secret,
        new_app: args.new_app,
        check: Some(check),
        adopt,
    };
    let backoff = backoff(args.wait);
    let made = {
        let mut reading = Run::local(
            current.clone(),
            lang,
            backoff,
            Local {
                save: Box::new(|_| Ok(())),
                say: Box::new(|_| {}),
                notice: Box::new(|l| eprintln!("azreg: {l}")),
            },
            Box::new(|_| {}),
        );
        rt.block_on(make_plan(&graph, &mut reading, &goal, &recorded, &options))
            .map_err(|s| stop_failure(&s, &env.procedure))?
    };
    let plan = made.map_err(|refusal| {
        Failure::new(
            EXIT_CHECK,
            plan::refusal_text(&refusal, lang, &step_label(&env.procedure)),
        )
    })?;
    if args.plan_only && args.json {
        writeln!(out, "{:#}", plan.to_json(lang)).map_err(io)?;
        return Ok(EXIT_OK);
    }
    write!(out, "{}", plan.text(lang)).map_err(io)?;
    out.flush().map_err(io)?;
    if args.plan_only {
        if !plan.is_empty() {
            writeln!(
                out,
                "{}",
                tr!(
                    lang,
                    "(nothing was changed: azreg apply does this after you confirm it)",
                    "(nichts wurde geändert: azreg apply tut dies, nachdem Sie es bestätigt haben)"
                )
            )
            .map_err(io)?;
        }
        return Ok(EXIT_OK);
    }
    if plan.is_empty() {
        return Ok(EXIT_OK);
    }
    confirm(args, &plan, lang)?;
    let opened = opened.as_mut().expect("opened unless plan_only");
    let journal = crate::journal::Journal::new(
        &env.path,
        plan.who.account.clone(),
        plan.who.tenant_id.clone(),
    );
    let ctx = engine_ctx(&env.procedure, env.today, authority, &goal);
    let result = {
        let start = opened.progress.clone();
        let opened_cell = std::cell::RefCell::new(&mut *opened);
        let out_cell = std::cell::RefCell::new(&mut *out);
        let mut run = Run::local(
            start,
            lang,
            backoff,
            Local {
                save: Box::new(|p: &Progress| {
                    let mut o = opened_cell.borrow_mut();
                    o.progress = p.clone();
                    env.save_opened(&mut o).map_err(|f| f.message)
                }),
                say: Box::new(|l| {
                    let _ = writeln!(out_cell.borrow_mut(), "{l}");
                }),
                notice: Box::new(|l| eprintln!("azreg: {l}")),
            },
            Box::new(|w| {
                if let Err(e) = journal.append(w) {
                    eprintln!(
                        "azreg: {}",
                        tr!(
                            lang,
                            "the journal {path} could not be written: {e}",
                            "das Journal {path} ließ sich nicht schreiben: {e}",
                            path = journal.path.display(),
                            e = e,
                        )
                    );
                }
            }),
        );
        rt.block_on(engine::execute(&graph, &plan, &ctx, &mut run))
    };
    match result {
        Err(s) => Err(stop_failure(&s, &env.procedure)),
        Ok(Some(results)) => Ok(results.exit_code()),
        Ok(None) => Ok(EXIT_OK),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn the_live_check_goes_to_microsoft_unless_the_command_line_says_otherwise() {
        let mut p = Progress::new("x");
        let en = Lang::En;
        let (url, c) = check_target(None, &p, "https://graph.microsoft.com", en).unwrap();
        assert_eq!(url.as_str(), "https://login.microsoftonline.com/");
        assert!(c.trusted);
        let (url, c) = check_target(None, &p, "https://graph.microsoft.us", en).unwrap();
        assert_eq!(url.host_str(), Some("login.microsoftonline.us"));
        assert!(c.trusted);
        p.authority = Some("https://login.attacker.example".into());
        let (_, c) = check_target(None, &p, "https://graph.microsoft.com", en).unwrap();
        assert!(!c.trusted, "named only by the file");
        assert_eq!(c.host, "login.attacker.example");
        let (url, c) = check_target(
            Some("https://login.example.org"),
            &p,
            "https://graph.microsoft.com",
            en,
        )
        .unwrap();
        assert!(c.trusted, "named on the command line");
        assert_eq!(url.host_str(), Some("login.example.org"));
        p.authority = Some("https://login.microsoftonline.us".into());
        let (_, c) = check_target(None, &p, "https://graph.microsoft.us", en).unwrap();
        assert!(c.trusted, "the file names Microsoft's own for this cloud");
    }

    #[test]
    fn ids_on_file_are_checked_before_anything_is_sent() {
        let mut p = Progress::new("x");
        p.app_object_id = Some("../../beta/users?$select=id".into());
        let e = recorded(&p, Lang::En).unwrap_err();
        assert!(e.contains("app_object_id is not a GUID"), "{e}");
        p.app_object_id = None;
        p.app_unique_name = Some("x')/../../me".into());
        assert!(recorded(&p, Lang::En).is_err());
        p.app_unique_name = Some("azreg-0b1c2d3e-1111-2222-3333-444455556666".into());
        p.values.insert(
            "client_id".into(),
            "0B1C2D3E-1111-2222-3333-444455556666".into(),
        );
        p.values
            .insert("client_secret".into(), "abc8Q~whatever".into());
        let r = recorded(&p, Lang::En).unwrap();
        assert_eq!(
            r.client_id.as_deref(),
            Some("0b1c2d3e-1111-2222-3333-444455556666")
        );
        assert_eq!(r.secret_hint.as_deref(), Some("abc"));
    }

    #[test]
    fn the_desired_registration_comes_from_the_values() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        with_values(&env, FULL);
        let p = env.load().unwrap();
        let r = Report::new(&env.procedure, &p, env.today);
        let d = desired(&r, &inputs(&r, false, WHAT).unwrap());
        assert_eq!(
            d.portal_origin.as_deref(),
            Some("https://portal.example.com")
        );
        assert_eq!(
            d.web,
            "https://portal.example.com/oauth2/token/ms365-mycompany"
        );
        assert!(d.consent);
    }
}
