# The mock provider (src/AiSwitch.MockProvider, docs/mock-provider.md) of the module's build configuration on a free
# loopback port, and the real Claude Code and Codex CLIs (tests/e2e/node_modules, pinned in tests/e2e/package-lock.json)
# on PATH, so the built-in agents claude and codex talk to it. Nothing reaches the network; a missing CLI or mock
# build fails the test, never skips it.

. (Join-Path $PSScriptRoot 'Build.ps1')
. (Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'src' 'AiSwitch.MockProvider' 'MockProvider.ps1')

# Puts the CLIs on PATH and HOME in the test drive (the CLIs write ~/.claude.json and ~/.codex there). Returns what to
# give Restore-AiRealAgentCli.
function Initialize-AiRealAgentCli {
    $repo = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $bin = Join-Path $repo 'tests' 'e2e' 'node_modules' '.bin'
    foreach ($cli in 'claude', 'codex') {
        if (-not (Test-Path -LiteralPath (Join-Path $bin $cli))) {
            throw "The $cli CLI is not installed in $bin. Run 'npm ci --no-audit --no-fund' in $(Join-Path $repo 'tests' 'e2e') (building the solution does it)."
        }
    }
    $saved = [pscustomobject]@{ Home = $env:HOME; Path = $env:PATH }
    $env:HOME = (New-Item -ItemType Directory -Force -Path (Join-Path $TestDrive 'user')).FullName
    $env:PATH = $bin + [IO.Path]::PathSeparator + $env:PATH
    $saved
}

function Restore-AiRealAgentCli($Saved) {
    if ($Saved) { $env:HOME, $env:PATH = $Saved.Home, $Saved.Path }
}

# Starts aiswitch-mock --port 0 of the module's build configuration (Start-MockProvider, shipped beside the mock);
# returns its process and base URL. Stop it with Stop-MockProvider.
function Start-AiMockProvider {
    Start-MockProvider -Dll (Get-AiSwitchBuildFile 'AiSwitch.MockProvider' 'aiswitch-mock.dll')
}

# Sets the reply every model call under $Prefix gets (a hashtable in the mock's JSON shape: text, usage, fault…).
function Set-AiMockReply($Mock, [string] $Prefix, [hashtable] $Reply) {
    Invoke-RestMethod -Method Post -Uri "$($Mock.Url)/_mock/script" -ContentType 'application/json' -Body (
        @{ default = $true; prefix = $Prefix; reply = $Reply } | ConvertTo-Json -Depth 5) | Out-Null
}

# The requests the mock recorded under $Prefix, one object each (Invoke-RestMethod writes a JSON array as one object).
function Get-AiMockRequest($Mock, [string] $Prefix) {
    @(Invoke-RestMethod -Uri "$($Mock.Url)/_mock/requests?prefix=$Prefix" | ForEach-Object { $_ })
}

# A preset pointing Claude Code and Codex at the mock under $Prefix.
function New-AiMockPreset($Mock, [string] $Name, [string] $Prefix) {
    New-AiPreset -Name $Name -Variable @{
        ANTHROPIC_BASE_URL = "$($Mock.Url)$Prefix"
        ANTHROPIC_API_KEY  = 'sk-pester-anthropic-0001'
        OPENAI_BASE_URL    = "$($Mock.Url)$Prefix/v1"
        OPENAI_API_KEY     = 'sk-pester-openai-0002'
    }
}
