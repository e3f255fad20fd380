#Requires -Modules Microsoft.Graph.Authentication
# azreg: registers the Intrexx portal's app in Microsoft Entra ID with Microsoft Graph
# PowerShell, with the values captured in azreg. Safe to run again: it works on the app
# whose client ID azreg recorded, or creates one under azreg's key (never taking over an
# app by its name), waits out Entra ID's replication, and adds no second secret while the
# recorded one is there.
# Messages go to stderr; the output is one JSON object (holding a new secret, shown only this
# once): pipe it into azreg, e.g.  pwsh ./Register.ps1 | azreg import
$ErrorActionPreference = 'Stop'

# The captured values (single-quoted: PowerShell expands nothing inside).
$ClientId = ''
$RecordedTenant = ''
$RecordedKey = ''
$UniqueName = 'azreg-<key>'
$NewSecret = $false
$DisplayName = 'Intrexx Portal'
$NameFilter = 'displayName eq ''Intrexx Portal'''
$SignInAudience = 'AzureADMyOrg'
$WebRedirectUri = 'https://portal.example.com/oauth2/token/ms365-mycompany'
$SpaRedirectUri = 'https://portal.example.com/oauth2callback.html'
$Permissions = 'User.Read'
$GraphAppId = '00000003-0000-0000-c000-000000000000'
$FirstWait = if ($env:AZREG_RETRY_FIRST) { [double]$env:AZREG_RETRY_FIRST } else { 2 }
$Budget = if ($env:AZREG_WAIT) { [int]$env:AZREG_WAIT } else { 300 }
$ObjectId = ''; $SpId = ''; $GraphSpId = ''; $Consent = $false; $Secret = $null
# How a failed write is taken: lag (a replica has not seen what it refers to: read whether it
# took effect, wait, try again), exists (read it), throttled (wait), or refused. The same table
# azreg apply follows, by Graph's status and code, never by message text.
function Classify([string]$Kind, $Err) {
  $status = 0
  try { $status = [int]$Err.Exception.Response.StatusCode } catch { }
  $text = "$($Err.ErrorDetails.Message) $($Err.Exception.Message)"
  if ($status -in 429, 503, 504) { return 'throttled' }
  if ($Kind -eq 'create_service_principal' -and $status -eq 409) { return 'exists' }
  if ($Kind -eq 'grant_scopes' -and $status -eq 409) { return 'exists' }
  if ($Kind -eq 'assign_roles' -and $status -eq 409) { return 'exists' }
  if ($true -and $status -eq 404 -and $text -match '"Request_ResourceNotFound"') { return 'lag' }
  if ($Kind -eq 'create_service_principal' -and $status -eq 400 -and $text -match '"NoBackingApplicationObject"') { return 'lag' }
  if ($Kind -eq 'create_service_principal' -and $status -eq 400 -and $text -match '"Request_BadRequest"') { return 'lag' }
  if ($Kind -eq 'grant_scopes' -and $status -eq 400 -and $text -match '"Request_BadRequest"') { return 'lag' }
  if ($Kind -eq 'assign_roles' -and $status -eq 400 -and $text -match '"Request_BadRequest"') { return 'lag' }
  if ($Kind -eq 'remove_secret' -and $status -eq 400 -and $text -match '"Request_BadRequest"') { return 'lag' }
  'refused'
}

function Say([string]$Text) { [Console]::Error.WriteLine("azreg script: $Text") }

# An id Graph handed out, checked before it goes into a path or the output.
function Guid-Of([string]$Id) {
  if ($Id -notmatch '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$') {
    Say 'Microsoft Graph answered with an id azreg cannot use; nothing more is sent'; exit 1
  }
  $Id
}

# A write or a path of the plan, with the ids learned so far.
function Sub([string]$Text) {
  $Text.Replace('@OBJECT_ID@', $script:ObjectId).Replace('@CLIENT_ID@', $script:ClientId).
    Replace('@SP_ID@', $script:SpId).Replace('@GRAPH_SP@', $script:GraphSpId).
    Replace('@NOW@', [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ssZ'))
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

Connect-MgGraph -Scopes 'Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All' -NoWelcome
$TenantId = Guid-Of (Get-MgContext).TenantId
if ($RecordedTenant -and $TenantId -ne $RecordedTenant) {
  Say "signed in to tenant $TenantId, but azreg recorded $RecordedTenant`: sign in to that one; nothing was changed"
  exit 1
}

# One JSON object for `azreg import`, written when the script ends: after a failed step too, once
# a secret was made.
function Write-Result {
  $out = [ordered]@{ appId = $ClientId; tenant = $TenantId; objectId = $ObjectId; servicePrincipalId = $SpId
    uniqueName = $UniqueName; permissions = $Permissions; adminConsent = $Consent; azreg = 'script powershell' }
  if ($Secret) {
    $out.password = $Secret.secretText; $out.secretKeyId = $Secret.keyId; $out.secretEndDateTime = $Secret.endDateTime
  } else { $out.secretInPlace = $true }
  [pscustomobject]$out | ConvertTo-Json
}
$Finished = $false
try {

# The app registration, created under azreg's key (an upsert: run again, it is the same app).
# An app of the same display name that azreg did not make is never taken over by its name.
$others = @((Read-Graph ('v1.0/applications?$filter=' + [uri]::EscapeDataString($NameFilter))).value |
  Where-Object { $_.uniqueName -ne $UniqueName } | ForEach-Object { $_.appId })
if ($others.Count -gt 0) {
  Say "an app registration with this display name exists already (client ID: $($others -join ' ')); azreg does not take over an app by its name: nothing was changed. If it is yours: azreg script powershell --adopt CLIENT_ID; otherwise choose another name"
  exit 1
}
Say "creating the app registration (key $UniqueName)"
$null = Invoke-Write 'create_app' $null 'PATCH' 'v1.0/applications(uniqueName=''azreg-<key>'')' '{"displayName":"Intrexx Portal","requiredResourceAccess":[{"resourceAccess":[{"id":"e1fe6dd8-ba31-4d61-89e7-88639da4683d","type":"Scope"}],"resourceAppId":"00000003-0000-0000-c000-000000000000"}],"signInAudience":"AzureADMyOrg","spa":{"redirectUris":["https://portal.example.com/oauth2callback.html"]},"web":{"redirectUris":["https://portal.example.com/oauth2/token/ms365-mycompany"]}}' @{ Prefer = 'create-if-missing' }
$app = Read-Retry "v1.0/applications(uniqueName='$UniqueName')"
$ObjectId = Guid-Of $app.id
$ClientId = Guid-Of $app.appId
Say "application (client) ID: $ClientId"

# Its service principal: Entra ID refuses every sign-in without one (AADSTS7000229). A second
# create while a replica lags answers 409: it exists, and is read.
$spOf = { try { (Read-Graph "v1.0/servicePrincipals(appId='$ClientId')").id } catch { $null } }
$SpId = & $spOf
if (-not $SpId) {
  Say 'creating the service principal (Enterprise application)'
  $got = Invoke-Write 'create_service_principal' $spOf 'POST' 'v1.0/servicePrincipals' '{"appId":"@CLIENT_ID@"}'
  $SpId = if ($got -is [string]) { $got } else { $got.id }
}
$SpId = Guid-Of $SpId

# A client secret, unless the one azreg recorded is still on the app (-NewSecret in azreg:
# --new-secret adds one anyway): a re-run adds no second live secret.
if ((-not $NewSecret) -and $RecordedKey -and (@((Read-Graph "v1.0/applications/$ObjectId").passwordCredentials | Where-Object { $_.keyId -eq $RecordedKey }).Count -gt 0)) {
  Say 'the client secret azreg recorded is on the app: no new one (azreg script powershell --new-secret adds one)'
  $Secret = $null
} else {
  Say 'creating the client secret'
  Say "WARNING: the JSON output holds the secret's value, shown only this once: store it now."
  $Secret = Invoke-Write 'add_secret' $null 'POST' 'v1.0/applications/@OBJECT_ID@/addPassword' '{"passwordCredential":{"displayName":"Intrexx connector","endDateTime":"2099-05-25T00:00:00Z","startDateTime":"@NOW@"}}'
}

# Admin consent (for all users) to the delegated permissions: a grant, or the scopes added to the
# one there is.
$GraphSpId = Guid-Of (Read-Retry "v1.0/servicePrincipals(appId='$GraphAppId')").id
$grantOf = { try { @((Read-Graph "v1.0/oauth2PermissionGrants?`$filter=clientId%20eq%20%27$SpId%27").value |
  Where-Object { $_.resourceId -eq $GraphSpId -and $_.consentType -eq 'AllPrincipals' })[0] } catch { $null } }
$grant = & $grantOf
if (-not $grant) {
  Say 'granting admin consent for: User.Read'
  $grant = Invoke-Write 'grant_scopes' $grantOf 'POST' 'v1.0/oauth2PermissionGrants' '{"clientId":"@SP_ID@","consentType":"AllPrincipals","resourceId":"@GRAPH_SP@","scope":"User.Read"}'
}
$have = @("$($grant.scope)".Split(' ', [StringSplitOptions]::RemoveEmptyEntries))
$want = @($have) + @('User.Read'.Split(' ') | Where-Object { $have -notcontains $_ })
if ($want.Count -gt $have.Count) {
  $null = Invoke-Write 'grant_scopes' $null 'PATCH' "v1.0/oauth2PermissionGrants/$($grant.id)" (@{ scope = ($want -join ' ') } | ConvertTo-Json -Compress)
}
$Consent = $true

$Finished = $true
} finally {
  if ($Secret -or $Finished) { Write-Result }
}
