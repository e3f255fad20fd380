//! `azreg script az|powershell`: a script that performs the registration from the captured
//! values: the application with both redirect URIs and the API permissions, its service
//! principal, the admin consent when chosen, and a client secret. Facts: DOMAIN.md ("What the
//! real Azure CLI does", "Microsoft Graph v1.0 calls", "PowerShell quoting").
//!
//! Every value reaches the script as data: in bash inside single quotes, as JSON made here;
//! in PowerShell inside single-quoted strings with all five of its quote characters doubled.

use std::io::Write;

use super::{EXIT_OK, Env, Failure, Outcome, handed_on, sh_quote};
use crate::cli::ScriptKind;
use crate::fields::{FieldState, is_guid};
use crate::i18n::L;
use crate::permissions::{self, Permission};
use crate::report::{CONSENT_FIELD, PERMISSIONS_FIELD, Report};

/// The values a script needs, by field id, in the order of `Inputs`.
const NEEDED: [&str; 8] = [
    "app_name",
    "account_type",
    "web_redirect_uri",
    "spa_redirect_uri",
    "secret_description",
    "secret_expiry",
    PERMISSIONS_FIELD,
    CONSENT_FIELD,
];

#[derive(Debug, Clone)]
pub struct Inputs {
    pub name: String,
    pub audience: String,
    pub web: String,
    pub spa: String,
    pub description: String,
    pub end_date: String,
    pub permissions: Vec<Permission>,
    pub consent: bool,
    /// The client ID azreg recorded: the script updates that app instead of creating one.
    pub client_id: Option<String>,
    pub tenant_id: Option<String>,
}

pub fn run(
    env: &Env,
    kind: ScriptKind,
    (allow_incomplete, renew): (bool, Option<String>),
    out: &mut dyn Write,
) -> Outcome {
    let progress = env.load()?;
    let r = Report::new(&env.procedure, &progress, env.today);
    let lang = env.procedure.lang();
    let text = if let Some(expires) = renew {
        // A renewal needs the app's client ID and a description; the new expiry comes from
        // --expires, so the recorded one stays the old secret's until the import.
        let what = L::new("the renewal script", "das Erneuerungsskript");
        let got = handed_on(
            &r,
            &["client_id", "secret_description"],
            allow_incomplete,
            what,
        )?;
        let mut it = got.into_iter().map(Option::unwrap_or_default);
        let mut next = || it.next().unwrap_or_default();
        let end_date = renewal_end(&r, &expires).ok_or_else(|| {
            Failure::new(
                super::EXIT_USAGE,
                crate::tr!(
                    lang,
                    "--expires {:?}: a date (YYYY-MM-DD, in the future) or days from today (1 to 730)",
                    "--expires {:?}: ein Datum (JJJJ-MM-TT, in der Zukunft) oder Tage ab heute (1 bis 730)",
                    crate::text::clean_for_display(&expires)
                ),
            )
        })?;
        let i = Inputs {
            client_id: Some(next()).filter(|c| is_guid(c)),
            description: next(),
            end_date,
            tenant_id: recorded_guid(&r, "tenant_id"),
            name: String::new(),
            audience: String::new(),
            web: String::new(),
            spa: String::new(),
            permissions: Vec::new(),
            consent: false,
        };
        let made = match kind {
            ScriptKind::Az => az_renew(&i),
            ScriptKind::Powershell => powershell_renew(&i),
        };
        made.map_err(|_| {
            Failure::new(
                super::EXIT_CHECK,
                crate::tr!(
                    lang,
                    "the renewal script needs the app's client ID (step 23)",
                    "das Erneuerungsskript braucht die Client-ID der App (Schritt 23)"
                ),
            )
        })?
    } else {
        let inputs = inputs(&r, allow_incomplete, L::new("the script", "das Skript"))?;
        match kind {
            ScriptKind::Az => az(&inputs),
            ScriptKind::Powershell => powershell(&inputs),
        }
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Failure::write(e, env.procedure.lang()))?;
    Ok(EXIT_OK)
}

/// The new secret's end for `--renew --expires DATE|DAYS`; empty: the recommended preset.
pub(crate) fn renewal_end(r: &Report, expires: &str) -> Option<String> {
    let days = |d: u32| {
        Some(crate::fields::format_date(crate::fields::preset_date(
            r.today, d,
        )))
        .filter(|_| (1..=730).contains(&d))
    };
    if expires.trim().is_empty() {
        let recommended = r
            .procedure
            .fields
            .iter()
            .find_map(|f| f.recommended)
            .unwrap_or(180);
        return days(recommended);
    }
    if let Ok(n) = expires.trim().parse::<u32>() {
        return days(n);
    }
    crate::fields::parse_date(expires.trim())
        .filter(|d| *d > r.today)
        .map(crate::fields::format_date)
}

/// A recorded GUID field that passes its checks.
fn recorded_guid(r: &Report, id: &str) -> Option<String> {
    let spec = r.procedure.field(id)?;
    let a = r.ctx().assess(spec);
    let usable = matches!(a.state(), FieldState::Ok | FieldState::Warning);
    a.value.filter(|v| usable && is_guid(v))
}

/// The values a script or `apply` needs; `what` names which, in a refusal.
pub(crate) fn inputs(r: &Report, allow_incomplete: bool, what: L) -> Result<Inputs, Failure> {
    let got = handed_on(r, &NEEDED, allow_incomplete, what)?;
    let mut it = got.into_iter().map(Option::unwrap_or_default);
    let mut next = || it.next().unwrap_or_default();
    let (name, audience, web, spa, description, end_date) =
        (next(), next(), next(), next(), next(), next());
    let permissions = permissions::parse(&next(), r.procedure.lang()).unwrap_or_default();
    let consent = next() == "yes";
    Ok(Inputs {
        name,
        audience,
        web,
        spa,
        description,
        end_date,
        permissions,
        consent,
        client_id: recorded_guid(r, "client_id"),
        tenant_id: recorded_guid(r, "tenant_id"),
    })
}

fn json(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// An OData string literal: quotes doubled (OData ABNF `SQUOTE-in-string`).
fn odata(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The secret's end as Graph's `endDateTime`: the end of the chosen day would be nicer, but the
/// portal and the Azure CLI both take midnight UTC of the date, so the scripts do too.
fn end_date_time(date: &str) -> String {
    format!("{date}T00:00:00Z")
}

/// The query `$filter=displayName eq '...'`, percent-encoded for a URL.
fn name_filter(name: &str) -> String {
    url::form_urlencoded::byte_serialize(format!("displayName eq {}", odata(name)).as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

pub fn az(i: &Inputs) -> String {
    let password_body = serde_json::json!({"passwordCredential": {
        "displayName": i.description, "endDateTime": end_date_time(&i.end_date)}})
    .to_string();
    let role_ids = permissions::app_role_ids(&i.permissions).join(" ");
    let values = format!(
        r#"#!/usr/bin/env bash
# azreg: registers the Intrexx portal's app in Microsoft Entra ID with the Azure CLI, with the
# values captured in azreg. Run it signed in (az login) as someone who may create app
# registrations (Application Administrator or Cloud Application Administrator; to consent to
# Microsoft Graph application permissions, Privileged Role Administrator).
#
# Safe to run again: it updates the app whose client ID azreg recorded (or the one app with this
# display name) instead of creating a second, and adds a secret without removing any.
# Progress goes to stderr. stdout gets one JSON object holding the new secret, shown only this
# once: pipe it into azreg, e.g.  bash register.sh | azreg import
#
# Values reach az only inside JSON bodies of `az rest`: the Azure CLI reads an argument that
# starts with "@" as a file name, and `az ad app create` puts the display name into an OData
# filter without doubling its quotes.
set -euo pipefail

# The captured values, as JSON made by azreg (single quotes: nothing in them is expanded).
display_name_json={name}
name_filter={name_filter}
sign_in_audience={audience}
web_uri_json={web}
spa_uri_json={spa}
password_body={password_body}
graph_access={graph_access}
delegated_scopes={scopes}
app_role_ids={role_ids}
permissions={permissions}
grant_admin_consent={consent}
client_id={client_id}

graph_app_id=00000003-0000-0000-c000-000000000000
"#,
        name = sh_quote(&json(&i.name)),
        name_filter = sh_quote(&name_filter(&i.name)),
        audience = sh_quote(&i.audience),
        web = sh_quote(&json(&i.web)),
        spa = sh_quote(&json(&i.spa)),
        password_body = sh_quote(&password_body),
        graph_access = sh_quote(&permissions::required_resource_access(&i.permissions).to_string()),
        scopes = sh_quote(&permissions::delegated_scope(&i.permissions)),
        role_ids = sh_quote(&role_ids),
        permissions = sh_quote(&permissions::format(&i.permissions)),
        consent = if i.consent { "yes" } else { "no" },
        client_id = sh_quote(i.client_id.as_deref().unwrap_or_default()),
    );
    values + BASH_HELPERS + BASH_CREATE
}

/// The helpers both bash scripts use: messages, retries, Graph's address, `az rest`.
const BASH_HELPERS: &str = r#"
say() { printf 'azreg script: %s\n' "$*" >&2; }

# Runs a command, printing its output; while Entra ID has not yet spread a new object to every
# replica (eventual consistency: Request_ResourceNotFound, NoBackingApplicationObject; `az ad`
# shows only their messages), waits 1, 2, 4, 8, 16 s and tries again.
retry() {
  local delay errors
  errors=$(mktemp)
  for delay in 1 2 4 8 16 stop; do
    if "$@" 2>"$errors"; then rm -f "$errors"; return 0; fi
    if [ "$delay" = stop ] || ! grep -Eq 'Request_ResourceNotFound|NoBackingApplicationObject|does not exist or one of its queried|does not reference a valid application object' "$errors"; then
      cat "$errors" >&2; rm -f "$errors"; return 1
    fi
    say "not visible yet (replication); trying again in ${delay}s"
    sleep "$delay"
  done
}

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
graph=${graph_resource%/}/v1.0
rest() { az rest --resource "$graph_resource" "$@"; }

"#;

/// Creating or updating the app, its service principal, consent and a secret.
const BASH_CREATE: &str = r#"if [ -z "$client_id" ]; then
  found=$(rest --method GET --uri "$graph/applications?\$filter=$name_filter" --query "value[].appId" --output tsv)
  case $(printf '%s' "$found" | grep -c .) in
    0) ;;
    1) client_id=$found; say "found the app registration with this display name: $client_id" ;;
    *) say "several app registrations have this display name: enter the right client ID in azreg (step 23) and run again"; exit 1 ;;
  esac
fi

if [ -z "$client_id" ]; then
  say "creating the app registration"
  created=$(rest --method POST --uri "$graph/applications" \
    --body "{\"displayName\": $display_name_json, \"signInAudience\": \"$sign_in_audience\", \"web\": {\"redirectUris\": [$web_uri_json]}, \"spa\": {\"redirectUris\": [$spa_uri_json]}, \"requiredResourceAccess\": $graph_access}" \
    --query "join(' ', [appId, id])" --output tsv)
  read -r client_id object_id <<< "$created"
else
  say "updating the app registration $client_id"
  object_id=$(retry rest --method GET --uri "$graph/applications(appId='$client_id')" --query id --output tsv)
  # PATCH replaces whole lists: keep what others added there.
  web_now=$(rest --method GET --uri "$graph/applications/$object_id" --query "web.redirectUris" --output json)
  spa_now=$(rest --method GET --uri "$graph/applications/$object_id" --query "spa.redirectUris" --output json)
  other_apis=$(rest --method GET --uri "$graph/applications/$object_id" --query "requiredResourceAccess[?resourceAppId!='$graph_app_id']" --output json)
  rest --method PATCH --uri "$graph/applications/$object_id" \
    --body "{\"displayName\": $display_name_json, \"signInAudience\": \"$sign_in_audience\", \"web\": {\"redirectUris\": $(with_item "$web_now" "$web_uri_json")}, \"spa\": {\"redirectUris\": $(with_item "$spa_now" "$spa_uri_json")}, \"requiredResourceAccess\": $(joined "$other_apis" "$graph_access")}" \
    --output none
fi
say "application (client) ID: $client_id"

# Since 2026-03-31 Entra ID refuses sign-in for an app without a service principal
# (AADSTS7000229); the portal makes one, `az ad app create` and Graph do not.
sp_id=$(rest --method GET --uri "$graph/servicePrincipals?\$filter=appId%20eq%20%27$client_id%27" --query "value[0].id" --output tsv)
if [ -z "$sp_id" ]; then
  say "creating the service principal (Enterprise application)"
  sp_id=$(retry az ad sp create --id "$client_id" --query id --output tsv)
fi

consent=false
if [ "$grant_admin_consent" = yes ]; then
  say "granting admin consent for: $permissions"
  graph_sp_id=$(rest --method GET --uri "$graph/servicePrincipals(appId='$graph_app_id')" --query id --output tsv)
  if [ -n "$delegated_scopes" ]; then
    grant_id=$(retry rest --method GET --uri "$graph/oauth2PermissionGrants?\$filter=clientId%20eq%20%27$sp_id%27" \
      --query "value[?resourceId=='$graph_sp_id' && consentType=='AllPrincipals'] | [0].id" --output tsv)
    if [ -n "$grant_id" ]; then
      rest --method PATCH --uri "$graph/oauth2PermissionGrants/$grant_id" --body "{\"scope\": \"$delegated_scopes\"}" --output none
    else
      retry rest --method POST --uri "$graph/oauth2PermissionGrants" \
        --body "{\"clientId\": \"$sp_id\", \"consentType\": \"AllPrincipals\", \"resourceId\": \"$graph_sp_id\", \"scope\": \"$delegated_scopes\"}" --output none
    fi
  fi
  if [ -n "$app_role_ids" ]; then
    have=" $(retry rest --method GET --uri "$graph/servicePrincipals/$sp_id/appRoleAssignments" --query "value[].appRoleId" --output tsv | tr '\n' ' ') "
    for role in $app_role_ids; do
      case $have in *" $role "*) continue ;; esac
      retry rest --method POST --uri "$graph/servicePrincipals/$graph_sp_id/appRoleAssignedTo" \
        --body "{\"principalId\": \"$sp_id\", \"resourceId\": \"$graph_sp_id\", \"appRoleId\": \"$role\"}" --output none
    done
  fi
  consent=true
fi

say "creating the client secret"
tenant_id=$(az account show --query tenantId --output tsv)
say "WARNING: the JSON on stdout holds the secret's value, shown only this once: store it now."
retry rest --method POST --uri "$graph/applications/$object_id/addPassword" --body "$password_body" \
  --query "{appId: '$client_id', password: secretText, tenant: '$tenant_id', objectId: '$object_id', servicePrincipalId: '$sp_id', secretKeyId: keyId, secretEndDateTime: endDateTime, permissions: '$permissions', adminConsent: \`$consent\`, azreg: 'script az'}" \
  --output json
"#;

/// `script az --renew`: a new client secret for the app azreg recorded, added beside the old one
/// (never removing any), printed once as JSON for `azreg import`, which keeps both expiries.
pub fn az_renew(i: &Inputs) -> Result<String, String> {
    let Some(client_id) = &i.client_id else {
        return Err("the app's client ID is needed (step 23)".into());
    };
    let password_body = serde_json::json!({"passwordCredential": {
        "displayName": i.description, "endDateTime": end_date_time(&i.end_date)}})
    .to_string();
    let values = format!(
        r#"#!/usr/bin/env bash
# azreg: renews the client secret of the Intrexx portal's app in Microsoft Entra ID with the
# Azure CLI: a new secret is added beside the old one, which is never removed here (delete it in
# the portal once the connector works with the new one). Run it signed in (az login).
# Progress goes to stderr; stdout gets one JSON object holding the new secret, shown only this
# once: pipe it into azreg, e.g.  bash renew.sh | azreg import
set -euo pipefail

client_id={client_id}
password_body={password_body}

graph_app_id=00000003-0000-0000-c000-000000000000
"#,
        client_id = sh_quote(client_id),
        password_body = sh_quote(&password_body),
    );
    Ok(values + BASH_HELPERS + BASH_RENEW)
}

const BASH_RENEW: &str = r#"say "renewing the client secret of $client_id"
object_id=$(retry rest --method GET --uri "$graph/applications(appId='$client_id')" --query id --output tsv)
tenant_id=$(az account show --query tenantId --output tsv)
say "WARNING: the JSON on stdout holds the new secret's value, shown only this once: store it now."
retry rest --method POST --uri "$graph/applications/$object_id/addPassword" --body "$password_body" \
  --query "{appId: '$client_id', password: secretText, tenant: '$tenant_id', secretKeyId: keyId, secretEndDateTime: endDateTime, renewal: \`true\`, azreg: 'script az renew'}" \
  --output json
"#;

/// The characters PowerShell's tokenizer takes as a single quote (`IsSingleQuote`): any of them
/// ends a single-quoted string, and each is escaped by doubling it.
pub const PS_SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];

/// A PowerShell single-quoted string: every single-quote character doubled, so nothing in the
/// value can end the string. Inside single quotes PowerShell expands nothing (`$`, backtick,
/// double quotes and dashes are plain text).
pub fn ps_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if PS_SINGLE_QUOTES.contains(&c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

pub fn powershell(i: &Inputs) -> String {
    let access: Vec<String> = i
        .permissions
        .iter()
        .map(|p| {
            let t = if p.kind == permissions::Kind::Delegated {
                "Scope"
            } else {
                "Role"
            };
            format!("@{{ Id = {}; Type = '{t}' }}", ps_quote(p.id))
        })
        .collect();
    let scopes = if i.consent {
        "'Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All'"
    } else {
        "'Application.ReadWrite.All'"
    };
    let tenant = i
        .tenant_id
        .as_deref()
        .map(|t| format!(" -TenantId {}", ps_quote(t)))
        .unwrap_or_default();
    format!(
        r#"#Requires -Modules Microsoft.Graph.Applications
# azreg: registers the Intrexx portal's app in Microsoft Entra ID with Microsoft Graph
# PowerShell, with the values captured in azreg. Safe to run again: it updates the app whose
# client ID azreg recorded (or the one app with this display name) and adds a secret without
# removing any. Messages go to stderr; the output is one JSON object holding the new secret,
# shown only this once: pipe it into azreg, e.g.  pwsh ./Register.ps1 | azreg import
$ErrorActionPreference = 'Stop'

# The captured values (single-quoted: PowerShell expands nothing inside).
$DisplayName = {name}
$NameFilter = {name_filter}
$SignInAudience = {audience}
$WebRedirectUri = {web}
$SpaRedirectUri = {spa}
$SecretDescription = {description}
$SecretEnd = [datetime]::Parse({end_date}, [cultureinfo]::InvariantCulture).ToUniversalTime()
$ClientId = {client_id}
$GrantAdminConsent = ${consent}
$Permissions = {permissions}
$DelegatedScopes = {delegated}
$AppRoleIds = @({role_ids})
$GraphAppId = '00000003-0000-0000-c000-000000000000'
$RequiredResourceAccess = @(@{{ ResourceAppId = $GraphAppId; ResourceAccess = @({access}) }})

function Say([string]$Text) {{ [Console]::Error.WriteLine("azreg script: $Text") }}

# Retries while Entra ID has not yet spread a new object to every replica (eventual
# consistency), waiting 1, 2, 4, 8, 16 s.
function Retry([scriptblock]$Action) {{
  foreach ($delay in 1, 2, 4, 8, 16, 0) {{
    try {{ return & $Action }}
    catch {{
      $text = "$_ $($_.ErrorDetails)"
      if ($delay -eq 0 -or $text -notmatch 'Request_ResourceNotFound|NoBackingApplicationObject|ResourceNotFound') {{ throw }}
      Say "not visible yet (replication); trying again in $delay s"
      Start-Sleep -Seconds $delay
    }}
  }}
}}

Connect-MgGraph -Scopes {scopes}{tenant} -NoWelcome

if (-not $ClientId) {{
  $found = @(Get-MgApplication -Filter $NameFilter -All)
  if ($found.Count -gt 1) {{ Say 'several app registrations have this display name: enter the right client ID in azreg (step 23) and run again'; exit 1 }}
  if ($found.Count -eq 1) {{ $ClientId = $found[0].AppId; Say "found the app registration with this display name: $ClientId" }}
}}

if (-not $ClientId) {{
  Say 'creating the app registration'
  $app = New-MgApplication -DisplayName $DisplayName -SignInAudience $SignInAudience `
    -Web @{{ RedirectUris = @($WebRedirectUri) }} -Spa @{{ RedirectUris = @($SpaRedirectUri) }} `
    -RequiredResourceAccess $RequiredResourceAccess
}} else {{
  Say "updating the app registration $ClientId"
  $app = Retry {{ Get-MgApplicationByAppId -AppId $ClientId }}
  # Update replaces whole lists: keep what others added there.
  $web = @($app.Web.RedirectUris) + @($WebRedirectUri) | Select-Object -Unique
  $spa = @($app.Spa.RedirectUris) + @($SpaRedirectUri) | Select-Object -Unique
  $others = @($app.RequiredResourceAccess | Where-Object {{ $_.ResourceAppId -ne $GraphAppId }})
  Update-MgApplication -ApplicationId $app.Id -DisplayName $DisplayName -SignInAudience $SignInAudience `
    -Web @{{ RedirectUris = @($web) }} -Spa @{{ RedirectUris = @($spa) }} `
    -RequiredResourceAccess (@($others) + $RequiredResourceAccess)
}}
$ClientId = $app.AppId
Say "application (client) ID: $ClientId"

# Entra ID refuses sign-in for an app without a service principal (AADSTS7000229).
$sp = Get-MgServicePrincipal -Filter "appId eq '$ClientId'"
if (-not $sp) {{
  Say 'creating the service principal (Enterprise application)'
  $sp = Retry {{ New-MgServicePrincipal -AppId $ClientId }}
}}

$consent = $false
if ($GrantAdminConsent) {{
  Say "granting admin consent for: $Permissions"
  $graphSp = Get-MgServicePrincipalByAppId -AppId $GraphAppId
  if ($DelegatedScopes) {{
    $grant = Get-MgOauth2PermissionGrant -Filter "clientId eq '$($sp.Id)'" |
      Where-Object {{ $_.ResourceId -eq $graphSp.Id -and $_.ConsentType -eq 'AllPrincipals' }}
    if ($grant) {{ Update-MgOauth2PermissionGrant -OAuth2PermissionGrantId $grant.Id -Scope $DelegatedScopes }}
    else {{
      $null = Retry {{ New-MgOauth2PermissionGrant -ClientId $sp.Id -ConsentType 'AllPrincipals' -ResourceId $graphSp.Id -Scope $DelegatedScopes }}
    }}
  }}
  $have = @(Get-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id | ForEach-Object {{ $_.AppRoleId }})
  foreach ($role in $AppRoleIds) {{
    if ($have -contains $role) {{ continue }}
    $null = Retry {{ New-MgServicePrincipalAppRoleAssignedTo -ServicePrincipalId $graphSp.Id -PrincipalId $sp.Id -ResourceId $graphSp.Id -AppRoleId $role }}
  }}
  $consent = $true
}}

Say 'creating the client secret'
$secret = Retry {{ Add-MgApplicationPassword -ApplicationId $app.Id -PasswordCredential @{{ DisplayName = $SecretDescription; EndDateTime = $SecretEnd }} }}
Say "WARNING: the JSON output holds the secret's value, shown only this once: store it now."
[pscustomobject]@{{
  appId = $ClientId; password = $secret.SecretText; tenant = (Get-MgContext).TenantId
  objectId = $app.Id; servicePrincipalId = $sp.Id; secretKeyId = $secret.KeyId
  secretEndDateTime = $secret.EndDateTime; permissions = $Permissions; adminConsent = $consent
  azreg = 'script powershell'
}} | ConvertTo-Json
"#,
        name = ps_quote(&i.name),
        name_filter = ps_quote(&format!("displayName eq {}", odata(&i.name))),
        audience = ps_quote(&i.audience),
        web = ps_quote(&i.web),
        spa = ps_quote(&i.spa),
        description = ps_quote(&i.description),
        end_date = ps_quote(&i.end_date),
        client_id = ps_quote(i.client_id.as_deref().unwrap_or_default()),
        consent = if i.consent { "true" } else { "false" },
        permissions = ps_quote(&permissions::format(&i.permissions)),
        delegated = ps_quote(&permissions::delegated_scope(&i.permissions)),
        role_ids = permissions::app_role_ids(&i.permissions)
            .iter()
            .map(|id| ps_quote(id))
            .collect::<Vec<_>>()
            .join(", "),
        access = access.join(", "),
    )
}

/// `script powershell --renew`: a new secret beside the old one, as `az_renew`.
pub fn powershell_renew(i: &Inputs) -> Result<String, String> {
    let Some(client_id) = &i.client_id else {
        return Err("the app's client ID is needed (step 23)".into());
    };
    let tenant = i
        .tenant_id
        .as_deref()
        .map(|t| format!(" -TenantId {}", ps_quote(t)))
        .unwrap_or_default();
    Ok(format!(
        r#"#Requires -Modules Microsoft.Graph.Applications
# azreg: renews the client secret of the Intrexx portal's app in Microsoft Entra ID with
# Microsoft Graph PowerShell: a new secret is added beside the old one, which is never removed
# here (delete it in the portal once the connector works with the new one). Messages go to
# stderr; the output is one JSON object holding the new secret, shown only this once: pipe it
# into azreg, e.g.  pwsh ./Renew.ps1 | azreg import
$ErrorActionPreference = 'Stop'

$ClientId = {client_id}
$SecretDescription = {description}
$SecretEnd = [datetime]::Parse({end_date}, [cultureinfo]::InvariantCulture).ToUniversalTime()

function Say([string]$Text) {{ [Console]::Error.WriteLine("azreg script: $Text") }}

Connect-MgGraph -Scopes 'Application.ReadWrite.All'{tenant} -NoWelcome
Say "renewing the client secret of $ClientId"
$app = Get-MgApplicationByAppId -AppId $ClientId
$secret = Add-MgApplicationPassword -ApplicationId $app.Id -PasswordCredential @{{ DisplayName = $SecretDescription; EndDateTime = $SecretEnd }}
Say "WARNING: the JSON output holds the new secret's value, shown only this once: store it now."
[pscustomobject]@{{
  appId = $ClientId; password = $secret.SecretText; tenant = (Get-MgContext).TenantId
  secretKeyId = $secret.KeyId; secretEndDateTime = $secret.EndDateTime; renewal = $true
  azreg = 'script powershell renew'
}} | ConvertTo-Json
"#,
        client_id = ps_quote(client_id),
        description = ps_quote(&i.description),
        end_date = ps_quote(&i.end_date),
    ))
}

#[cfg(test)]
mod tests;
