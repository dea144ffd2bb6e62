#Requires -Version 7.4
# Remove-AiPreset: ConfirmImpact Medium (as Remove-Item and Remove-Secret) so scripts need no -Confirm:$false, -Force for
# a lowered $ConfirmPreference, parameter and piped forms, missing names are non-terminating, -WhatIf leaves no trace.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Pwsh.ps1')
    . (Join-Path $PSScriptRoot 'Support/NonInteractive.ps1')
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
    $presets = Join-Path $env:AISWITCH_HOME 'config' 'presets'
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Remove-AiPreset' {
    BeforeEach {
        'one', 'two', 'three' | ForEach-Object { New-AiPreset -Name $_ -Variable @{ A = '1' } -Force | Out-Null }
    }

    It 'is medium impact, as Remove-Item and Remove-Secret are' {
        $metadata = [System.Management.Automation.CommandMetadata]::new((Get-Command Remove-AiPreset))
        $metadata.ConfirmImpact | Should -Be 'Medium'
        $metadata.SupportsShouldProcess | Should -BeTrue
    }

    It 'removes without asking in a non-interactive shell, and -Force removes where $ConfirmPreference would ask' {
        Get-RemovalOutcome 'Remove-AiPreset {0}' one, two, three |
            Should -BeLike 'ok | failed: *NonInteractive* | ok | failed: *NonInteractive*' -Because 'an explicit -Confirm still asks'
        (Get-AiPreset).Name | Should -Be 'three'
    }

    It '-Force -WhatIf removes nothing' {
        Remove-AiPreset -Name one -Force -WhatIf
        (Get-AiPreset).Name | Should -Be @('one', 'three', 'two')
    }

    It 'removes a preset by name and returns nothing' {
        Remove-AiPreset -Name one -Confirm:$false | Should -BeNullOrEmpty
        Join-Path $presets 'one.yaml' | Should -Not -Exist
        (Get-AiPreset).Name | Should -Be @('three', 'two')
    }

    It 'removes what Get-AiPreset pipes in' {
        Get-AiPreset t* | Remove-AiPreset -Confirm:$false
        (Get-AiPreset).Name | Should -Be 'one'
    }

    It 'reports a missing name and still removes the others' {
        Remove-AiPreset -Name nope, two -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'PresetNotFound,AiSwitch.PowerShell.Commands.RemoveAiPresetCommand'
        $failures[0].TargetObject | Should -Be 'nope'
        Join-Path $presets 'two.yaml' | Should -Not -Exist
    }

    It 'refuses a path-like name' {
        { Remove-AiPreset -Name '../one' -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPresetName,AiSwitch.PowerShell.Commands.RemoveAiPresetCommand'
    }

    It '-WhatIf removes nothing' {
        Remove-AiPreset -Name one, two -WhatIf
        (Get-AiPreset).Name | Should -Be @('one', 'three', 'two')
    }
}
