#Requires -Version 7.4
# The types a user names in a script, in a real pwsh: every cmdlet's declared output types resolve, [AiSwitch.TaskResult]
# resolves right after Import-Module, Invoke-AiTask's results are [AiSwitch.TaskResult], and an AiSwitch error is caught
# by its type. Tasks run on agents whose command does not exist (Support/TaskAgents.ps1): no network, no cost.
# Run by pester/Invoke-Pester.ps1 in a fresh pwsh with $env:AISWITCH_MODULE_PATH set to the built module folder.

BeforeDiscovery {
    $exportedCmdlets = @((Import-PowerShellDataFile -LiteralPath (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1')).CmdletsToExport)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Pwsh.ps1')
    . (Join-Path $PSScriptRoot 'Support/TaskAgents.ps1')
    $manifest = Initialize-AiTaskTestHome
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Output types' {
    It '<_> declares output types that all resolve' -ForEach $exportedCmdlets {
        $declared = @((Get-Command -Name $_ -Module AiSwitch -CommandType Cmdlet).OutputType)
        $declared.Count | Should -BeGreaterThan 0
        foreach ($output in $declared) {
            $output.Type | Should -Not -BeNullOrEmpty -Because "$_ declares [OutputType('$($output.Name)')]"
        }
    }
}

Describe 'Types a user names' {
    It '[AiSwitch.TaskResult] and [AiSwitch.AiSwitchException] resolve right after Import-Module, before any cmdlet runs' {
        $child = Invoke-ChildPwsh @('-Command', "Import-Module -Name '$manifest' -ErrorAction Stop; [AiSwitch.TaskResult].FullName; [AiSwitch.AiSwitchException].FullName")

        $child.Error | Should -BeNullOrEmpty
        $child.ExitCode | Should -Be 0
        $child.Output.Trim() -split '\r?\n' | Should -Be @('AiSwitch.TaskResult', 'AiSwitch.AiSwitchException')
    }

    It 'Invoke-AiTask writes [AiSwitch.TaskResult] objects' {
        # The agents' command does not exist: each result is Failed (and an error, silenced here).
        $results = @(Invoke-AiTask -Agent first, second -Prompt 'hi' -Parallel -ErrorAction SilentlyContinue)

        $results.Count | Should -Be 2
        foreach ($r in $results) {
            $r -is [AiSwitch.TaskResult] | Should -BeTrue
        }
        $results.Agent | Sort-Object | Should -Be @('first', 'second')
    }

    It 'catch [AiSwitch.AiSwitchException] catches Get-AiPreset nosuch -ErrorAction Stop' {
        $caught = $null
        try {
            Get-AiPreset -Name nosuch -ErrorAction Stop
        }
        catch [AiSwitch.AiSwitchException] {
            $caught = $_
        }

        $caught | Should -Not -BeNullOrEmpty
        $caught.Exception.Id | Should -Be 'PresetNotFound'
        $caught.FullyQualifiedErrorId | Should -Be 'PresetNotFound,AiSwitch.PowerShell.Commands.GetAiPresetCommand'
        $caught.TargetObject | Should -Be 'nosuch'
    }
}
