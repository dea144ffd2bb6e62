#Requires -Version 7.4
# New-AiPreset: creates a 0600 YAML file; SecureString and references; -Force; -WhatIf leaves no trace; exact error ids.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
    $presets = Join-Path $env:AISWITCH_HOME 'config' 'presets'
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'New-AiPreset' {
    It 'creates a preset and returns it redacted' {
        $preset = New-AiPreset -Name openai -Variable @{ OPENAI_API_KEY = 'sk-new-0123456789ABCD'; OPENAI_MODEL = 'gpt-4o' } -Description 'OpenAI' -Tag work, fast
        $preset.Name | Should -Be 'openai'
        $preset.Variables['OPENAI_API_KEY'] | Should -Be '****ABCD'
        $preset.Tags | Should -Be @('work', 'fast')
        Join-Path $presets 'openai.yaml' | Should -Exist
        Get-Content -Raw (Join-Path $presets 'openai.yaml') | Should -Match 'OPENAI_MODEL: "gpt-4o"'
    }

    It 'writes a file only the user can read' -Skip:$IsWindows {
        New-AiPreset -Name private -Variable @{ A = '1' } | Out-Null
        (Get-Item (Join-Path $presets 'private.yaml')).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
    }

    It 'stores a SecureString value inline and numbers and booleans as text' {
        $secure = ConvertTo-SecureString 'sk-secure-0123456789QRST' -AsPlainText -Force
        New-AiPreset -Name secure -Variable @{ API_KEY = $secure; PORT = 8080; DEBUG = $true } | Out-Null
        $text = Get-Content -Raw (Join-Path $presets 'secure.yaml')
        $text | Should -Match 'API_KEY: "sk-secure-0123456789QRST"'
        $text | Should -Match 'PORT: "8080"'
        $text | Should -Match 'DEBUG: "true"'
        (Get-AiPreset secure).Variables['API_KEY'] | Should -Be '****QRST'
    }

    It 'keeps references as written' {
        (New-AiPreset -Name refs -Variable @{ A_KEY = 'env:MY_KEY'; B_KEY = 'file:~/.keys/b'; C_KEY = 'secret:Vault/C' }).Variables.Values |
            Should -Be @('env:MY_KEY', 'file:~/.keys/b', 'secret:Vault/C')
    }

    It 'takes its parameters from the pipeline by property name' {
        [pscustomobject]@{ Name = 'piped'; Variable = @{ A = '1' }; Description = 'from a csv' } | New-AiPreset | Out-Null
        (Get-AiPreset piped).Description | Should -Be 'from a csv'
    }

    It 'refuses an existing name unless -Force' {
        New-AiPreset -Name existing -Variable @{ A = '1'; B = '2' } | Out-Null
        { New-AiPreset -Name existing -Variable @{ A = '1' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'PresetAlreadyExists,AiSwitch.PowerShell.Commands.NewAiPresetCommand'
        (Get-AiPreset existing).VariableCount | Should -Be 2
        (New-AiPreset -Name existing -Variable @{ A = '1' } -Force).VariableCount | Should -Be 1
    }

    It 'reports an existing name as a non-terminating error and goes on with the next piped preset' {
        New-AiPreset -Name taken -Variable @{ A = '1' } | Out-Null
        $made = @([pscustomobject]@{ Name = 'taken'; Variable = @{ A = '2' } }, [pscustomobject]@{ Name = 'fresh'; Variable = @{ A = '3' } }) |
            New-AiPreset -ErrorVariable refused -ErrorAction SilentlyContinue
        $made.Name | Should -Be 'fresh'
        $refused | Should -HaveCount 1
        $refused[0].FullyQualifiedErrorId | Should -Be 'PresetAlreadyExists,AiSwitch.PowerShell.Commands.NewAiPresetCommand'
        $refused[0].TargetObject | Should -Be 'taken'
    }

    It 'refuses bad names and bad variable names' {
        { New-AiPreset -Name 'a/b' -Variable @{ A = '1' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPresetName,AiSwitch.PowerShell.Commands.NewAiPresetCommand'
        { New-AiPreset -Name CON -Variable @{ A = '1' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPresetName,AiSwitch.PowerShell.Commands.NewAiPresetCommand'
        { New-AiPreset -Name ok -Variable @{ 'BAD-NAME' = '1' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidVariableName,AiSwitch.PowerShell.Commands.NewAiPresetCommand'
        { New-AiPreset -Name ok -Variable @{ A = 'env:' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,AiSwitch.PowerShell.Commands.NewAiPresetCommand'
        Join-Path $presets 'ok.yaml' | Should -Not -Exist
    }

    It '-WhatIf writes nothing' {
        New-AiPreset -Name whatif -Variable @{ A = '1' } -WhatIf | Should -BeNullOrEmpty
        Join-Path $presets 'whatif.yaml' | Should -Not -Exist
    }
}
