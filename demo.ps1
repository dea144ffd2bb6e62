#Requires -Version 7.4
<#
.SYNOPSIS
    The main job in one command: build AiSwitch, start the bundled mock provider, point two agents at it with a
    preset, and run one prompt on both at once into a CSV.

.DESCRIPTION
    `./demo` (Linux, macOS), or on any system `dotnet tool restore` then `dotnet pwsh -NoProfile -File demo.ps1`,
    runs, in order:

      1. dotnet build of the module and the mock provider (Release, quiet unless it fails);
      2. the mock provider (src/AiSwitch.MockProvider) on a free port of 127.0.0.1, scripted to give one reply;
      3. a home of its own, artifacts/demo/home (emptied first), so ~/.aiswitch is never read or written;
      4. the agents: the Claude Code and Codex CLIs where installed (tests/e2e/node_modules/.bin first, then PATH),
         otherwise the in-process Anthropic and OpenAI SDK agents, registered in that home;
      5. New-AiPreset mock; Switch-AiEnvironment -Agent <both> -Preset mock;
         Invoke-AiTask -Agent <both> -Parallel -Prompt <Prompt> | Export-Csv artifacts/demo/runs.csv;
      6. the CSV, then a short table of it.

    Everything it writes is under artifacts/demo (-Folder).

    The mock is stopped when the script ends, also on Ctrl+C (exit code 130) or an error (exit code 1, as when an
    agent's task failed). The agents run with HOME set to artifacts/demo/user, so the CLIs neither read your settings (which could
    send them elsewhere) nor write their sessions into your home. Run it in its own process, as above: it imports the
    module and changes environment variables.

.EXAMPLE
    ./demo
.EXAMPLE
    ./demo -NoCli -Prompt 'Name three prime numbers.'
#>
[CmdletBinding()]
param(
    # What both agents are asked.
    [string] $Prompt = 'Say hello to AiSwitch in one sentence.',

    # The demo's folder: runs.csv, and the folders it gives the run (home/, user/, work/).
    [string] $Folder = (Join-Path $PSScriptRoot 'artifacts' 'demo'),

    # The AiSwitch home to use. By default <Folder>/home, emptied at the start of each run. A home named here is used
    # as it is: its preset 'mock', the agents' environment records and (when used) the agents 'anthropic' and 'openai'
    # are replaced.
    [string] $AiSwitchHome,

    # Use the in-process Anthropic and OpenAI SDK agents even where the Claude Code and Codex CLIs are installed.
    [switch] $NoCli,

    # Use what is already built (by this script, `dotnet build` or .ci/run) instead of building.
    [switch] $NoBuild,

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'src' 'AiSwitch.MockProvider' 'MockProvider.ps1')

$Folder = [IO.Path]::GetFullPath($Folder)
$outFile = Join-Path $Folder 'runs.csv'
$moduleManifest = Join-Path $PSScriptRoot 'artifacts' 'module' 'AiSwitch' 'AiSwitch.psd1'
$mockDll = Join-Path $PSScriptRoot 'src' 'AiSwitch.MockProvider' 'bin' $Configuration 'net8.0' 'aiswitch-mock.dll'
$reply = 'Hello from the AiSwitch mock provider: no network, no key, no cost.'

# The module and the mock, and what they reference, in one build: one MSBuild start instead of two.
function Invoke-QuietBuild {
    $log = & dotnet build (Join-Path $PSScriptRoot 'tools' 'demo.slnf') -c $Configuration --nologo -v quiet 2>&1
    if ($LASTEXITCODE -ne 0) {
        $log | Write-Host
        throw "dotnet build tools/demo.slnf -c $Configuration (the module and the mock provider) failed (exit code $LASTEXITCODE); its output is above."
    }
}

# The agent for one vendor: its CLI where one is installed, otherwise the SDK agent of the same vendor, registered
# under the demo's home. Both read the same preset variables. The SDK agent also names the preset in its definition:
# its readiness check, made before the task, sees only the definition, not the record Switch-AiEnvironment writes.
function Select-Agent([string] $Cli, [string] $SdkAdapter) {
    if (-not $NoCli -and (Get-Command -Name $Cli -CommandType Application -ErrorAction Ignore)) { return $Cli }
    Register-AiAgent -Name $SdkAdapter -Adapter $SdkAdapter -Preset mock -Force | Out-Null
    $SdkAdapter
}

if (-not $NoBuild) {
    Write-Host "Building the module and the mock provider ($Configuration)…"
    Invoke-QuietBuild
}
if (-not (Test-Path -LiteralPath $moduleManifest)) {
    throw "$moduleManifest is missing. Run ./demo without -NoBuild, or 'dotnet build AiSwitch.PowerShell.sln -c $Configuration'."
}

$saved = @{ AISWITCH_HOME = $env:AISWITCH_HOME; HOME = $env:HOME; USERPROFILE = $env:USERPROFILE; PATH = $env:PATH }
$mock = $null
# Ctrl+C runs the finally block but skips the rest; this tells it apart from an ending or an error.
$outcome = 'interrupted'
try {
    if ($AiSwitchHome) {
        $env:AISWITCH_HOME = [IO.Path]::GetFullPath($AiSwitchHome)
    }
    else {
        $env:AISWITCH_HOME = Join-Path $Folder 'home'
        Remove-Item -LiteralPath $env:AISWITCH_HOME -Recurse -Force -ErrorAction Ignore
    }
    $env:HOME = $env:USERPROFILE = (New-Item -ItemType Directory -Force -Path (Join-Path $Folder 'user')).FullName
    $work = (New-Item -ItemType Directory -Force -Path (Join-Path $Folder 'work')).FullName
    # The CLI versions the end-to-end tests pin (and prove against the mock) come before any on PATH.
    $pinned = Join-Path $PSScriptRoot 'tests' 'e2e' 'node_modules' '.bin'
    if (Test-Path -LiteralPath $pinned) { $env:PATH = $pinned + [IO.Path]::PathSeparator + $env:PATH }

    $mock = Start-MockProvider $mockDll
    $url = $mock.Url
    Write-Host "Mock provider: $url (pid $($mock.Process.Id))"
    Invoke-RestMethod -Method Post -Uri "$url/_mock/script" -ContentType 'application/json' -Body (@{
            default = $true
            reply   = @{ text = $reply; usage = @{ inputTokens = 120; outputTokens = 16; cacheReadTokens = 40 } }
        } | ConvertTo-Json -Depth 5) | Out-Null

    Import-Module -Name $moduleManifest
    Write-Host "AiSwitch home: $env:AISWITCH_HOME"
    New-AiPreset -Name mock -Force -Description 'The demo''s mock provider' -Variable @{
        ANTHROPIC_BASE_URL = $url
        ANTHROPIC_API_KEY  = 'sk-demo-anthropic'
        ANTHROPIC_MODEL    = 'claude-sonnet-4-5'
        OPENAI_BASE_URL    = "$url/v1"
        OPENAI_API_KEY     = 'sk-demo-openai'
        OPENAI_MODEL       = 'gpt-5-mini'
    } | Out-Null
    $agents = @((Select-Agent claude anthropic), (Select-Agent codex openai))
    Switch-AiEnvironment -Agent $agents -Preset mock | Out-Null

    Write-Host "Invoke-AiTask -Agent $($agents -join ',') -Parallel -Prompt '$Prompt' | Export-Csv $outFile"
    Invoke-AiTask -Agent $agents -Parallel -Prompt $Prompt -Timeout 180 -WorkingDirectory $work |
        Export-Csv -LiteralPath $outFile -NoTypeInformation

    Write-Host "`n$outFile`n" -ForegroundColor Cyan
    Get-Content -LiteralPath $outFile
    $rows = @(Import-Csv -LiteralPath $outFile)
    $rows |
        Format-Table Agent, Status, InputTokens, OutputTokens, DurationMs, Output -Wrap |
        Out-String -Width 160
    $failed = @($rows | Where-Object Success -ne 'True')
    $failed | ForEach-Object { Write-Host "$($_.Agent) failed: $($_.ErrorId) $($_.Error)" -ForegroundColor Red }
    $outcome = if ($failed) { 'failed' } else { 'done' }
}
catch {
    $outcome = 'failed'
    throw
}
finally {
    # Ctrl+C in a terminal has usually stopped it already (it shares the console); this covers errors and a script
    # run by something else.
    Stop-MockProvider $mock
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    # An `exit` here, while Ctrl+C unwinds the script, is lost (pwsh ends with 0): end the process now, cleaned up.
    if ($outcome -eq 'interrupted') { [Environment]::Exit(130) }
}
if ($outcome -eq 'failed') { exit 1 }
