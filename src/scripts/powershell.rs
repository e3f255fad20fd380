//! The plan as a Microsoft Graph PowerShell script: the same operations as the bash script, each
//! write exactly `plan::Op::writes` sent with `Invoke-MgGraphRequest` (ids the script learns
//! substituted for `plan::token`s), each failed write taken as `plan::answers` says. pwsh cannot
//! be installed on our machines: the script is checked by its text and its quoting model.

use super::{Script, odata};
use crate::core::plan::{self, Op, answers};

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

/// `Classify`: the table of `plan::answers`, by status and Graph's code.
fn classify() -> String {
    let mut arms = String::new();
    for (kind, status) in answers::EXISTS {
        arms.push_str(&format!(
            "  if ($Kind -eq '{kind}' -and $status -eq {status}) {{ return 'exists' }}\n"
        ));
    }
    for (kind, status, code) in answers::LAG {
        let which = if *kind == "*" {
            "$true".to_string()
        } else {
            format!("$Kind -eq '{kind}'")
        };
        arms.push_str(&format!(
            "  if ({which} -and $status -eq {status} -and $text -match '\"{code}\"') {{ return 'lag' }}\n"
        ));
    }
    format!(
        r#"# How a failed write is taken: lag (a replica has not seen what it refers to: read whether it
# took effect, wait, try again), exists (read it), throttled (wait), or refused. The same table
# azreg apply follows, by Graph's status and code, never by message text.
function Classify([string]$Kind, $Err) {{
  $status = 0
  try {{ $status = [int]$Err.Exception.Response.StatusCode }} catch {{ }}
  $text = "$($Err.ErrorDetails.Message) $($Err.Exception.Message)"
  if ($status -in 429, 503, 504) {{ return 'throttled' }}
{arms}  'refused'
}}
"#
    )
}

const HELPERS: &str = r#"
function Say([string]$Text) { [Console]::Error.WriteLine("azreg script: $Text") }

# An id Graph handed out, checked before it goes into a path or the output.
function Guid-Of([string]$Id) {
  if ($Id -notmatch '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$') {
    Say 'Microsoft Graph answered with an id azreg cannot use; nothing more is sent'; exit 1
  }
  $Id
}

# The mark a new secret's description carries: this script's (from its key), the same on every
# run of it, so a run finds the secret an earlier run made whose value was never recorded.
$script:Marker = 'azreg-' + (($UniqueName -replace '^azreg-', '') -replace '-', '').ToLowerInvariant().PadRight(12, '0').Substring(0, 12)
$script:OldKey = ''

# A write or a path of the plan, with the ids learned so far.
function Sub([string]$Text) {
  $Text.Replace('@OBJECT_ID@', $script:ObjectId).Replace('@CLIENT_ID@', $script:ClientId).
    Replace('@SP_ID@', $script:SpId).Replace('@GRAPH_SP@', $script:GraphSpId).
    Replace('@NOW@', [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ')).
    Replace('@MARKER@', $script:Marker).Replace('@OLD_KEY@', $script:OldKey)
}

function Read-Graph([string]$Path) {
  Invoke-MgGraphRequest -Method GET -Uri (Sub $Path) -OutputType PSObject
}

# One write, until Graph took it, or $Settle shows it took effect, or it is refused, or the
# budget (AZREG_WAIT seconds, default 300) is spent. Entra ID replicates new objects with no
# SLA: waits start at AZREG_RETRY_FIRST seconds (default 2) and double to 30.
function Invoke-Write([string]$Kind, [scriptblock]$Settle, [string]$Method, [string]$Path, [string]$Body, [hashtable]$Headers = @{}) {
  $delay = $FirstWait
  $start = Get-Date
  while ($true) {
    $request = @{ Method = $Method; Uri = (Sub $Path); Headers = $Headers; OutputType = 'PSObject' }
    if ($Body) { $request.Body = Sub $Body; $request.ContentType = 'application/json' }
    try {
      return Invoke-MgGraphRequest @request
    } catch {
      $answer = Classify $Kind $_
      if ($answer -eq 'refused') { throw }
      if ((($answer -eq 'lag') -or ($answer -eq 'exists')) -and $Settle) {
        $got = & $Settle
        if ($got) { return $got }
      }
      $spent = [int]((Get-Date) - $start).TotalSeconds
      if ($spent -ge $Budget) {
        Say "stopped after $spent s of waiting for Entra ID (replication or throttling): run the script again to go on (AZREG_WAIT raises the budget)"
        throw
      }
      Say "not visible yet (replication) or throttled; trying again in $delay s ($spent of $Budget s)"
      Start-Sleep -Milliseconds ([int]($delay * 1000))
      $delay = [Math]::Min($delay * 2, 30)
    }
  }
}

function Read-Retry([string]$Path) {
  Invoke-Write 'read' $null 'GET' $Path ''
}
"#;

#[allow(
    clippy::too_many_lines,
    reason = "one arm per operation, its PowerShell as the script runs it"
)]
fn block(s: &Script, op: &Op) -> String {
    let ids = plan::script_ids();
    let w = op.writes(&ids);
    // `Invoke-MgGraphRequest` takes a path relative to the connected cloud's Graph.
    let path = |i: usize| ps_quote(w[i].path_text().trim_start_matches('/'));
    let body = |i: usize| ps_quote(&w[i].body.to_string());
    match op {
        Op::CreateApp { .. } => format!(
            r#"
# The app registration, created under azreg's key (an upsert: run again, it is the same app).
# An app of the same display name that azreg did not make is never taken over by its name.
$others = @((Read-Graph ('v1.0/applications?$filter=' + [uri]::EscapeDataString($NameFilter))).value |
  Where-Object {{ $_.uniqueName -ne $UniqueName }} | ForEach-Object {{ $_.appId }})
if ($others.Count -gt 0) {{
  Say "an app registration with this display name exists already (client ID: $($others -join ' ')); azreg does not take over an app by its name: nothing was changed. If it is yours: azreg script powershell --adopt CLIENT_ID; otherwise choose another name"
  exit 1
}}
Say "creating the app registration (key $UniqueName)"
$null = Invoke-Write 'create_app' $null 'PATCH' {p0} {b0} @{{ Prefer = 'create-if-missing' }}
$app = Read-Retry "v1.0/applications(uniqueName='$UniqueName')"
$ObjectId = Guid-Of $app.id
$ClientId = Guid-Of $app.appId
Say "application (client) ID: $ClientId"
"#,
            p0 = path(0),
            b0 = body(0),
        ),
        Op::UpdateApp { .. } => {
            let access: Vec<String> = s
                .desired()
                .map(|d| {
                    d.permissions
                        .iter()
                        .map(|p| {
                            let t = if p.kind == crate::core::permissions::Kind::Delegated {
                                "Scope"
                            } else {
                                "Role"
                            };
                            format!("@{{ id = {}; type = '{t}' }}", ps_quote(p.id))
                        })
                        .collect()
                })
                .unwrap_or_default();
            format!(
                r#"
# The app registration azreg recorded (or --adopt named), updated: each redirect URI on its
# own platform, the API permissions added; what others put there stays.
Say "updating the app registration $ClientId"
try {{ $app = Read-Graph "v1.0/applications(appId='$ClientId')" }} catch {{
  Say "the recorded client ID $ClientId is not an app registration in tenant $TenantId`: signed in to another tenant? a typo in step {step}? nothing was changed"
  exit 1
}}
$ObjectId = Guid-Of $app.id
$ours = @($RedirectUris.Values | ForEach-Object {{ $_ }})
$uris = @{{}}
foreach ($p in @('web', 'spa', 'publicClient')) {{
  $mine = @($RedirectUris[$p] | Where-Object {{ $_ }})
  $kept = @(@($app.$p.redirectUris) | Where-Object {{ $_ -and (($ours -notcontains $_) -or ($mine -contains $_)) }})
  $uris[$p] = @{{ redirectUris = @(@($kept + $mine) | Select-Object -Unique) }}
}}
$graphNow = @(@($app.requiredResourceAccess) | Where-Object {{ $_.resourceAppId -eq $GraphAppId }} | ForEach-Object {{ $_.resourceAccess }})
foreach ($a in @({access})) {{ if (-not ($graphNow | Where-Object {{ $_.id -eq $a.id }})) {{ $graphNow += [pscustomobject]$a }} }}
$others = @(@($app.requiredResourceAccess) | Where-Object {{ $_.resourceAppId -ne $GraphAppId }})
$body = @{{
  displayName = $DisplayName; signInAudience = $SignInAudience
  requiredResourceAccess = @($others) + @(@{{ resourceAppId = $GraphAppId; resourceAccess = @($graphNow) }})
}}
foreach ($p in $uris.Keys) {{ $body[$p] = $uris[$p] }}
$body = $body | ConvertTo-Json -Depth 10 -Compress
$null = Invoke-Write 'update_app' $null 'PATCH' "v1.0/applications/$ObjectId" $body
"#,
                access = access.join(", "),
                step = s.step(),
            )
        }
        Op::CreateServicePrincipal { .. } => format!(
            r#"
# Its service principal: Entra ID refuses every sign-in without one (AADSTS7000229). A second
# create while a replica lags answers 409: it exists, and is read.
$spOf = {{ try {{ (Read-Graph "v1.0/servicePrincipals(appId='$ClientId')").id }} catch {{ $null }} }}
$SpId = & $spOf
if (-not $SpId) {{
  Say 'creating the service principal (Enterprise application)'
  $got = Invoke-Write 'create_service_principal' $spOf 'POST' {p0} {b0}
  $SpId = if ($got -is [string]) {{ $got }} else {{ $got.id }}
}}
$SpId = Guid-Of $SpId
"#,
            p0 = path(0),
            b0 = body(0),
        ),
        Op::AddSecret { app, .. } => {
            let (guard, replace) = match &s.goal {
                plan::Goal::Renew { .. } | plan::Goal::FinishRotation => ("$false", String::new()),
                plan::Goal::Register(_) => (
                    "(-not $NewSecret) -and $RecordedKey -and (@((Read-Graph \"v1.0/applications/$ObjectId\").passwordCredentials | Where-Object { $_.keyId -eq $RecordedKey }).Count -gt 0)",
                    {
                        let op = Op::RemoveSecret {
                            app: app.clone(),
                            key_id: plan::token::OLD_KEY.into(),
                            hint: String::new(),
                            why: plan::RemoveWhy::Orphaned,
                        };
                        let w = &op.writes(&plan::script_ids())[0];
                        format!(
                            r#"
  # A secret an earlier run of this script made (its mark) whose value azreg never recorded is
  # replaced, not added to: the one in the output is the app's.
  if (-not $NewSecret) {{
    $old = @((Read-Graph "v1.0/applications/$ObjectId").passwordCredentials | Where-Object {{
      "$($_.displayName)".Contains("($($script:Marker))") -and $_.keyId -ne $Secret.keyId -and $_.keyId -ne $RecordedKey }})
    foreach ($c in $old) {{
      $script:OldKey = Guid-Of $c.keyId
      Say "removing the client secret (key $($script:OldKey)) an earlier run of this script made, never recorded by azreg: the new one replaces it"
      $null = Invoke-Write 'remove_secret' $null 'POST' {rp} {rb}
    }}
  }}"#,
                            rp = ps_quote(w.path_text().trim_start_matches('/')),
                            rb = ps_quote(&w.body.to_string()),
                        )
                    },
                ),
            };
            format!(
                r#"
# A client secret, unless the one azreg recorded is still on the app (-NewSecret in azreg:
# --new-secret adds one anyway): a re-run adds no second live secret.
if ({guard}) {{
  Say 'the client secret azreg recorded is on the app: no new one (azreg script powershell --new-secret adds one)'
  $Secret = $null
}} else {{
  Say 'creating the client secret'
  Say "WARNING: the JSON output holds the secret's value, shown only this once: store it now."
  $Secret = Invoke-Write 'add_secret' $null 'POST' {p0} {b0}{replace}
}}
"#,
                p0 = path(0),
                b0 = body(0),
            )
        }
        Op::GrantScopes { add, .. } => format!(
            r#"
# Admin consent (for all users) to the delegated permissions: a grant, or the scopes added to the
# one there is.
$GraphSpId = Guid-Of (Read-Retry "v1.0/servicePrincipals(appId='$GraphAppId')").id
$grantOf = {{ try {{ @((Read-Graph "v1.0/oauth2PermissionGrants?`$filter=clientId%20eq%20%27$SpId%27").value |
  Where-Object {{ $_.resourceId -eq $GraphSpId -and $_.consentType -eq 'AllPrincipals' }})[0] }} catch {{ $null }} }}
$grant = & $grantOf
if (-not $grant) {{
  Say 'granting admin consent for: {scopes}'
  $grant = Invoke-Write 'grant_scopes' $grantOf 'POST' {p0} {b0}
}}
$have = @("$($grant.scope)".Split(' ', [StringSplitOptions]::RemoveEmptyEntries))
$want = @($have) + @('{scopes}'.Split(' ') | Where-Object {{ $have -notcontains $_ }})
if ($want.Count -gt $have.Count) {{
  $null = Invoke-Write 'grant_scopes' $null 'PATCH' "v1.0/oauth2PermissionGrants/$($grant.id)" (@{{ scope = ($want -join ' ') }} | ConvertTo-Json -Compress)
}}
$Consent = $true
"#,
            scopes = add.join(" "),
            p0 = path(0),
            b0 = body(0),
        ),
        Op::AssignRoles { roles, names, .. } => {
            let mut out = format!(
                r#"
# Admin consent to the application permissions ({names}): one app role assignment each.
$GraphSpId = Guid-Of (Read-Retry "v1.0/servicePrincipals(appId='$GraphAppId')").id
function Role-Of([string]$Role) {{
  try {{ @((Read-Graph "v1.0/servicePrincipals/$SpId/appRoleAssignments").value | Where-Object {{ $_.appRoleId -eq $Role }})[0] }} catch {{ $null }}
}}
"#,
                names = names.join(", ")
            );
            for (i, r) in roles.iter().enumerate() {
                out.push_str(&format!(
                    "if (-not (Role-Of '{role}')) {{ $null = Invoke-Write 'assign_roles' {{ Role-Of '{role}' }} 'POST' {p} {b} }}\n",
                    role = r.id,
                    p = path(i),
                    b = body(i),
                ));
            }
            out.push_str("$Consent = $true\n");
            out
        }
        // Clean-up plans are the command line's alone; no script is made of them.
        // A script's plan adds no owner (it does not know who runs it).
        Op::RemoveSecret { .. }
        | Op::LiveCheck { .. }
        | Op::DeleteApp { .. }
        | Op::AddOwner { .. } => String::new(),
    }
}

#[allow(
    clippy::too_many_lines,
    reason = "the script's text in the order it runs"
)]
pub fn render(s: &Script) -> String {
    let renew = matches!(s.goal, plan::Goal::Renew { .. });
    let mut values = vec![
        (
            "ClientId",
            ps_quote(s.client_id.as_deref().unwrap_or_default()),
        ),
        (
            "RecordedTenant",
            ps_quote(s.tenant_id.as_deref().unwrap_or_default()),
        ),
        (
            "RecordedKey",
            ps_quote(s.recorded_key.as_deref().unwrap_or_default()),
        ),
        ("UniqueName", ps_quote(&s.key)),
        (
            "NewSecret",
            if s.new_secret { "$true" } else { "$false" }.into(),
        ),
    ];
    let scopes = match s.desired() {
        Some(d) => {
            values.extend([
                ("DisplayName", ps_quote(&d.name)),
                (
                    "NameFilter",
                    ps_quote(&format!("displayName eq {}", odata(&d.name))),
                ),
                ("SignInAudience", ps_quote(&d.audience)),
                // The redirect URIs by platform (Graph's property names): data, not fields.
                ("RedirectUris", {
                    let platforms: Vec<String> = d
                        .redirect_uris
                        .0
                        .iter()
                        .map(|(p, uris)| {
                            let list: Vec<String> = uris.iter().map(|u| ps_quote(u)).collect();
                            format!("'{}' = @({})", p.property(), list.join(", "))
                        })
                        .collect();
                    format!("@{{ {} }}", platforms.join("; "))
                }),
                (
                    "Permissions",
                    ps_quote(&crate::core::permissions::format(&d.permissions)),
                ),
            ]);
            if d.consent {
                "'Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All'"
            } else {
                "'Application.ReadWrite.All'"
            }
        }
        None => "'Application.ReadWrite.All'",
    };
    let values: String = values
        .into_iter()
        .map(|(k, v)| format!("${k} = {v}\n"))
        .collect();
    let tenant = s
        .tenant_id
        .as_deref()
        .map(|t| format!(" -TenantId {}", ps_quote(t)))
        .unwrap_or_default();
    let header = if renew {
        "# azreg: renews the client secret of the Intrexx portal's app in Microsoft Entra ID with\n\
         # Microsoft Graph PowerShell: a new secret beside the old one, which is never removed here\n\
         # (delete it in the portal once the connector works with the new one)."
    } else {
        "# azreg: registers the Intrexx portal's app in Microsoft Entra ID with Microsoft Graph\n\
         # PowerShell, with the values captured in azreg. Safe to run again: it works on the app\n\
         # whose client ID azreg recorded, or creates one under azreg's key (never taking over an\n\
         # app by its name), waits out Entra ID's replication, and adds no second secret while the\n\
         # recorded one is there."
    };
    let mut out = format!(
        r#"#Requires -Modules Microsoft.Graph.Authentication
{header}
# Messages go to stderr; the output is one JSON object (holding a new secret, shown only this
# once): pipe it into azreg, e.g.  pwsh ./Register.ps1 | azreg import
$ErrorActionPreference = 'Stop'

# The captured values (single-quoted: PowerShell expands nothing inside).
{values}$GraphAppId = '{graph}'
$FirstWait = if ($env:AZREG_RETRY_FIRST) {{ [double]$env:AZREG_RETRY_FIRST }} else {{ 2 }}
$Budget = if ($env:AZREG_WAIT) {{ [int]$env:AZREG_WAIT }} else {{ 300 }}
$ObjectId = ''; $SpId = ''; $GraphSpId = ''; $Consent = $false; $Secret = $null
"#,
        graph = plan::GRAPH_APP_ID,
    );
    out.push_str(&classify());
    out.push_str(HELPERS);
    out.push_str(&format!(
        r#"
Connect-MgGraph -Scopes {scopes}{tenant} -NoWelcome
$TenantId = Guid-Of (Get-MgContext).TenantId
if ($RecordedTenant -and $TenantId -ne $RecordedTenant) {{
  Say "signed in to tenant $TenantId, but azreg recorded $RecordedTenant`: sign in to that one; nothing was changed"
  exit 1
}}
"#
    ));
    // The result goes out however the script ends once a secret exists: its value is shown only
    // once, and must not be lost to a later step that fails.
    let result = if renew {
        "[ordered]@{ appId = $ClientId; tenant = $TenantId; renewal = $true; azreg = 'script powershell renew' }"
    } else {
        "[ordered]@{ appId = $ClientId; tenant = $TenantId; objectId = $ObjectId; servicePrincipalId = $SpId\n    uniqueName = $UniqueName; permissions = $Permissions; adminConsent = $Consent; azreg = 'script powershell' }"
    };
    out.push_str(&format!(
        r#"
# One JSON object for `azreg import`, written when the script ends: after a failed step too, once
# a secret was made.
function Write-Result {{
  $out = {result}
  if ($Secret) {{
    $out.password = $Secret.secretText; $out.secretKeyId = $Secret.keyId; $out.secretEndDateTime = $Secret.endDateTime
  }} else {{ $out.secretInPlace = $true }}
  [pscustomobject]$out | ConvertTo-Json
}}
$Finished = $false
try {{
"#
    ));
    if renew {
        out.push_str(
            r#"
Say "renewing the client secret of $ClientId"
try { $ObjectId = Guid-Of (Read-Graph "v1.0/applications(appId='$ClientId')").id } catch {
  Say "the recorded client ID $ClientId is not an app registration in tenant $TenantId; nothing was changed"
  exit 1
}
"#,
        );
    }
    for step in &s.plan.steps {
        out.push_str(&block(s, &step.op));
    }
    out.push_str(
        r#"
$Finished = $true
} finally {
  if ($Secret -or $Finished) { Write-Result }
}
"#,
    );
    out
}
