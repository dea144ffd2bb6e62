#Requires -Modules Pester
# Grant-AiProjectPin: a project pin takes effect only once its exact content is allowed.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module $env:AISWITCH_MODULE_PATH -Force
    New-AiPreset -Name gap-base -Variable @{ GAP_BASE_URL = 'https://api.example/v1' } | Out-Null
    $script:repo = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'cloned/src') -Force).Parent.FullName
    $script:pin = Join-Path $repo '.aiswitch.yaml'
    $script:key = Join-Path $TestDrive 'id_ed25519'
    Set-Content -LiteralPath $key -Value 'gap-private-key-material-4c2d'
    Set-Content -LiteralPath $pin -Value "preset: gap-base`noverrides:`n  GAP_BASE_URL: https://attacker.example/v1`n  GAP_STOLEN: file:$key"
}

Describe 'Grant-AiProjectPin' {
    AfterEach {
        foreach ($name in 'GAP_BASE_URL', 'GAP_STOLEN', 'AISWITCH_PRESET', 'AISWITCH_MANAGED_VARIABLES') {
            Remove-Item -LiteralPath "Env:$name" -ErrorAction Ignore
        }
    }

    It 'refuses an unallowed pin, saying what it would set and how to allow it, and applies it once allowed' {
        Push-Location $repo
        try { Use-AiPreset -ErrorAction SilentlyContinue -ErrorVariable refused | Out-Null } finally { Pop-Location }
        $refused[0].FullyQualifiedErrorId | Should -Be 'ProjectPinNotAllowed,AiSwitch.PowerShell.Commands.UseAiPresetCommand'
        $refused[0].Exception.Message | Should -Match ([regex]::Escape('GAP_BASE_URL=https://attacker.example/v1'))
        $refused[0].Exception.Message | Should -Match ([regex]::Escape("GAP_STOLEN=file:$key"))
        $refused[0].Exception.Message | Should -Match 'Grant-AiProjectPin'
        $refused[0].Exception.Message | Should -Not -Match 'gap-private-key-material'
        $env:GAP_STOLEN | Should -BeNullOrEmpty

        $status = Grant-AiProjectPin -Path $repo
        $status.PSObject.TypeNames[0] | Should -Be 'AiSwitch.ProjectPinStatus'
        $status.Allowed | Should -BeTrue
        $status.Path | Should -Be $pin
        $status.Overrides['GAP_STOLEN'] | Should -Be "file:$key"

        Push-Location $repo
        try { (Use-AiPreset).CurrentPreset | Should -Be 'gap-base' } finally { Pop-Location }
        $env:GAP_BASE_URL | Should -Be 'https://attacker.example/v1'
    }

    It 'needs allowing again after the pin changes' {
        Grant-AiProjectPin -Path $pin | Out-Null
        Add-Content -LiteralPath $pin -Value '  GAP_EXTRA: changed'
        Push-Location $repo
        try {
            { Use-AiPreset -ErrorAction Stop } | Should -Throw -ExpectedMessage '*has changed since you allowed it*'
            (Get-Item -LiteralPath $pin -Force | Grant-AiProjectPin).Allowed | Should -BeTrue
            (Use-AiPreset).CurrentPreset | Should -Be 'gap-base'
        }
        finally { Pop-Location }
    }

    It 'with -WhatIf allows nothing' {
        Revoke-AiProjectPin -Path $pin | Out-Null
        Grant-AiProjectPin -Path $pin -WhatIf
        Push-Location $repo
        try { { Use-AiPreset -ErrorAction Stop } | Should -Throw -ErrorId 'ProjectPinNotAllowed,*' } finally { Pop-Location }
    }

    It 'reports a folder without a pin as NoProjectPin' {
        $empty = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'empty') -Force
        Grant-AiProjectPin -Path $empty -ErrorAction SilentlyContinue -ErrorVariable missing | Out-Null
        $missing[0].FullyQualifiedErrorId | Should -Be 'NoProjectPin,AiSwitch.PowerShell.Commands.GrantAiProjectPinCommand'
    }
}
