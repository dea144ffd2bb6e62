#Requires -Version 7.4
# Get-AiPreset: by name, by wildcard, piped; redaction; a malformed file does not hide the others; exact error ids.
# Run by pester/Invoke-Pester.ps1 in a fresh pwsh with $env:AISWITCH_MODULE_PATH set to the built module folder.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
    $secret = 'sk-pester-get-0123456789WXYZ'
    New-AiPreset -Name gpt4 -Variable @{ OPENAI_API_KEY = $secret; OPENAI_MODEL = 'gpt-4' } -Description 'four' -Tag work | Out-Null
    New-AiPreset -Name gpt4o -Variable @{ OPENAI_API_KEY = 'env:OPENAI_KEY'; OPENAI_MODEL = 'gpt-4o' } | Out-Null
    New-AiPreset -Name kimi -Variable @{ ANTHROPIC_AUTH_TOKEN = 'file:~/.keys/kimi' } | Out-Null
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Get-AiPreset' {
    It 'returns every preset sorted by name' {
        (Get-AiPreset).Name | Should -Be @('gpt4', 'gpt4o', 'kimi')
    }

    It 'returns the typed output object' {
        $preset = Get-AiPreset -Name gpt4
        $preset | Should -BeOfType ([AiSwitch.Preset])
        $preset.PSObject.TypeNames[0] | Should -Be 'AiSwitch.Preset'
        $preset.VariableCount | Should -Be 2
        $preset.Tags | Should -Be @('work')
        $preset.Description | Should -Be 'four'
        $preset.Source | Should -Be (Join-Path $env:AISWITCH_HOME 'config' 'presets' 'gpt4.yaml')
    }

    It 'filters with wildcards' {
        (Get-AiPreset -Name 'gpt*').Name | Should -Be @('gpt4', 'gpt4o')
        Get-AiPreset -Name 'none*' | Should -BeNullOrEmpty
    }

    It 'takes names from the pipeline by value and by property name' {
        ('kimi', 'gpt4' | Get-AiPreset).Name | Should -Be @('kimi', 'gpt4')
        ([pscustomobject]@{ Name = 'gpt4o' } | Get-AiPreset).Name | Should -Be 'gpt4o'
    }

    It 'redacts secrets and shows references as written' {
        $gpt4 = Get-AiPreset gpt4
        $gpt4.Variables['OPENAI_API_KEY'] | Should -Be '****WXYZ'
        $gpt4.Variables['OPENAI_MODEL'] | Should -Be 'gpt-4'
        (Get-AiPreset gpt4o).Variables['OPENAI_API_KEY'] | Should -Be 'env:OPENAI_KEY'
        (Get-AiPreset | Format-List | Out-String) | Should -Not -Match ([regex]::Escape($secret))
        (Get-AiPreset | ConvertTo-Json -Depth 5) | Should -Not -Match ([regex]::Escape($secret))
    }

    It 'reports an unknown name with the closest names and goes on' {
        $found = Get-AiPreset -Name gpt5, kimi -ErrorVariable failures -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'kimi'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'PresetNotFound,AiSwitch.PowerShell.Commands.GetAiPresetCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'gpt5'
        $failures[0].Exception.Message | Should -Match "Did you mean 'gpt4'"
        $failures[0].Exception.Message | Should -Match 'New-AiPreset'
    }

    It 'lists the good presets when one file is malformed, reporting file, line and column' {
        $bad = Join-Path $env:AISWITCH_HOME 'config' 'presets' 'broken.yaml'
        Set-Content -LiteralPath $bad -Value "variables:`n`tA: 1" -NoNewline
        try {
            $all = Get-AiPreset -ErrorVariable failures -ErrorAction SilentlyContinue
            $all.Name | Should -Be @('gpt4', 'gpt4o', 'kimi')
            $failures[0].FullyQualifiedErrorId | Should -Be 'PresetFileInvalid,AiSwitch.PowerShell.Commands.GetAiPresetCommand'
            $failures[0].Exception.Message | Should -Match 'line 2, column 1'
            $failures[0].Exception.Details['file'] | Should -Be $bad
        }
        finally {
            Remove-Item -LiteralPath $bad
        }
    }

    It 'refuses a name that cannot be a preset' {
        { Get-AiPreset -Name '../etc' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPresetName,AiSwitch.PowerShell.Commands.GetAiPresetCommand'
    }

    It 'completes preset names' {
        $completion = TabExpansion2 -inputScript 'Get-AiPreset -Name gp' -cursorColumn 21
        $completion.CompletionMatches.CompletionText | Should -Be @('gpt4', 'gpt4o')
    }

    It 'has a table view' {
        (Get-AiPreset | Format-Table | Out-String) | Should -Match 'Variables'
        Get-FormatData -TypeName AiSwitch.Preset | Should -Not -BeNullOrEmpty
    }
}
