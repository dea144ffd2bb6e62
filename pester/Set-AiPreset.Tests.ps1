#Requires -Version 7.4
# Set-AiPreset: merge, remove, describe, retag; piped by name; -WhatIf leaves no trace; exact error ids.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
    $presets = Join-Path $env:AISWITCH_HOME 'config' 'presets'
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Set-AiPreset' {
    BeforeEach {
        New-AiPreset -Name p -Variable @{ A = '1'; B = '2'; C = '3' } -Description before -Tag t -Force | Out-Null
    }

    It 'adds and replaces variables and removes others, keeping the rest' {
        $preset = Set-AiPreset -Name p -Variable @{ B = '20'; D = 'env:HOME' } -RemoveVariable C
        $preset.Variables.Keys | Should -Be @('A', 'B', 'D')
        $preset.Variables['B'] | Should -Be '20'
        $preset.Description | Should -Be 'before'
        $preset.Tags | Should -Be @('t')
        $preset.UpdatedAt | Should -BeGreaterOrEqual $preset.CreatedAt
    }

    It 'changes the description and replaces or clears the tags' {
        (Set-AiPreset p -Description after -Tag x, y).Tags | Should -Be @('x', 'y')
        (Get-AiPreset p).Description | Should -Be 'after'
        (Set-AiPreset p -Tag @()).Tags | Should -BeNullOrEmpty
    }

    It 'takes the name from Get-AiPreset' {
        New-AiPreset -Name q -Variable @{ A = '1' } -Force | Out-Null
        Get-AiPreset p, q | Set-AiPreset -Description piped | Out-Null
        (Get-AiPreset p, q).Description | Should -Be @('piped', 'piped')
    }

    It 'refuses to remove a variable that is not there and changes nothing' {
        $before = Get-Content -Raw (Join-Path $presets 'p.yaml')
        { Set-AiPreset p -Variable @{ Z = '9' } -RemoveVariable NOPE -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,AiSwitch.PowerShell.Commands.SetAiPresetCommand'
        Get-Content -Raw (Join-Path $presets 'p.yaml') | Should -Be $before
    }

    It 'reports an unknown preset with suggestions' {
        { Set-AiPreset -Name pp -Description x -ErrorAction Stop } |
            Should -Throw -ErrorId 'PresetNotFound,AiSwitch.PowerShell.Commands.SetAiPresetCommand'
    }

    It 'reports an unknown preset as a non-terminating error and goes on with the next piped name' {
        $changed = 'pp', 'p' | ForEach-Object { [pscustomobject]@{ Name = $_ } } | Set-AiPreset -Description 'piped' -ErrorVariable unknown -ErrorAction SilentlyContinue
        $changed.Name | Should -Be 'p'
        $unknown[0].FullyQualifiedErrorId | Should -Be 'PresetNotFound,AiSwitch.PowerShell.Commands.SetAiPresetCommand'
        $unknown[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'never overwrites a malformed file' {
        Set-Content -LiteralPath (Join-Path $presets 'bad.yaml') -Value 'variables: [' -NoNewline
        { Set-AiPreset bad -Description x -ErrorAction Stop } |
            Should -Throw -ErrorId 'PresetFileInvalid,AiSwitch.PowerShell.Commands.SetAiPresetCommand'
        Get-Content -Raw (Join-Path $presets 'bad.yaml') | Should -Be 'variables: ['
    }

    It '-WhatIf writes nothing' {
        $before = Get-Content -Raw (Join-Path $presets 'p.yaml')
        Set-AiPreset p -Variable @{ A = 'changed' } -WhatIf | Should -BeNullOrEmpty
        Get-Content -Raw (Join-Path $presets 'p.yaml') | Should -Be $before
    }
}
