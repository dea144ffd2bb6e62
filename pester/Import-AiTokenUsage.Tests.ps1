#Requires -Version 7.4
# Import-AiTokenUsage: a Claude Code log with a repeated content block, a second import adding nothing, piped paths,
# -WhatIf leaving no trace, a missing source's error id.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
    $projects = Join-Path $TestDrive 'claude/projects/-home-me-app'
    New-Item -ItemType Directory -Path $projects -Force | Out-Null
    $usage = '"usage":{"input_tokens":10,"cache_creation_input_tokens":100,"cache_read_input_tokens":1000,"output_tokens":50}'
    @(
        '{"type":"user","sessionId":"s1","timestamp":"2026-11-21T10:00:00Z","message":{"role":"user","content":"hi"}}'
        "{`"type`":`"assistant`",`"sessionId`":`"s1`",`"timestamp`":`"2026-11-21T10:00:01Z`",`"requestId`":`"req_1`",`"message`":{`"id`":`"msg_1`",`"model`":`"claude-opus-4-8`",`"content`":[{`"type`":`"tool_use`"}],$usage}}"
        "{`"type`":`"assistant`",`"sessionId`":`"s1`",`"timestamp`":`"2026-11-21T10:00:02Z`",`"requestId`":`"req_1`",`"message`":{`"id`":`"msg_1`",`"model`":`"claude-opus-4-8`",`"content`":[{`"type`":`"text`"}],$usage}}"
    ) | Set-Content -Path (Join-Path $projects 's1.jsonl')
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Import-AiTokenUsage' {
    It 'leaves no trace with -WhatIf' {
        Import-AiTokenUsage ClaudeCode -Path $projects -WhatIf
        Test-Path (Join-Path $env:AISWITCH_HOME 'state/tokens') | Should -BeFalse
    }

    It 'counts a message repeated on every content block once' {
        $result = Import-AiTokenUsage -Source ClaudeCode -Path $projects
        $result | Should -BeOfType ([AiSwitch.ImportUsageResult])
        $result.Added | Should -Be 1
        $result.Skipped | Should -Be 1
        $result.InputTokens | Should -Be 1110
        $result.CacheReadTokens | Should -Be 1000
    }

    It 'adds nothing the second time, also with paths from the pipeline' {
        Import-AiTokenUsage ClaudeCode -Path $projects | Out-Null   # the first time, whether or not an earlier test did it
        (Get-Item $projects | Import-AiTokenUsage ClaudeCode).Added | Should -Be 0
        (Get-AiTokenUsage -Since '2026-11-20' -Until '2026-11-23' -Agent claude-code).Requests | Should -Be 1
    }

    It 'takes the agents'' names as sources, and ClaudeCode as before' {
        $result = Import-AiTokenUsage -Source claude -Path $projects
        $result.Source | Should -Be 'Claude'
        $result.Added + $result.Skipped | Should -BeGreaterThan 0
        (Import-AiTokenUsage -Source ClaudeCode -Path $projects).Source | Should -Be 'Claude'
        { Import-AiTokenUsage -Source gemini -Path (Join-Path $TestDrive 'none') -ErrorAction Stop } |
            Should -Throw -ErrorId 'UsageImportSourceNotFound,AiSwitch.PowerShell.Commands.ImportAiTokenUsageCommand'
        { Import-AiTokenUsage -Source claude-code -Path $projects -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,AiSwitch.PowerShell.Commands.ImportAiTokenUsageCommand' -ExpectedMessage '*claude, codex, gemini*'
    }

    It 'completes the sources by the agents'' names' {
        (TabExpansion2 -inputScript 'Import-AiTokenUsage -Source ' -cursorColumn 28).CompletionMatches.CompletionText | Should -Be @('claude', 'codex', 'gemini')
        (TabExpansion2 -inputScript 'Import-AiTokenUsage cl' -cursorColumn 22).CompletionMatches.CompletionText | Should -Be 'claude'
    }

    It 'names the places it looked when there are no logs' {
        { Import-AiTokenUsage Codex -Path (Join-Path $TestDrive 'none') -ErrorAction Stop } |
            Should -Throw -ErrorId 'UsageImportSourceNotFound,AiSwitch.PowerShell.Commands.ImportAiTokenUsageCommand'
    }

    It 'reports missing logs as a non-terminating error that -ErrorAction SilentlyContinue silences' {
        Import-AiTokenUsage Codex -Path (Join-Path $TestDrive 'none') -ErrorAction SilentlyContinue -ErrorVariable missing | Should -BeNullOrEmpty
        $missing[0].FullyQualifiedErrorId | Should -Be 'UsageImportSourceNotFound,AiSwitch.PowerShell.Commands.ImportAiTokenUsageCommand'
    }

    It 'has a list view' {
        Get-FormatData -TypeName AiSwitch.ImportUsageResult | Should -Not -BeNullOrEmpty
    }
}
