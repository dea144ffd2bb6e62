# The reference agent (src/AiSwitch.ReferenceAgent, docs/reference-agent.md) of the same build configuration as the
# module under test, registered as a jsonrpc agent: an agent that answers, hangs, fails, crashes or echoes a variable
# as its options say, with no network and no cost. A missing build fails the test; it never skips.
. (Join-Path $PSScriptRoot 'Build.ps1')

function Get-ReferenceAgentDll { Get-AiSwitchBuildFile 'AiSwitch.ReferenceAgent' 'aiswitch-reference-agent.dll' }

# Registers agent $Name running the reference agent with $Option (e.g. '--hang', '--echo-env', 'NAME').
function Register-ReferenceAgent([string] $Name, [string[]] $Option = @(), [string] $Preset) {
    $dotnet = (Get-Command dotnet -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
    $arguments = @{ Name = $Name; Adapter = 'jsonrpc'; Command = $dotnet; Argument = @(Get-ReferenceAgentDll) + $Option; Force = $true }
    if ($Preset) { $arguments.Preset = $Preset }
    Register-AiAgent @arguments
}
