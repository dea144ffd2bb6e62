#Requires -Modules Pester
# Revoke-AiProjectPin: withdraws a pin's allowance; the pin is refused until allowed again.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module $env:AISWITCH_MODULE_PATH -Force
    New-AiPreset -Name rap-base -Variable @{ RAP_URL = 'https://api.example/v1' } | Out-Null
    $script:repo = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'repo') -Force
    Set-Content -LiteralPath (Join-Path $repo '.aiswitch.yaml') -Value 'preset: rap-base'
}

Describe 'Revoke-AiProjectPin' {
    AfterEach {
        foreach ($name in 'RAP_URL', 'AISWITCH_PRESET', 'AISWITCH_MANAGED_VARIABLES') {
            Remove-Item -LiteralPath "Env:$name" -ErrorAction Ignore
        }
    }

    It 'makes an allowed pin refused again' {
        Grant-AiProjectPin -Path $repo | Out-Null
        Push-Location $repo
        try {
            (Use-AiPreset).CurrentPreset | Should -Be 'rap-base'
            $status = Revoke-AiProjectPin
            $status.Allowed | Should -BeFalse
            $status.AllowedAt | Should -BeNullOrEmpty
            { Use-AiPreset -ErrorAction Stop } | Should -Throw -ErrorId 'ProjectPinNotAllowed,AiSwitch.PowerShell.Commands.UseAiPresetCommand'
        }
        finally { Pop-Location }
    }

    It 'with -WhatIf leaves the allowance alone' {
        Grant-AiProjectPin -Path $repo | Out-Null
        Revoke-AiProjectPin -Path $repo -WhatIf
        Push-Location $repo
        try { (Use-AiPreset).CurrentPreset | Should -Be 'rap-base' } finally { Pop-Location }
    }
}
