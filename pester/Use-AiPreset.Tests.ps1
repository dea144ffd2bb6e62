#Requires -Modules Pester
# Use-AiPreset: applies a preset (or the project pin) to this session's $env:, after a snapshot.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module $env:AISWITCH_MODULE_PATH -Force
    $env:UAP_SOURCE_KEY = 'uap-secret-value-0123456789'
    New-AiPreset -Name uap-one -Variable @{ UAP_URL = 'https://one.example'; UAP_MODEL = 'one'; UAP_API_KEY = 'env:UAP_SOURCE_KEY' } | Out-Null
    New-AiPreset -Name uap-two -Variable @{ UAP_URL = 'https://two.example' } | Out-Null
    New-AiPreset -Name uap-broken -Variable @{ UAP_URL = 'https://x.example'; UAP_TOKEN = 'env:UAP_NOT_SET_ANYWHERE' } | Out-Null
}

Describe 'Use-AiPreset' {
    AfterEach {
        foreach ($name in 'UAP_URL', 'UAP_MODEL', 'UAP_API_KEY', 'UAP_TOKEN', 'AISWITCH_PRESET', 'AISWITCH_MANAGED_VARIABLES') {
            Remove-Item -LiteralPath "Env:$name" -ErrorAction Ignore
        }
    }

    It 'applies a preset by name, resolving references' {
        $result = Use-AiPreset -Name uap-one
        $result.PSObject.TypeNames[0] | Should -Be 'AiSwitch.SwitchResult'
        $result.Agent | Should -Be 'session'
        $result.CurrentPreset | Should -Be 'uap-one'
        $env:UAP_URL | Should -Be 'https://one.example'
        $env:UAP_API_KEY | Should -Be 'uap-secret-value-0123456789'
        $result.SnapshotId | Should -Not -BeNullOrEmpty
        ($result | Out-String) | Should -Not -Match 'uap-secret-value'
    }

    It 'takes the name from Get-AiPreset down the pipeline and removes the previous preset''s variables' {
        Use-AiPreset uap-one | Out-Null
        $result = Get-AiPreset -Name uap-two | Use-AiPreset
        $result.PreviousPreset | Should -Be 'uap-one'
        $result.VariablesRemoved | Should -Contain 'UAP_MODEL'
        $env:UAP_MODEL | Should -BeNullOrEmpty
        $env:UAP_URL | Should -Be 'https://two.example'
    }

    It 'binds the preset to agents with -Agent, as Switch-AiEnvironment -Agent does, and leaves the session alone' {
        $results = Use-AiPreset -Name uap-one -Agent uap-a, uap-b
        $results.Agent | Should -Be @('uap-a', 'uap-b')
        $results.CurrentPreset | Should -Be @('uap-one', 'uap-one')
        $results | ForEach-Object { $_.SnapshotId | Should -Not -BeNullOrEmpty }
        $env:UAP_URL | Should -BeNullOrEmpty
        $env:AISWITCH_PRESET | Should -BeNullOrEmpty
        Switch-AiEnvironment -Agent uap-c -Preset uap-one | Out-Null
        $record = { param($agent) (Get-Content -Raw (Join-Path $env:AISWITCH_HOME "state/environments/$agent.json") | ConvertFrom-Json).data.variables | ConvertTo-Json -Compress }
        & $record uap-a | Should -Be (& $record uap-c)
        & $record uap-a | Should -Match 'env:UAP_SOURCE_KEY'   # references as written, never the key
        { Use-AiPreset -Agent uap-a -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidArgument,AiSwitch.PowerShell.Commands.UseAiPresetCommand'
    }

    It 'applies the project pin when no name is given, once the pin is allowed' {
        $project = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'repo/src') -Force
        Set-Content -LiteralPath (Join-Path $TestDrive 'repo/.aiswitch.yaml') -Value "preset: uap-two`noverrides:`n  UAP_MODEL: pinned"
        Push-Location $project
        try {
            { Use-AiPreset -ErrorAction Stop } | Should -Throw -ErrorId 'ProjectPinNotAllowed,AiSwitch.PowerShell.Commands.UseAiPresetCommand'
            $env:UAP_MODEL | Should -BeNullOrEmpty
            Grant-AiProjectPin | Out-Null
            $result = Use-AiPreset
        }
        finally { Pop-Location }
        $result.CurrentPreset | Should -Be 'uap-two'
        $env:UAP_MODEL | Should -Be 'pinned'
    }

    It 'with -WhatIf changes nothing and takes no snapshot' {
        $before = @(Get-AiEnvironmentSnapshot -Agent session -ErrorAction Ignore).Count
        Use-AiPreset -Name uap-one -WhatIf
        $env:UAP_URL | Should -BeNullOrEmpty
        @(Get-AiEnvironmentSnapshot -Agent session -ErrorAction Ignore).Count | Should -Be $before
    }

    It 'changes nothing when a reference cannot be resolved' {
        Use-AiPreset uap-two | Out-Null
        { Use-AiPreset -Name uap-broken -ErrorAction Stop } |
            Should -Throw -ErrorId 'ReferenceUnresolved,AiSwitch.PowerShell.Commands.UseAiPresetCommand'
        $env:UAP_URL | Should -Be 'https://two.example'
    }

    It 'reports an unknown preset with its error id' {
        { Use-AiPreset -Name uap-nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'PresetNotFound,AiSwitch.PowerShell.Commands.UseAiPresetCommand'
    }

    It 'reports a missing project pin' {
        Push-Location $TestDrive
        try {
            { Use-AiPreset -ErrorAction Stop } | Should -Throw -ErrorId 'NoProjectPin,AiSwitch.PowerShell.Commands.UseAiPresetCommand'
        } finally { Pop-Location }
    }
}

Describe 'Use-AiPreset and the agents this session starts' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Support/ReferenceAgent.ps1')
        foreach ($name in 'uap-task', 'uap-switched', 'uap-session', 'uap-defined') {
            New-AiPreset -Name $name -Variable @{ UAP_MARK = $name } | Out-Null
        }
        # Each answer is the UAP_MARK its task saw.
        Register-ReferenceAgent uap-echo '--echo-env', 'UAP_MARK' -Preset uap-defined | Out-Null
        Register-ReferenceAgent uap-bare '--echo-env', 'UAP_MARK' | Out-Null
    }

    AfterEach {
        foreach ($name in 'UAP_MARK', 'AISWITCH_PRESET', 'AISWITCH_MANAGED_VARIABLES') {
            Remove-Item -LiteralPath "Env:$name" -ErrorAction Ignore
        }
    }

    It 'gives an agent with no preset of its own the preset this session applied' {
        Use-AiPreset uap-session | Out-Null
        $result = Invoke-AiTask -Agent uap-bare -Prompt 'x' -Confirm:$false
        ($result.Status, $result.Output, $result.Preset) | Should -Be @('Completed', 'UAP_MARK=uap-session', 'uap-session')
        (Get-AiAgent uap-bare).Preset | Should -Be 'uap-session'
    }

    It 'follows the documented order: -Preset, the agent''s switched environment, this session''s preset, the definition''s' {
        (Invoke-AiTask -Agent uap-echo -Prompt 'x' -Confirm:$false).Output | Should -Be 'UAP_MARK=uap-defined'
        Use-AiPreset uap-session | Out-Null
        (Invoke-AiTask -Agent uap-echo -Prompt 'x' -Confirm:$false).Output | Should -Be 'UAP_MARK=uap-session'
        Switch-AiEnvironment -Agent uap-echo -Preset uap-switched | Out-Null
        (Invoke-AiTask -Agent uap-echo -Prompt 'x' -Confirm:$false).Output | Should -Be 'UAP_MARK=uap-switched'
        (Invoke-AiTask -Agent uap-echo -Prompt 'x' -Preset uap-task -Confirm:$false).Output | Should -Be 'UAP_MARK=uap-task'
    }
}
