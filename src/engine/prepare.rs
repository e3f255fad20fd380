//! Preparing a run, the same for the command line and the walkthrough: where the live check may
//! send the secret, how long to wait, and the one path from a signed-in Graph client to a plan
//! (read the tenant, then `core::plan::build`).

use url::Url;

use super::{Backoff, Ctx, Run, Stop};
use crate::core::plan::{self, Goal, Plan, Recorded};
use crate::core::procedure::Procedure;
use crate::core::progress::Progress;
use crate::remote::http::AuthorityError;

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
        _ => crate::remote::verify::DEFAULT_AUTHORITY,
    }
}

/// One of the identity platforms Microsoft runs (its list of national cloud endpoints), over
/// https on the standard port.
pub fn is_microsofts(url: &Url) -> bool {
    url.scheme() == "https"
        && url.port().is_none()
        && matches!(
            url.host_str(),
            Some(
                "login.microsoftonline.com"
                    | "login.microsoftonline.us"
                    | "login.chinacloudapi.cn"
                    | "login.partner.microsoftonline.cn"
            )
        )
        && url.path().trim_end_matches('/').is_empty()
}

/// Where the live check sends the secret: the command line's `--authority`, else Microsoft's
/// identity platform of the cloud in use; an authority only the progress file names is used
/// only when the admin confirms it (`trusted: false`).
pub fn check_target(
    cli_authority: Option<&str>,
    progress: &Progress,
    graph_root: &str,
) -> Result<(Url, plan::Check), AuthorityError> {
    let microsoft = microsoft_authority(graph_root);
    let (text, named_by_file) = match (cli_authority, progress.authority.as_deref()) {
        (Some(a), _) => (a, false),
        (None, Some(f)) => (f, true),
        (None, None) => (microsoft, false),
    };
    let url = crate::remote::http::parse_authority(text)?;
    let host = url.host_str().unwrap_or_default().to_string();
    let is_microsoft =
        url.as_str().trim_end_matches('/') == microsoft || (named_by_file && is_microsofts(&url));
    Ok((
        url,
        plan::Check {
            host,
            trusted: !named_by_file || is_microsoft,
        },
    ))
}

/// `--wait`, and the first wait (`AZREG_RETRY_FIRST_MS`, for tests: no test sleeps seconds).
pub fn backoff(wait: Option<u64>) -> Backoff {
    let b = Backoff::new(
        wait.map(std::time::Duration::from_secs)
            .unwrap_or(super::DEFAULT_WAIT),
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
    graph: &crate::remote::graph::Graph,
    run: &mut Run<'_>,
    goal: &Goal,
    recorded: &Recorded,
    options: &plan::Options,
) -> Result<Result<Plan, plan::Refusal>, Stop> {
    let who = super::read::who(graph, run).await?;
    // A record for another tenant stops before the app is even looked for.
    if let Some(rec) = &recorded.tenant_id
        && !rec.eq_ignore_ascii_case(&who.tenant_id)
    {
        return Ok(Err(plan::Refusal::TenantMismatch {
            recorded: rec.clone(),
            who: Box::new(who),
        }));
    }
    let (name, consent) = match goal {
        Goal::Register(d) => (d.name.as_str(), d.consent),
        Goal::Renew { .. } | Goal::FinishRotation => ("", false),
    };
    let lookups = plan::lookups(recorded, name, options.adopt.as_deref());
    let mut tenant = super::read::tenant(graph, run, who, recorded, &lookups, consent).await?;
    // Read before planning, so a secret the policy refuses is refused before any write.
    tenant.secret_policy = super::read::secret_policy(graph, run).await?;
    let options = plan::Options {
        graph_root: graph.root(),
        ..options.clone()
    };
    let mut made = plan::build(goal, recorded, &tenant, &options);
    if let Ok(p) = &mut made {
        p.graph_host = graph.base().host_str().unwrap_or_default().to_string();
    }
    Ok(made)
}

/// The registration as Azure has it, for `azreg doctor` and the walkthrough's "check in Azure":
/// who is signed in, and the app the record names (or `client_id`, alone), with its service
/// principal, the consent it holds and its owners. GETs only.
pub async fn read_registration(
    graph: &crate::remote::graph::Graph,
    run: &mut Run<'_>,
    recorded: &Recorded,
    client_id: Option<&str>,
) -> Result<plan::Tenant, Stop> {
    let who = super::read::who(graph, run).await?;
    // Another client ID than the recorded one: nothing else recorded belongs to it.
    let named;
    let recorded = match client_id {
        Some(c) => {
            named = Recorded {
                client_id: Some(c.to_ascii_lowercase()),
                ..Default::default()
            };
            &named
        }
        None => recorded,
    };
    let lookups: Vec<plan::Lookup> = plan::lookups(recorded, "", None)
        .into_iter()
        .filter(|l| !matches!(l, plan::Lookup::SameName(_)))
        .collect();
    super::read::tenant(graph, run, who, recorded, &lookups, true).await
}

/// What the engine needs besides the plan: the procedure whose steps it ticks (the parts a
/// finished registration leaves done), the day, and where the live check goes.
pub fn ctx<'p>(
    now: fn() -> toml::value::Datetime,
    p: &'p Procedure,
    today: time::Date,
    authority: Url,
    goal: &Goal,
) -> Ctx<'p> {
    let parts = match goal {
        Goal::Register(d) if d.consent => vec!["app", "secret", "consent", "ids"],
        Goal::Register(_) => vec!["app", "secret", "ids"],
        Goal::Renew { .. } | Goal::FinishRotation => Vec::new(),
    };
    Ctx {
        procedure: p,
        today,
        authority,
        parts,
        renewal: matches!(goal, Goal::Renew { .. }),
        now,
    }
}
