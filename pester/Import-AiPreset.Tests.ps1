#Requires -Version 7.4
# Import-AiPreset: reads a folder in the original Python aiswitch's format; skip with a warning unless -Force;
# a broken file is non-terminating; -WhatIf leaves no trace; the default folder follows XDG_CONFIG_HOME.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
    $presets = Join-Path $env:AISWITCH_HOME 'config' 'presets'
    $env:XDG_CONFIG_HOME = Join-Path $TestDrive 'xdg'
    $original = Join-Path $env:XDG_CONFIG_HOME 'aiswitch' 'presets'
    New-Item -ItemType Directory -Force -Path $original | Out-Null
    # What the original writes: yaml.dump(model_dump(), default_flow_style=False).
    Set-Content -LiteralPath (Join-Path $original 'openai.yaml') -NoNewline -Value (
        "created_at: '2025-09-20T12:34:56.123456'`ndescription: OpenAI official`nname: openai`ntags:`n- gpt`nvariables:`n  API_BASE_URL: https://api.openai.com/v1`n  API_KEY: sk-original-0123456789ABCD`n")
    Set-Content -LiteralPath (Join-Path $original 'kimi.yaml') -NoNewline -Value (
        "created_at: '2025-09-21T08:00:00'`ndescription: ''`nname: kimi`ntags: []`nvariables:`n  ANTHROPIC_BASE_URL: https://api.moonshot.cn/anthropic`n")
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Import-AiPreset' {
    It '-WhatIf imports nothing' {
        Import-AiPreset -WhatIf | Should -BeNullOrEmpty
        Test-Path (Join-Path $presets 'openai.yaml') | Should -BeFalse
    }

    It 'imports every preset from the default folder, one result each' {
        $results = Import-AiPreset
        $results | Should -BeOfType ([AiSwitch.ImportPresetResult])
        $results.Name | Should -Be @('kimi', 'openai')
        $results.Status | Should -Be @('Imported', 'Imported')
        $openai = Get-AiPreset openai
        $openai.Description | Should -Be 'OpenAI official'
        $openai.Tags | Should -Be @('gpt')
        $openai.Variables['API_KEY'] | Should -Be '****ABCD'
        $openai.CreatedAt.LocalDateTime | Should -Be ([datetime]'2025-09-20T12:34:56.123456')
    }

    It 'skips existing presets with a warning unless -Force' {
        Import-AiPreset -Force | Out-Null   # they exist now, whether or not an earlier test imported them
        $results = Import-AiPreset -WarningVariable warnings -WarningAction SilentlyContinue
        $results.Status | Should -Be @('Skipped', 'Skipped')
        $warnings.Count | Should -Be 2
        $warnings[0] | Should -Match '-Force'
        (Import-AiPreset -Force).Status | Should -Be @('Replaced', 'Replaced')
    }

    It 'takes -Path and a piped folder' {
        $copy = Join-Path $TestDrive 'copy'
        Copy-Item -Recurse -LiteralPath $original -Destination $copy
        (Import-AiPreset -Path $copy -Force).Count | Should -Be 2
        (Get-Item $copy | Import-AiPreset -Force).Count | Should -Be 2
    }

    It 'reports a broken file and imports the others' {
        $mixed = Join-Path $TestDrive 'mixed'
        New-Item -ItemType Directory -Path $mixed | Out-Null
        Set-Content -LiteralPath (Join-Path $mixed 'broken.yaml') -Value "variables:`n  - a list" -NoNewline
        Set-Content -LiteralPath (Join-Path $mixed 'fine.yaml') -Value "variables:`n  A: b" -NoNewline
        $results = Import-AiPreset -Path $mixed -ErrorVariable failures -ErrorAction SilentlyContinue
        $results.Status | Should -Be @('Failed', 'Imported')
        $failures[0].FullyQualifiedErrorId | Should -Be 'PresetFileInvalid,AiSwitch.PowerShell.Commands.ImportAiPresetCommand'
    }

    It 'says where to point it when the folder is missing' {
        { Import-AiPreset -Path (Join-Path $TestDrive 'nowhere') -ErrorAction Stop } |
            Should -Throw -ErrorId 'PresetImportSourceNotFound,AiSwitch.PowerShell.Commands.ImportAiPresetCommand'
    }

    It 'has a table view' {
        Get-FormatData -TypeName AiSwitch.ImportPresetResult | Should -Not -BeNullOrEmpty
    }
}
