#Requires -Version 7.4
# Invoke-AiTask: parameter and piped forms (strings and Import-Csv objects), one result per task and agent, the
# TaskResult columns in Export-Csv, partial failure, a non-terminating error per failed result, -WhatIf leaves no
# trace, exact error ids, -AsJob, engine events, -TaskId, -Preset, -Verbose.
# The agents 'first' and 'second' have no command on disk, so their tasks fail the same clear way without network or
# cost; the reference agent (a jsonrpc agent) answers where a task must succeed.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/TaskAgents.ps1')
    . (Join-Path $PSScriptRoot 'Support/ReferenceAgent.ps1')
    . (Join-Path $PSScriptRoot 'Support/Pwsh.ps1')
    $manifest = Initialize-AiTaskTestHome
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-AiTask' {
    It 'writes one TaskResult per agent, each failing on its own' {
        $results = Invoke-AiTask -Agent first, second -Parallel -Prompt 'hello' -Confirm:$false -ErrorAction SilentlyContinue
        $results | Should -HaveCount 2
        $results | ForEach-Object { $_ | Should -BeOfType ([AiSwitch.TaskResult]) }
        ($results.Agent | Sort-Object) | Should -Be @('first', 'second')
        $results.Status | Should -Be @('Failed', 'Failed')
        $results[0].ErrorId | Should -Not -BeNullOrEmpty
        $results[0].TaskId | Should -Match '^t-[0-9a-f]{8}\.(first|second)$'
    }

    It 'runs each piped string and each Import-Csv row as a task' {
        'one', 'two' | Invoke-AiTask -Agent first -Confirm:$false -ErrorAction SilentlyContinue | Should -HaveCount 2
        $csv = Join-Path $TestDrive 'tasks.csv'
        @([pscustomobject]@{ Prompt = 'a'; Agent = 'first'; Priority = 9; TaskId = 'row-a' },
          [pscustomobject]@{ Prompt = 'b'; Agent = 'second'; Priority = 1; TaskId = 'row-b' }) | Export-Csv $csv
        $rows = Import-Csv $csv | Invoke-AiTask -Confirm:$false -ErrorAction SilentlyContinue
        ($rows.TaskId | Sort-Object) | Should -Be @('row-a', 'row-b')
        ($rows | Where-Object TaskId -eq 'row-b').Agent | Should -Be 'second'
    }

    It 'exports one CSV row per result with the TaskResult columns' {
        $path = Join-Path $TestDrive 'runs.csv'
        Invoke-AiTask -Agent first, second -Prompt 'x' -Confirm:$false -ErrorAction SilentlyContinue | Export-Csv $path
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
        ($job | Receive-Job -ErrorAction SilentlyContinue).Agent | Should -Be 'first'
    }

    It 'writes a non-terminating error for each failed result, with the result as its target, besides the result' {
        $results = Invoke-AiTask -Agent first, second -Prompt 'x' -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $results | Should -HaveCount 2
        $problems | Should -HaveCount 2
        foreach ($problem in $problems) {
            $problem.TargetObject | Should -BeOfType ([AiSwitch.TaskResult])
            $problem.FullyQualifiedErrorId | Should -Be "$($problem.TargetObject.ErrorId),AiSwitch.PowerShell.Commands.InvokeAiTaskCommand"
            $problem.Exception | Should -BeOfType ([AiSwitch.AiSwitchException])
            $problem.Exception.Message | Should -Be $problem.TargetObject.Error
        }
        ($problems.TargetObject.Agent | Sort-Object) | Should -Be @('first', 'second')
    }

    It 'sets $? to false for a failed task, and -ErrorAction Stop throws after the result was written' {
        $null = Invoke-AiTask -Agent first -Prompt 'x' -Confirm:$false -ErrorAction SilentlyContinue
        $succeeded = $?
        $succeeded | Should -BeFalse
        $written = [Collections.Generic.List[object]]::new()
        $caught = $null
        try { Invoke-AiTask -Agent first -Prompt 'x' -Confirm:$false -ErrorAction Stop | ForEach-Object { $written.Add($_) } }
        catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty -Because 'a failed task is an error a script can catch'
        $caught.TargetObject.Agent | Should -Be 'first'
        $written | Should -HaveCount 1
    }

    It 'makes a runbook with $ErrorActionPreference = ''Stop'' fail when a task fails' {
        $script = Join-Path $TestDrive 'runbook.ps1'
        Set-Content -LiteralPath $script -Value @"
`$ErrorActionPreference = 'Stop'
Import-Module -Name '$manifest'
Invoke-AiTask -Agent first -Prompt 'x' -Confirm:`$false | Out-Null
'the runbook went on'
"@
        $start = New-PwshStartInfo @('-File', $script)
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.Environment['AISWITCH_HOME'] = $env:AISWITCH_HOME
        $child = [Diagnostics.Process]::Start($start)
        $stdout = $child.StandardOutput.ReadToEndAsync()
        $stderr = $child.StandardError.ReadToEndAsync()
        $child.WaitForExit()
        $stdout.Result | Should -Not -Match 'the runbook went on'
        $child.ExitCode | Should -Not -Be 0 -Because "the task failed (stderr: $($stderr.Result))"
    }

    It 'puts a failed result''s error in an -AsJob job''s Error stream, and the job still completes' {
        $job = Invoke-AiTask -Agent first -Prompt 'x' -AsJob -Confirm:$false
        $job | Wait-Job -Timeout 60 | Out-Null
        $job.State | Should -Be 'Completed'
        $received = $job | Receive-Job -ErrorVariable problems -ErrorAction SilentlyContinue
        $received.Agent | Should -Be 'first'
        $problems | Should -HaveCount 1
        $problems[0].TargetObject.Agent | Should -Be 'first'
        $problems[0].FullyQualifiedErrorId | Should -BeLike "$($received.ErrorId)*"
    }

    It 'runs under the -TaskId it was given: the results, Get-AiTask and tasks.json use it' {
        $result = Invoke-AiTask -Agent first -Prompt 'x' -TaskId 'my-run' -Confirm:$false -ErrorAction SilentlyContinue
        ($result.TaskId, $result.BatchId) | Should -Be @('my-run', 'my-run')
        (Get-AiTask -TaskId 'my-run').TaskId | Should -Be 'my-run'
        (Get-Content -Raw (Join-Path $env:AISWITCH_HOME 'state/tasks.json') | ConvertFrom-Json).data.tasks.task_id | Should -Contain 'my-run'
        $pair = Invoke-AiTask -Agent first, second -Prompt 'x' -TaskId 'my-pair' -Confirm:$false -ErrorAction SilentlyContinue
        ($pair.TaskId | Sort-Object) | Should -Be @('my-pair.first', 'my-pair.second')
        (Get-AiTask -TaskId 'my-pair').Total | Should -Be 2
    }

    It 'takes an empty optional cell of an Import-Csv row as not given' {
        $csv = Join-Path $TestDrive 'sparse.csv'
        Set-Content -LiteralPath $csv -Value @(
            'Prompt,Agent,TaskId,Priority,MaxTokens,Temperature,SystemPrompt,WorkingDirectory,DependsOn,Capability'
            'full,first,row-full,9,100,0.5,be brief,,,'
            'sparse,second,row-sparse,,,,,,,')
        $rows = Import-Csv -LiteralPath $csv | Invoke-AiTask -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        ($rows.TaskId | Sort-Object) | Should -Be @('row-full', 'row-sparse')
        ($rows | Where-Object TaskId -eq 'row-sparse').Priority | Should -Be 5
        ($rows | Where-Object TaskId -eq 'row-full').Priority | Should -Be 9
        @($problems | Where-Object { $_.TargetObject -isnot [AiSwitch.TaskResult] }) | Should -BeNullOrEmpty
    }

    It 'still refuses an out-of-range value in a row, naming it, and runs the other rows' {
        $rows = @([pscustomobject]@{ Prompt = 'a'; Agent = 'first'; TaskId = 'row-bad'; Priority = '11' },
                  [pscustomobject]@{ Prompt = 'b'; Agent = 'first'; TaskId = 'row-good'; Priority = '' }) |
            Invoke-AiTask -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $rows.TaskId | Should -Be 'row-good'
        $refused = @($problems | Where-Object { $_.TargetObject -isnot [AiSwitch.TaskResult] })
        $refused | Should -HaveCount 1
        $refused[0].FullyQualifiedErrorId | Should -Be 'InvalidArgument,AiSwitch.PowerShell.Commands.InvokeAiTaskCommand'
        $refused[0].Exception.Message | Should -Match 'Priority 11'
    }

    It 'binds its results to Wait-AiTask, which returns their task once' {
        $tasks = Invoke-AiTask -Agent first, second -Prompt 'x' -TaskId 'piped-wait' -Confirm:$false -ErrorAction SilentlyContinue | Wait-AiTask
        @($tasks).TaskId | Should -Be @('piped-wait')
        $tasks.Total | Should -Be 2
    }

    It 'raises AiSwitch.TaskFailed for a failed task, with the TaskResult as MessageData' {
        # As a user subscribes (PowerShell takes no Register-EngineEvent without -Action); the action re-queues what it
        # was handed, so Wait-Event sees exactly the MessageData the subscriber got.
        Register-EngineEvent -SourceIdentifier AiSwitch.TaskFailed -Action { New-Event -SourceIdentifier Test.TaskFailed -MessageData $Event.MessageData } | Out-Null
        try {
            Invoke-AiTask -Agent first -Prompt 'x' -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
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
            $result = Invoke-AiTask -Agent first -Prompt 'x' -Confirm:$false -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
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

Describe 'Invoke-AiTask presets and what it tells' {
    BeforeAll {
        New-AiPreset -Name iat-task -Variable @{ IAT_MARK = 'iat-task' } | Out-Null
        New-AiPreset -Name iat-switched -Variable @{ IAT_MARK = 'iat-switched' } | Out-Null
        # Each answer is the IAT_MARK its task saw; 3 input and 2 output tokens go to the ledger.
        Register-ReferenceAgent iat-echo '--echo-env', 'IAT_MARK', '--input-tokens', '3', '--output-tokens', '2' | Out-Null
        Register-ReferenceAgent iat-plain '--echo-env', 'IAT_MARK' | Out-Null
    }

    It 'runs with -Preset for this run only' {
        $result = Invoke-AiTask -Agent iat-plain -Prompt 'x' -Preset iat-task -Confirm:$false
        ($result.Status, $result.Output, $result.Preset) | Should -Be @('Completed', 'IAT_MARK=iat-task', 'iat-task')
        $after = Invoke-AiTask -Agent iat-plain -Prompt 'x' -Confirm:$false
        ($after.Output, $after.Preset) | Should -Be @('IAT_MARK=', $null)
    }

    It 'switches the agent to -Preset for good with -SwitchEnvironment, says so with -Verbose, and not under -WhatIf' {
        Register-ReferenceAgent iat-bound '--echo-env', 'IAT_MARK' | Out-Null
        Invoke-AiTask -Agent iat-bound -Prompt 'x' -Preset iat-task -SwitchEnvironment -WhatIf
        (Invoke-AiTask -Agent iat-bound -Prompt 'x' -Confirm:$false).Output | Should -Be 'IAT_MARK='
        $said = Invoke-AiTask -Agent iat-bound -Prompt 'x' -Preset iat-task -SwitchEnvironment -Confirm:$false -Verbose 4>&1
        $verbose = ($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        @($verbose -like "Agent 'iat-bound' now runs with preset 'iat-task'; undo with: Restore-AiEnvironment -Agent iat-bound -SnapshotId *") | Should -HaveCount 1
        ($said | Where-Object { $_ -is [AiSwitch.TaskResult] }).Output | Should -Be 'IAT_MARK=iat-task'
        $later = Invoke-AiTask -Agent iat-bound -Prompt 'x' -Confirm:$false   # no -Preset: the switch stayed
        ($later.Output, $later.Preset) | Should -Be @('IAT_MARK=iat-task', 'iat-task')
        { Invoke-AiTask -Agent iat-bound -Prompt 'x' -SwitchEnvironment -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,AiSwitch.PowerShell.Commands.InvokeAiTaskCommand'
    }

    It 'records the preset the agent ran with, from Switch-AiEnvironment -Agent, in the result and the ledger' {
        Switch-AiEnvironment -Agent iat-echo -Preset iat-switched | Out-Null
        $result = Invoke-AiTask -Agent iat-echo -Prompt 'x' -Confirm:$false
        ($result.Output, $result.Preset) | Should -Be @('IAT_MARK=iat-switched', 'iat-switched')
        $rows = Get-AiTokenUsage -Agent iat-echo -GroupBy Preset
        $rows.Group | Should -Be 'iat-switched'
        $rows.InputTokens | Should -Be 3
    }

    It 'refuses an unknown -Preset before anything runs' {
        { Invoke-AiTask -Agent iat-plain -Prompt 'x' -Preset iat-nope -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'PresetNotFound,AiSwitch.PowerShell.Commands.InvokeAiTaskCommand'
    }

    It 'tells with -Verbose the command line, the preset, the working folder and the log file, with secrets redacted' {
        $secret = 'sk-iat-verbose-secret-0123456789'
        $dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
        Register-AiAgent -Name iat-cli -Adapter claude-code -Command $dotnet -Argument (Get-ReferenceAgentDll), '--api-key', $secret -Force | Out-Null
        $work = (New-Item -ItemType Directory -Force -Path (Join-Path $TestDrive 'iat-work')).FullName
        $said = Invoke-AiTask -Agent iat-cli -Prompt 'x' -Preset iat-task -WorkingDirectory $work -Confirm:$false -Verbose -ErrorAction SilentlyContinue 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $text = $said -join "`n"
        $text | Should -Match ([regex]::Escape($dotnet))
        $text | Should -Match ([regex]::Escape((Get-ReferenceAgentDll)))
        $text | Should -Match "preset 'iat-task'"
        $text | Should -Match ([regex]::Escape($work))
        $text | Should -Match ([regex]::Escape((Join-Path $env:AISWITCH_HOME 'logs' 'agents' 'iat-cli.log')))
        $text | Should -Not -Match 'iat-verbose-secret'
    }
}
