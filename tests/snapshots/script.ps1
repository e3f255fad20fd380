#Requires -Modules Microsoft.Graph.Applications
# azreg: registers the Intrexx portal's app in Microsoft Entra ID with Microsoft Graph
# PowerShell, with the values captured in azreg. Safe to run again: it updates the app whose
# client ID azreg recorded (or the one app with this display name) and adds a secret without
# removing any. Messages go to stderr; the output is one JSON object holding the new secret,
# shown only this once: pipe it into azreg, e.g.  pwsh ./Register.ps1 | azreg import
$ErrorActionPreference = 'Stop'

# The captured values (single-quoted: PowerShell expands nothing inside).
$DisplayName = 'Intrexx Portal'
$NameFilter = 'displayName eq ''Intrexx Portal'''
$SignInAudience = 'AzureADMyOrg'
$WebRedirectUri = 'https://portal.example.com/oauth2/token/ms365-mycompany'
$SpaRedirectUri = 'https://portal.example.com/oauth2callback.html'
$SecretDescription = 'Intrexx connector'
$SecretEnd = [datetime]::Parse('2099-05-25', [cultureinfo]::InvariantCulture).ToUniversalTime()
$ClientId = ''
$GrantAdminConsent = $true
$Permissions = 'User.Read'
$DelegatedScopes = 'User.Read'
$AppRoleIds = @()
$GraphAppId = '00000003-0000-0000-c000-000000000000'
$RequiredResourceAccess = @(@{ ResourceAppId = $GraphAppId; ResourceAccess = @(@{ Id = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d'; Type = 'Scope' }) })

function Say([string]$Text) { [Console]::Error.WriteLine("azreg script: $Text") }

# Retries while Entra ID has not yet spread a new object to every replica (eventual
# consistency), waiting 1, 2, 4, 8, 16 s.
function Retry([scriptblock]$Action) {
  foreach ($delay in 1, 2, 4, 8, 16, 0) {
    try { return & $Action }
    catch {
      $text = "$_ $($_.ErrorDetails)"
      if ($delay -eq 0 -or $text -notmatch 'Request_ResourceNotFound|NoBackingApplicationObject|ResourceNotFound') { throw }
      Say "not visible yet (replication); trying again in $delay s"
      Start-Sleep -Seconds $delay
    }
  }
}

Connect-MgGraph -Scopes 'Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All' -NoWelcome

if (-not $ClientId) {
  $found = @(Get-MgApplication -Filter $NameFilter -All)
  if ($found.Count -gt 1) { Say 'several app registrations have this display name: enter the right client ID in azreg (step 23) and run again'; exit 1 }
  if ($found.Count -eq 1) { $ClientId = $found[0].AppId; Say "found the app registration with this display name: $ClientId" }
}

if (-not $ClientId) {
  Say 'creating the app registration'
  $app = New-MgApplication -DisplayName $DisplayName -SignInAudience $SignInAudience `
    -Web @{ RedirectUris = @($WebRedirectUri) } -Spa @{ RedirectUris = @($SpaRedirectUri) } `
    -RequiredResourceAccess $RequiredResourceAccess
} else {
  Say "updating the app registration $ClientId"
  $app = Retry { Get-MgApplicationByAppId -AppId $ClientId }
  # Update replaces whole lists: keep what others added there.
  $web = @($app.Web.RedirectUris) + @($WebRedirectUri) | Select-Object -Unique
  $spa = @($app.Spa.RedirectUris) + @($SpaRedirectUri) | Select-Object -Unique
  $others = @($app.RequiredResourceAccess | Where-Object { $_.ResourceAppId -ne $GraphAppId })
  Update-MgApplication -ApplicationId $app.Id -DisplayName $DisplayName -SignInAudience $SignInAudience `
    -Web @{ RedirectUris = @($web) } -Spa @{ RedirectUris = @($spa) } `
    -RequiredResourceAccess (@($others) + $RequiredResourceAccess)
}
$ClientId = $app.AppId
Say "application (client) ID: $ClientId"

# Entra ID refuses sign-in for an app without a service principal (AADSTS7000229).
$sp = Get-MgServicePrincipal -Filter "appId eq '$ClientId'"
if (-not $sp) {
  Say 'creating the service principal (Enterprise application)'
  $sp = Retry { New-MgServicePrincipal -AppId $ClientId }
}

$consent = $false
if ($GrantAdminConsent) {
  Say "granting admin consent for: $Permissions"
  $graphSp = Get-MgServicePrincipalByAppId -AppId $GraphAppId
  if ($DelegatedScopes) {
    $grant = Get-MgOauth2PermissionGrant -Filter "clientId eq '$($sp.Id)'" |
      Where-Object { $_.ResourceId -eq $graphSp.Id -and $_.ConsentType -eq 'AllPrincipals' }
    if ($grant) { Update-MgOauth2PermissionGrant -OAuth2PermissionGrantId $grant.Id -Scope $DelegatedScopes }
    else {
      $null = Retry { New-MgOauth2PermissionGrant -ClientId $sp.Id -ConsentType 'AllPrincipals' -ResourceId $graphSp.Id -Scope $DelegatedScopes }
    }
  }
  $have = @(Get-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id | ForEach-Object { $_.AppRoleId })
  foreach ($role in $AppRoleIds) {
    if ($have -contains $role) { continue }
    $null = Retry { New-MgServicePrincipalAppRoleAssignedTo -ServicePrincipalId $graphSp.Id -PrincipalId $sp.Id -ResourceId $graphSp.Id -AppRoleId $role }
  }
  $consent = $true
}

Say 'creating the client secret'
$secret = Retry { Add-MgApplicationPassword -ApplicationId $app.Id -PasswordCredential @{ DisplayName = $SecretDescription; EndDateTime = $SecretEnd } }
Say "WARNING: the JSON output holds the secret's value, shown only this once: store it now."
[pscustomobject]@{
  appId = $ClientId; password = $secret.SecretText; tenant = (Get-MgContext).TenantId
  objectId = $app.Id; servicePrincipalId = $sp.Id; secretKeyId = $secret.KeyId
  secretEndDateTime = $secret.EndDateTime; permissions = $Permissions; adminConsent = $consent
  azreg = 'script powershell'
} | ConvertTo-Json
