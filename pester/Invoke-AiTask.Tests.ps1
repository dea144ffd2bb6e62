#Requires -Version 7.4
# Invoke-AiTask: parameter and piped forms (strings and Import-Csv objects), one result per task and agent, the
# TaskResult columns in Export-Csv, partial failure, -WhatIf leaves no trace, exact error ids, -AsJob, engine events.
# The agents here have no command on disk, so every task fails the same clear way without network or cost.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/TaskAgents.ps1')
    $manifest = Initialize-AiTaskTestHome
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-AiTask' {
    It 'writes one TaskResult per agent, each failing on its own' {
        $results = Invoke-AiTask -Agent first, second -Parallel -Prompt 'hello' -Confirm:$false
        $results | Should -HaveCount 2
        $results | ForEach-Object { $_ | Should -BeOfType ([AiSwitch.TaskResult]) }
        ($results.Agent | Sort-Object) | Should -Be @('first', 'second')
        $results.Status | Should -Be @('Failed', 'Failed')
        $results[0].ErrorId | Should -Not -BeNullOrEmpty
        $results[0].TaskId | Should -Match '^t-[0-9a-f]{8}\.(first|second)$'
    }

    It 'runs each piped string and each Import-Csv row as a task' {
        'one', 'two' | Invoke-AiTask -Agent first -Confirm:$false | Should -HaveCount 2
        $csv = Join-Path $TestDrive 'tasks.csv'
        @([pscustomobject]@{ Prompt = 'a'; Agent = 'first'; Priority = 9; TaskId = 'row-a' },
          [pscustomobject]@{ Prompt = 'b'; Agent = 'second'; Priority = 1; TaskId = 'row-b' }) | Export-Csv $csv
        $rows = Import-Csv $csv | Invoke-AiTask -Confirm:$false
        ($rows.TaskId | Sort-Object) | Should -Be @('row-a', 'row-b')
        ($rows | Where-Object TaskId -eq 'row-b').Agent | Should -Be 'second'
    }

    It 'exports one CSV row per result with the TaskResult columns' {
        $path = Join-Path $TestDrive 'runs.csv'
        Invoke-AiTask -Agent first, second -Prompt 'x' -Confirm:$false | Export-Csv $path
        $rows = Import-Csv $path
        $rows | Should -HaveCount 2
        $columns = $rows[0].PSObject.Properties.Name
        foreach ($column in 'TaskId', 'Agent', 'Status', 'Success', 'Output', 'Error', 'InputTokens', 'OutputTokens', 'CostUsd', 'DurationMs', 'Attempt') {
            $columns | Should -Contain $column
        }
    }

    It '-WhatIf runs nothing and writes nothing' {
        Remove-Item (Join-Path $env:AISWITCH_HOME 'state/tasks.json') -ErrorAction SilentlyContinue
        Invoke-AiTask -Agent first, second -Prompt 'x' -WhatIf | Should -BeNullOrEmpty
        Join-Path $env:AISWITCH_HOME 'state/tasks.json' | Should -Not -Exist
    }

    It 'refuses an unknown agent with AgentNotFound before anything runs' {
        { Invoke-AiTask -Agent nope -Prompt 'x' -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentNotFound,AiSwitch.PowerShell.Commands.InvokeAiTaskCommand'
    }

    It 'refuses two modes at once' {
        { Invoke-AiTask -Agent first -Parallel -Chain -Prompt 'x' -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,AiSwitch.PowerShell.Commands.InvokeAiTaskCommand'
    }

    It 'returns a job with -AsJob that Receive-Job and Wait-Job understand' {
        $job = Invoke-AiTask -Agent first -Prompt 'x' -AsJob -Confirm:$false
        $job | Should -BeOfType ([AiSwitch.AiTaskJob])
        $job | Wait-Job -Timeout 60 | Out-Null
        $job.State | Should -Be 'Completed'
        ($job | Receive-Job).Agent | Should -Be 'first'
    }

    It 'raises AiSwitch.TaskFailed for a failed task, with the TaskResult as MessageData' {
        # As a user subscribes (PowerShell takes no Register-EngineEvent without -Action); the action re-queues what it
        # was handed, so Wait-Event sees exactly the MessageData the subscriber got.
        Register-EngineEvent -SourceIdentifier AiSwitch.TaskFailed -Action { New-Event -SourceIdentifier Test.TaskFailed -MessageData $Event.MessageData } | Out-Null
        try {
            Invoke-AiTask -Agent first -Prompt 'x' -Confirm:$false | Out-Null
            $raised = Wait-Event -SourceIdentifier Test.TaskFailed -Timeout 10
            $raised.MessageData.Agent | Should -Be 'first'
            $raised.MessageData.Success | Should -BeFalse
        }
        finally {
            Unregister-Event -SourceIdentifier AiSwitch.TaskFailed -ErrorAction SilentlyContinue
            Remove-Job -Name AiSwitch.TaskFailed -Force -ErrorAction SilentlyContinue
            Get-Event -ErrorAction SilentlyContinue | Remove-Event
        }
    }

    It 'raises AiSwitch.Alert when a spent quota refuses a task, with the AlertNotice as MessageData' {
        $tokens = Join-Path $env:AISWITCH_HOME 'state/tokens'
        New-Item -ItemType Directory -Path $tokens -Force | Out-Null
        $now = [DateTime]::UtcNow
        Add-Content -Path (Join-Path $tokens ($now.ToString('yyyy-MM-dd') + '.jsonl')) -Value (
            '{"time":"' + $now.ToString('o') + '","agent":"first","input":50,"output":0,"cost_source":"none"}')
        Set-AiTokenQuota -Agent first -DailyTokens 10 | Out-Null
        Register-EngineEvent -SourceIdentifier AiSwitch.Alert -Action { New-Event -SourceIdentifier Test.Alert -MessageData $Event.MessageData } | Out-Null
        try {
            $result = Invoke-AiTask -Agent first -Prompt 'x' -Confirm:$false -WarningAction SilentlyContinue
            $result.ErrorId | Should -Be 'QuotaExceeded'
            $raised = Wait-Event -SourceIdentifier Test.Alert -Timeout 10
            $raised.MessageData | Should -BeOfType ([AiSwitch.AlertNotice])
            $raised.MessageData.Subject | Should -Be 'first'
            $raised.MessageData.Kind | Should -Be 'raised'
        }
        finally {
            Unregister-Event -SourceIdentifier AiSwitch.Alert -ErrorAction SilentlyContinue
            Remove-Job -Name AiSwitch.Alert -Force -ErrorAction SilentlyContinue
            Get-Event -ErrorAction SilentlyContinue | Remove-Event
            Remove-AiTokenQuota -Agent first -Confirm:$false | Out-Null
        }
    }

    It 'completes agent names' {
        $completions = TabExpansion2 -inputScript 'Invoke-AiTask -Agent fir' -cursorColumn 24
        $completions.CompletionMatches.CompletionText | Should -Contain 'first'
    }
}
