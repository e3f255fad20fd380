//! The plan as a bash script for the Azure CLI: each operation a block that reads first and
//! writes only where needed, each write exactly `plan::Op::writes` (ids the script learns
//! substituted for `plan::token`s), each failed write taken as `plan::answers` says.

use super::{Script, json, odata, sh_quote};
use crate::core::plan::{self, Op, answers};

/// The reason phrase az prints for a status (`Bad Request({...})`).
fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request(",
        404 => "Not Found(",
        409 => "Conflict(",
        _ => "",
    }
}

/// `classify`: the table of `plan::answers` as bash `case` patterns.
fn classify() -> String {
    let mut arms = String::new();
    for (kind, status) in answers::EXISTS {
        arms.push_str(&format!(
            "    {kind}:*\"{}\"*) echo exists ;;\n",
            reason(*status)
        ));
    }
    for (kind, status, code) in answers::LAG {
        let kind = if *kind == "*" { "*" } else { kind };
        arms.push_str(&format!(
            "    {kind}:*\"{}\"*{code}*) echo lag ;;\n",
            reason(*status)
        ));
    }
    format!(
        r#"# How a failed write is taken: lag (a replica has not seen what it refers to: read whether
# it took effect, wait, try again), exists (read it), throttled (wait), or refused. The same
# table azreg apply follows, by Graph's status and code, never by message text.
classify() {{
  local err
  err=$(cat "$2")
  case $err in
    *"Too Many Requests("*|*"Service Unavailable("*|*"Gateway Timeout("*) echo throttled; return ;;
  esac
  case "$1:$err" in
{arms}    *) echo refused ;;
  esac
}}
"#
    )
}

/// The helpers every script has.
const HELPERS: &str = r#"
say() { printf 'azreg script: %s\n' "$*" >&2; }

is_guid() { [[ $1 =~ ^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$ ]]; }

# An id Graph handed out, checked before it goes into a path or the output.
guid() {
  if ! is_guid "$1"; then say "Microsoft Graph answered with an id azreg cannot use; nothing more is sent"; exit 1; fi
  printf '%s' "$1"
}

# The mark a new secret's description carries: this script's (from its key), the same on every
# run of it, so a run finds the secret an earlier run made whose value was never recorded.
marker="azreg-$(printf '%s' "${unique_name#azreg-}" | tr -d -- '-' | tr 'A-F' 'a-f' | cut -c1-12)"
old_key=''


# A write or a path of the plan, with the ids learned so far.
sub() {
  local s=$1
  s=${s//@OBJECT_ID@/$object_id}
  s=${s//@CLIENT_ID@/$client_id}
  s=${s//@SP_ID@/$sp_id}
  s=${s//@GRAPH_SP@/$graph_sp_id}
  s=${s//@NOW@/$(date -u +%Y-%m-%dT%H:%M:%SZ)}
  s=${s//@MARKER@/$marker}
  s=${s//@OLD_KEY@/$old_key}
  printf '%s' "$s"
}

# One write, until Graph took it, or a read ($2, a command) shows it took effect, or it is
# refused, or the budget (AZREG_WAIT seconds, default 300) is spent. Entra ID replicates new
# objects with no SLA: waits start at AZREG_RETRY_FIRST seconds (default 2) and double to 30.
write() {
  local kind=$1 settle=$2 err out delay=$first_wait start=$SECONDS
  shift 2
  err=$(mktemp)
  while :; do
    if out=$("$@" 2>"$err"); then rm -f "$err"; printf '%s' "$out"; return 0; fi
    case $(classify "$kind" "$err") in
      lag|exists)
        if [ -n "$settle" ] && out=$($settle 2>/dev/null) && [ -n "$out" ]; then
          rm -f "$err"; printf '%s' "$out"; return 0
        fi ;;
      throttled) ;;
      *) cat "$err" >&2; rm -f "$err"; return 1 ;;
    esac
    if [ $((SECONDS - start)) -ge "$budget" ]; then
      cat "$err" >&2; rm -f "$err"
      say "stopped after $((SECONDS - start)) s of waiting for Entra ID (replication or throttling): run the script again to go on (AZREG_WAIT raises the budget)"
      return 1
    fi
    say "not visible yet (replication) or throttled; trying again in ${delay} s ($((SECONDS - start)) of ${budget} s)"
    sleep "$delay"
    delay=$(awk -v d="$delay" 'BEGIN { d *= 2; if (d > 30) d = 30; print d }')
  done
}

# A read that waits out "not found" (something just made) and throttling.
read_retry() { write read '' "$@"; }

# A JSON array as az prints it, with one more item unless it holds it already.
with_item() {
  local list=$1 item=$2
  case $list in *"$item"*) printf '%s' "$list"; return ;; esac
  case $list in *'['*) list=${list%]*} ;; *) list='[' ;; esac
  case $list in *[![:space:][]*) printf '%s, %s]' "$list" "$item" ;; *) printf '[%s]' "$item" ;; esac
}

# Two JSON arrays as one.
joined() {
  local a=$1 b=$2
  case $a in *[![:space:][\]]*) ;; *) printf '%s' "$b"; return ;; esac
  printf '%s, %s' "${a%]*}" "${b#*[}"
}

# Graph's address in the signed-in cloud (national clouds have their own).
graph_resource=$(az cloud show --query endpoints.microsoftGraphResourceId --output tsv)

# One call to Graph; throttling (any call may get it) is waited out within the budget.
rest() {
  local err out delay=$first_wait start=$SECONDS
  err=$(mktemp)
  while :; do
    if out=$(az rest --resource "$graph_resource" "$@" 2>"$err"); then
      rm -f "$err"; printf '%s' "$out"; return 0
    fi
    if [ "$(classify read "$err")" = throttled ] && [ $((SECONDS - start)) -lt "$budget" ]; then
      say "Microsoft Graph asks to wait (throttling); trying again in ${delay} s"
      sleep "$delay"
      delay=$(awk -v d="$delay" 'BEGIN { d *= 2; if (d > 30) d = 30; print d }')
      continue
    fi
    cat "$err" >&2; rm -f "$err"; return 1
  done
}
url() { printf '%s%s' "${graph_resource%/}" "$(sub "$1")"; }

tenant_id=$(guid "$(az account show --query tenantId --output tsv)")
if [ -n "$recorded_tenant" ] && [ "${tenant_id,,}" != "${recorded_tenant,,}" ]; then
  say "signed in to tenant $tenant_id, but azreg recorded $recorded_tenant: sign in to that one (az login --tenant $recorded_tenant); nothing was changed"
  exit 1
fi
"#;

/// The write that removes a secret an earlier run of the script made: path and body, quoted,
/// its key as [`plan::token::OLD_KEY`].
fn replaced_secret(app: &plan::AppRef) -> (String, String) {
    let op = Op::RemoveSecret {
        app: app.clone(),
        key_id: plan::token::OLD_KEY.into(),
        hint: String::new(),
        why: plan::RemoveWhy::Orphaned,
    };
    let w = &op.writes(&plan::script_ids())[0];
    (sh_quote(&w.path_text()), sh_quote(&w.body.to_string()))
}

/// One block per operation of the plan.
#[allow(
    clippy::too_many_lines,
    reason = "one arm per operation, its bash as the script runs it"
)]
fn block(s: &Script, op: &Op) -> String {
    let ids = plan::script_ids();
    let w = op.writes(&ids);
    let path = |i: usize| sh_quote(&w[i].path_text());
    let body = |i: usize| sh_quote(&w[i].body.to_string());
    match op {
        Op::CreateApp { .. } => format!(
            r#"
# The app registration, created under azreg's key (an upsert: run again, it is the same app).
# An app of the same display name that azreg did not make is never taken over by its name.
others=$(rest --method GET --uri "$(url '/v1.0/applications')?\$filter=$name_filter" --query "value[?uniqueName!='$unique_name'].appId" --output tsv)
if [ -n "$others" ]; then
  say "an app registration with this display name exists already (client ID: $(printf '%s' "$others" | tr '\n' ' ')); azreg does not take over an app by its name: nothing was changed. If it is yours: azreg script az --adopt CLIENT_ID; otherwise choose another name"
  exit 1
fi
say "creating the app registration (key $unique_name)"
write create_app '' rest --method PATCH --uri "$(url {p0})" --headers 'Prefer=create-if-missing' --body "$(sub {b0})" --output none
made=$(read_retry rest --method GET --uri "$(url "/v1.0/applications(uniqueName='$unique_name')")" --query "[id, appId]" --output tsv)
{{ read -r object_id; read -r client_id; }} <<< "$made"
object_id=$(guid "$object_id")
client_id=$(guid "$client_id")
say "application (client) ID: $client_id"
"#,
            p0 = path(0),
            b0 = body(0),
        ),
        Op::UpdateApp { .. } => {
            let d = s.desired();
            let access = d
                .map(|d| {
                    d.permissions
                        .iter()
                        .map(|p| {
                            let t = if p.kind == crate::core::permissions::Kind::Delegated {
                                "Scope"
                            } else {
                                "Role"
                            };
                            format!(
                                "graph_now=$(with_access \"$graph_now\" {} {t})\n",
                                sh_quote(p.id)
                            )
                        })
                        .collect::<String>()
                })
                .unwrap_or_default();
            let step = s.step();
            let (uris_now, uris_body) = d.map(redirect_lines).unwrap_or_default();
            format!(
                r#"
# The app registration azreg recorded (or --adopt named), updated: each redirect URI on its
# own platform, the API permissions added; what others put there stays.
say "updating the app registration $client_id"
if ! object_id=$(rest --method GET --uri "$(url "/v1.0/applications(appId='$client_id')")" --query id --output tsv); then
  say "the recorded client ID $client_id is not an app registration in tenant $tenant_id: signed in to another tenant? a typo in step {step}? nothing was changed"
  exit 1
fi
object_id=$(guid "$object_id")
app_url=$(url "/v1.0/applications/$object_id")
{uris_now}graph_now=$(read_retry rest --method GET --uri "$app_url" --query "requiredResourceAccess[?resourceAppId=='$graph_app_id'] | [0].resourceAccess || \`[]\`" --output json)
other_apis=$(read_retry rest --method GET --uri "$app_url" --query "requiredResourceAccess[?resourceAppId!='$graph_app_id']" --output json)
with_access() {{
  case $1 in *"\"$2\""*) printf '%s' "$1" ;; *) with_item "$1" "{{\"id\": \"$2\", \"type\": \"$3\"}}" ;; esac
}}
{access}write update_app '' rest --method PATCH --uri "$app_url" \
  --body "{{\"displayName\": $display_name_json, \"signInAudience\": \"$sign_in_audience\", {uris_body}\"requiredResourceAccess\": $(joined "$other_apis" "[{{\"resourceAppId\": \"$graph_app_id\", \"resourceAccess\": $graph_now}}]")}}" \
  --output none
"#
            )
        }
        Op::CreateServicePrincipal { .. } => format!(
            r#"
# Its service principal: Entra ID refuses every sign-in without one (AADSTS7000229), and
# `az ad app create` does not make it. A second create while a replica lags answers 409: it
# exists, and is read.
sp_of() {{ rest --method GET --uri "$(url "/v1.0/servicePrincipals(appId='$client_id')")" --query id --output tsv; }}
sp_id=$(sp_of 2>/dev/null || true)
if [ -z "$sp_id" ]; then
  say "creating the service principal (Enterprise application)"
  sp_id=$(write create_service_principal sp_of rest --method POST --uri "$(url {p0})" --body "$(sub {b0})" --query id --output tsv)
fi
sp_id=$(guid "$sp_id")
"#,
            p0 = path(0),
            b0 = body(0),
        ),
        Op::AddSecret { app, .. } => {
            let (guard, replace) = match &s.goal {
                plan::Goal::Renew { .. } | plan::Goal::FinishRotation => ("false".to_string(), String::new()),
                plan::Goal::Register(_) => (
                    r#"[ "$new_secret" != yes ] && [ -n "$recorded_key" ] && rest --method GET --uri "$(url "/v1.0/applications/$object_id")" --query "passwordCredentials[].keyId" --output tsv | grep -qix "$recorded_key""#.to_string(),
                    {
                        let (rp, rb) = replaced_secret(app);
                        format!(
                            r#"
  # A secret an earlier run of this script made (its mark) whose value azreg never recorded is
  # replaced, not added to: the one printed below is the app's.
  if [ "$new_secret" != yes ]; then
    new_key=$(printf '%s' "$secret_json" | tr -d '\n' | sed -n 's/.*"secretKeyId": *"\([^"]*\)".*/\1/p')
    for old_key in $(rest --method GET --uri "$(url "/v1.0/applications/$object_id")" \
        --query "passwordCredentials[?contains(displayName || '', '($marker)')].keyId" --output tsv); do
      if is_guid "$old_key" && [ "${{old_key,,}}" != "${{new_key,,}}" ] && [ "${{old_key,,}}" != "${{recorded_key,,}}" ]; then
        say "removing the client secret (key $old_key) an earlier run of this script made, never recorded by azreg: the new one replaces it"
        write remove_secret '' rest --method POST --uri "$(url {rp})" --body "$(sub {rb})" >/dev/null
      fi
    done
  fi"#
                        )
                    },
                ),
            };
            format!(
                r#"
# A client secret, unless the one azreg recorded is still on the app (--new-secret adds one
# anyway): a re-run adds no second live secret.
if {guard}; then
  say "the client secret azreg recorded is on the app: no new one (azreg script az --new-secret adds one)"
  secret_json='{{"secretInPlace": true}}'
else
  say "creating the client secret"
  say "WARNING: the JSON on stdout holds the secret's value, shown only this once: store it now."
  secret_json=$(write add_secret '' rest --method POST --uri "$(url {p0})" --body "$(sub {b0})" \
    --query "{{password: secretText, secretKeyId: keyId, secretEndDateTime: endDateTime}}" --output json){replace}
fi
"#,
                p0 = path(0),
                b0 = body(0),
            )
        }
        Op::GrantScopes { add, .. } => format!(
            r#"
# Admin consent (for all users) to the delegated permissions: a grant, or the scopes added to
# the one there is.
graph_sp_id=$(guid "$(read_retry rest --method GET --uri "$(url "/v1.0/servicePrincipals(appId='$graph_app_id')")" --query id --output tsv)")
grant_of() {{ rest --method GET --uri "$(url '/v1.0/oauth2PermissionGrants')?\$filter=clientId%20eq%20%27$sp_id%27" --query "value[?resourceId=='$graph_sp_id' && consentType=='AllPrincipals'] | [0].${{1:-id}}" --output tsv; }}
grant_id=$(grant_of 2>/dev/null || true)
if [ -z "$grant_id" ]; then
  say "granting admin consent for: {scopes}"
  grant_id=$(write grant_scopes grant_of rest --method POST --uri "$(url {p0})" --body "$(sub {b0})" --query id --output tsv)
fi
have=" $(read_retry grant_of scope) "
want=$have
for scope in {scopes}; do case $want in *" $scope "*) ;; *) want="$want$scope " ;; esac; done
if [ "$want" != "$have" ]; then
  want=$(printf '%s' "$want" | sed 's/^ *//; s/ *$//')
  write grant_scopes '' rest --method PATCH --uri "$(url "/v1.0/oauth2PermissionGrants/$grant_id")" --body "{{\"scope\": \"$want\"}}" --output none
fi
consent=true
"#,
            scopes = add.join(" "),
            p0 = path(0),
            b0 = body(0),
        ),
        Op::AssignRoles { roles, names, .. } => {
            let mut out = format!(
                r#"
# Admin consent to the application permissions ({names}): one app role assignment each.
graph_sp_id=$(guid "$(read_retry rest --method GET --uri "$(url "/v1.0/servicePrincipals(appId='$graph_app_id')")" --query id --output tsv)")
role_of() {{ rest --method GET --uri "$(url "/v1.0/servicePrincipals/$sp_id/appRoleAssignments")" --query "value[?appRoleId=='$1'].id | [0]" --output tsv; }}
"#,
                names = names.join(", ")
            );
            for (i, r) in roles.iter().enumerate() {
                out.push_str(&format!(
                    r#"if [ -z "$(role_of {role} 2>/dev/null || true)" ]; then
  write assign_roles "role_of {role}" rest --method POST --uri "$(url {p})" --body "$(sub {b})" --output none
fi
"#,
                    role = r.id,
                    p = path(i),
                    b = body(i),
                ));
            }
            out.push_str("consent=true\n");
            out
        }
        // A script never removes a secret, and the live check is azreg's (`azreg verify`).
        // Clean-up plans are the command line's alone; no script is made of them.
        // A script's plan adds no owner (it does not know who runs it).
        Op::RemoveSecret { .. }
        | Op::LiveCheck { .. }
        | Op::DeleteApp { .. }
        | Op::AddOwner { .. } => String::new(),
    }
}

/// The redirect URIs of an update, platform by platform (data: a third platform needs no
/// code here): each platform's URIs read without ours that belong elsewhere, and the body's
/// part that puts ours on their own platform (`redirect_uri_N` as `render` numbers them).
fn redirect_lines(d: &plan::Desired) -> (String, String) {
    let ours: Vec<(plan::Platform, usize)> = d
        .redirect_uris
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (p, i))
        .collect();
    let (mut now, mut body) = (String::new(), String::new());
    for platform in plan::Platform::ALL {
        let prop = platform.property();
        let elsewhere: Vec<String> = ours
            .iter()
            .filter(|(p, _)| *p != platform)
            .map(|(_, i)| format!("@ != '$redirect_uri_{i}'"))
            .collect();
        let query = if elsewhere.is_empty() {
            format!("{prop}.redirectUris")
        } else {
            format!("{prop}.redirectUris[?{}]", elsewhere.join(" && "))
        };
        now += &format!(
            "{prop}_now=$(read_retry rest --method GET --uri \"$app_url\" --query \"{query} || \\`[]\\`\" --output json)\n"
        );
        let mut list = format!("${prop}_now");
        for (_, i) in ours.iter().filter(|(p, _)| *p == platform) {
            list = format!("$(with_item \"{list}\" \"$redirect_uri_{i}_json\")");
        }
        body += &format!("\\\"{prop}\\\": {{\\\"redirectUris\\\": {list}}}, ");
    }
    (now, body)
}

#[allow(
    clippy::too_many_lines,
    reason = "the script's text in the order it runs"
)]
pub fn render(s: &Script) -> String {
    let renew = matches!(s.goal, plan::Goal::Renew { .. });
    let d = s.desired();
    let mut values = vec![
        (
            "client_id",
            sh_quote(s.client_id.as_deref().unwrap_or_default()),
        ),
        (
            "recorded_tenant",
            sh_quote(s.tenant_id.as_deref().unwrap_or_default()),
        ),
        (
            "recorded_key",
            sh_quote(s.recorded_key.as_deref().unwrap_or_default()),
        ),
        ("unique_name", sh_quote(&s.key)),
        ("new_secret", if s.new_secret { "yes" } else { "no" }.into()),
    ];
    if let Some(d) = d {
        let filter = url::form_urlencoded::byte_serialize(
            format!("displayName eq {}", odata(&d.name)).as_bytes(),
        )
        .collect::<String>()
        .replace('+', "%20");
        values.extend([
            ("display_name_json", sh_quote(&json(&d.name))),
            ("name_filter", sh_quote(&filter)),
            ("sign_in_audience", sh_quote(&d.audience)),
            (
                "permissions_json",
                sh_quote(&json(&crate::core::permissions::format(&d.permissions))),
            ),
        ]);
    }
    let mut values: String = values
        .into_iter()
        .map(|(k, v)| format!("{k}={v}\n"))
        .collect();
    // The redirect URIs by number, as `redirect_lines` names them.
    for (i, (_, uri)) in d.iter().flat_map(|d| d.redirect_uris.iter()).enumerate() {
        values += &format!(
            "redirect_uri_{i}={}\nredirect_uri_{i}_json={}\n",
            sh_quote(uri),
            sh_quote(&json(uri))
        );
    }
    let header = if renew {
        "# azreg: renews the client secret of the Intrexx portal's app in Microsoft Entra ID with the\n\
         # Azure CLI: a new secret beside the old one, which is never removed here (delete it in the\n\
         # portal once the connector works with the new one). Run it signed in (az login)."
    } else {
        "# azreg: registers the Intrexx portal's app in Microsoft Entra ID with the Azure CLI, with the\n\
         # values captured in azreg. Run it signed in (az login) as someone who may create app\n\
         # registrations (Application Administrator or Cloud Application Administrator; to consent to\n\
         # Microsoft Graph application permissions, Privileged Role Administrator).\n\
         #\n\
         # Safe to run again: it works on the app whose client ID azreg recorded, or creates one under\n\
         # azreg's key (never taking over an app by its name), waits out Entra ID's replication, and\n\
         # adds no second secret while the recorded one is there."
    };
    let mut out = format!(
        r#"#!/usr/bin/env bash
{header}
# Progress goes to stderr. stdout gets one JSON object (holding a new secret, shown only this
# once): pipe it into azreg, e.g.  bash register.sh | azreg import
#
# Values reach az only inside JSON bodies of `az rest`: the Azure CLI reads an argument that
# starts with "@" as a file name, and `az ad app create` puts the display name into an OData
# filter without doubling its quotes.
set -euo pipefail

# The captured values (single quotes: nothing in them is expanded).
{values}graph_app_id={graph}
first_wait=${{AZREG_RETRY_FIRST:-2}}
budget=${{AZREG_WAIT:-300}}
object_id='' sp_id='' graph_sp_id='' consent=false secret_json='{{}}'
"#,
        graph = plan::GRAPH_APP_ID,
    );
    out.push_str(&classify());
    out.push_str(HELPERS);
    if renew {
        out.push_str(
            r#"
say "renewing the client secret of $client_id"
if ! object_id=$(rest --method GET --uri "$(url "/v1.0/applications(appId='$client_id')")" --query id --output tsv); then
  say "the recorded client ID $client_id is not an app registration in tenant $tenant_id; nothing was changed"
  exit 1
fi
object_id=$(guid "$object_id")
"#,
        );
    }
    for step in &s.plan.steps {
        out.push_str(&block(s, &step.op));
    }
    let print = if renew {
        r#"printf '{%s, "appId": "%s", "tenant": "%s", "renewal": true, "azreg": "script az renew"}\n' "$secret_fields" "$client_id" "$tenant_id""#
    } else {
        r#"printf '{%s, "appId": "%s", "tenant": "%s", "objectId": "%s", "servicePrincipalId": "%s", "uniqueName": "%s", "permissions": %s, "adminConsent": %s, "azreg": "script az"}\n' \
  "$secret_fields" "$client_id" "$tenant_id" "$object_id" "$sp_id" "$unique_name" "$permissions_json" "$consent""#
    };
    // The JSON goes out however the script ends once a secret exists: its value is never lost
    // to a later step that fails.
    out = out.replacen(
        "secret_json='{}'\n",
        &format!(
            r#"secret_json='{{}}'

# One JSON object for `azreg import`, printed when the script ends: after a failed step too,
# once a secret was made (its value is shown only once).
finished=no
print_result() {{
  case $secret_json in *'"password"'*) ;; *) [ "$finished" = yes ] || return 0 ;; esac
  local secret_fields=${{secret_json#*\{{}}
  secret_fields=${{secret_fields%\}}*}}
  {print}
}}
trap print_result EXIT
"#
        ),
        1,
    );
    out.push_str("finished=yes\n");
    out
}
