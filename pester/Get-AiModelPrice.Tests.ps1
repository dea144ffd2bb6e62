#Requires -Version 7.4
# Get-AiModelPrice: the shipped rows with their source, aliases and wildcards, an override from config/pricing.yaml, the view.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Get-AiModelPrice' {
    It 'shows LiteLLM''s Claude rows, with the 1-hour cache write rate and the source' {
        $sonnet = Get-AiModelPrice sonnet
        $sonnet.Model | Should -Be 'claude-sonnet-5'
        @($sonnet.InputUsd, $sonnet.OutputUsd, $sonnet.CacheReadUsd, $sonnet.CacheWriteUsd, $sonnet.CacheWrite1hUsd) | Should -Be @(2, 10, 0.2, 2.5, 4)
        $sonnet.Source | Should -Match 'BerriAI/litellm'
        $sonnet.IsOverride | Should -BeFalse
        (Get-AiModelPrice claude-opus-4-*).Model | Should -Contain 'claude-opus-4-8'
        ([pscustomobject]@{ Model = 'gpt-5-codex' } | Get-AiModelPrice).OutputUsd | Should -Be 10
    }

    It 'lets a row in config/pricing.yaml win, found by the shipped row''s aliases too' {
        $config = Join-Path $env:AISWITCH_HOME 'config'
        New-Item -ItemType Directory -Path $config -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $config 'pricing.yaml') -Value "models:`n  claude-haiku-4-5:`n    input: 7`n    output: 9`n"
        $haiku = Get-AiModelPrice haiku
        @($haiku.InputUsd, $haiku.OutputUsd, $haiku.IsOverride) | Should -Be @(7, 9, $true)
        $haiku.Source | Should -Be (Join-Path $config 'pricing.yaml')
    }

    It 'has a table view with the rates, and the source in the list view' {
        (Get-AiModelPrice gemini-2.5-pro | Format-Table | Out-String -Width 80) | Should -Match 'Model\s+Input\s+Output\s+CacheRead\s+Write5m\s+Write1h'
        (Get-AiModelPrice gemini-2.5-pro | Format-List | Out-String) | Should -Match 'Source\s+: BerriAI/litellm@'
    }
}
