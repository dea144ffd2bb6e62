# Shared by the task cmdlets' tests: a home under $TestDrive whose agents 'first' and 'second' name a command that does
# not exist, so every task fails the same clear way (AgentInitializationFailed) with no network and no cost.
function Initialize-AiTaskTestHome {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    New-Item -ItemType Directory -Path (Join-Path $env:AISWITCH_HOME 'config') -Force | Out-Null
    @'
agents:
  - name: first
    adapter: jsonrpc
    command: /nonexistent/aiswitch-pester-agent
  - name: second
    adapter: jsonrpc
    command: /nonexistent/aiswitch-pester-agent
'@ | Set-Content (Join-Path $env:AISWITCH_HOME 'config/agents.yaml')
    $manifest = Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1'
    Import-Module -Name $manifest -Force -ErrorAction Stop
    $manifest
}
