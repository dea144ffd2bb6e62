#Requires -Modules Pester
# Switch-AiEnvironment: the session or agents, all variables or none, snapshot first.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module $env:AISWITCH_MODULE_PATH -Force
    New-AiPreset -Name sae-gpt -Variable @{ SAE_URL = 'https://gpt.example'; SAE_MODEL = 'gpt-5' } | Out-Null
    New-AiPreset -Name sae-kimi -Variable @{ SAE_URL = 'https://kimi.example' } | Out-Null
    New-AiPreset -Name sae-broken -Variable @{ SAE_URL = 'x'; SAE_TOKEN = 'env:SAE_NOT_SET_ANYWHERE' } | Out-Null
}

Describe 'Switch-AiEnvironment' {
    AfterEach {
        foreach ($name in 'SAE_URL', 'SAE_MODEL', 'SAE_EXTRA', 'AISWITCH_PRESET', 'AISWITCH_MANAGED_VARIABLES') {
            Remove-Item -LiteralPath "Env:$name" -ErrorAction Ignore
        }
    }

    It 'switches the session when no agent is named' {
        $result = Switch-AiEnvironment -Preset sae-gpt
        $result.Agent | Should -Be 'session'
        $env:SAE_MODEL | Should -Be 'gpt-5'
    }

    It 'switches several agents and leaves the session alone' {
        $results = Switch-AiEnvironment -Preset sae-gpt -Agent sae-a, sae-b -Variable @{ SAE_EXTRA = 'x' }
        $results.Agent | Should -Be @('sae-a', 'sae-b')
        $results[0].VariablesSet | Should -Contain 'SAE_EXTRA'
        $env:SAE_URL | Should -BeNullOrEmpty
    }

    It 'takes agent names from the pipeline by property name' {
        $results = [pscustomobject]@{ Agent = 'sae-piped' } | Switch-AiEnvironment -Preset sae-kimi
        $results.Agent | Should -Be 'sae-piped'
        $results.CurrentPreset | Should -Be 'sae-kimi'
    }

    It 'switches the agents Get-AiAgent pipes in' {
        'sae-r1', 'sae-r2' | ForEach-Object { Register-AiAgent -Name $_ -Adapter codex | Out-Null }
        $results = Get-AiAgent sae-r* | Switch-AiEnvironment -Preset sae-kimi
        $results.Agent | Should -Be @('sae-r1', 'sae-r2')
        $results.CurrentPreset | Should -Be @('sae-kimi', 'sae-kimi')
        $env:SAE_URL | Should -BeNullOrEmpty -Because 'the session is not switched'
    }

    It 'switches to the preset Get-AiPreset pipes in' {
        $result = Get-AiPreset sae-gpt | Switch-AiEnvironment -Agent sae-from-preset
        $result.Agent | Should -Be 'sae-from-preset'
        $result.CurrentPreset | Should -Be 'sae-gpt'
        $env:SAE_URL | Should -BeNullOrEmpty -Because 'the session is not switched'
    }

    It 'switches the session to a piped preset, never taking the preset''s name for an agent' {
        $result = Get-AiPreset sae-kimi | Switch-AiEnvironment
        $result.Agent | Should -Be 'session'
        $env:SAE_URL | Should -Be 'https://kimi.example'
    }

    It 'returns a snapshot id that Restore-AiEnvironment takes from the pipeline' {
        Switch-AiEnvironment -Preset sae-gpt -Agent sae-c | Out-Null
        $restored = Switch-AiEnvironment -Preset sae-kimi -Agent sae-c | Restore-AiEnvironment
        $restored.PresetName | Should -Be 'sae-gpt'
    }

    It 'accepts a SecureString override' {
        $secure = ConvertTo-SecureString 'from-a-secure-string' -AsPlainText -Force
        Switch-AiEnvironment -Preset sae-kimi -Variable @{ SAE_EXTRA = $secure } | Out-Null
        $env:SAE_EXTRA | Should -Be 'from-a-secure-string'
    }

    It 'with -NoSnapshot takes no snapshot' {
        (Switch-AiEnvironment -Preset sae-gpt -Agent sae-d -NoSnapshot).SnapshotId | Should -BeNullOrEmpty
        Get-AiEnvironmentSnapshot -Agent sae-d | Should -BeNullOrEmpty
    }

    It 'with -WhatIf writes nothing' {
        Switch-AiEnvironment -Preset sae-gpt -Agent sae-whatif -WhatIf
        Test-Path (Join-Path $env:AISWITCH_HOME 'state/environments/sae-whatif.json') | Should -BeFalse
        Get-AiEnvironmentSnapshot -Agent sae-whatif | Should -BeNullOrEmpty
    }

    It 'reports one bad agent and still switches the others' {
        $results = Switch-AiEnvironment -Preset sae-gpt -Agent '../bad', sae-e -ErrorVariable failures -ErrorAction SilentlyContinue
        $results.Agent | Should -Be 'sae-e'
        $failures[0].FullyQualifiedErrorId | Should -Be 'EnvironmentValidationFailed,AiSwitch.PowerShell.Commands.SwitchAiEnvironmentCommand'
    }

    It 'changes nothing when a reference cannot be resolved' {
        Switch-AiEnvironment -Preset sae-gpt | Out-Null
        { Switch-AiEnvironment -Preset sae-broken -ErrorAction Stop } |
            Should -Throw -ErrorId 'ReferenceUnresolved,AiSwitch.PowerShell.Commands.SwitchAiEnvironmentCommand'
        $env:SAE_MODEL | Should -Be 'gpt-5'
    }

    It 'reports an unknown preset' {
        { Switch-AiEnvironment -Preset sae-nope -Agent sae-f -ErrorAction Stop } |
            Should -Throw -ErrorId 'PresetNotFound,AiSwitch.PowerShell.Commands.SwitchAiEnvironmentCommand'
    }
}
