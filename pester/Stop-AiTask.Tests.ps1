#Requires -Version 7.4
# Stop-AiTask: stops a background task and returns it Cancelled once its agents have stopped (or as it ended), ends an
# -AsJob job Stopped, -WhatIf changes nothing, TaskNotFound for an unknown id. The agent 'hang' is the reference agent
# with --hang: its tasks run until cancelled.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/TaskAgents.ps1')
    . (Join-Path $PSScriptRoot 'Support/ReferenceAgent.ps1')
    $manifest = Initialize-AiTaskTestHome
    Register-ReferenceAgent hang '--hang' | Out-Null
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Stop-AiTask' {
    It 'takes the handle from the pipeline and returns the task' {
        $task = Start-AiTask -Agent first -Prompt 'x' -TaskId 's-1' -Confirm:$false
        $stopped = $task | Stop-AiTask -Confirm:$false
        $stopped.TaskId | Should -Be 's-1'
        ($task | Wait-AiTask -Timeout 10).Status | Should -BeIn @('Cancelled', 'Failed')
    }

    It 'waits for a running task''s agents to stop and returns it Cancelled' {
        Start-AiTask -Agent hang -Prompt 'x' -TaskId 's-hang' -Confirm:$false | Out-Null
        $stopped = Stop-AiTask 's-hang' -Confirm:$false
        $stopped.Status | Should -Be 'Cancelled'
        $stopped.CompletedAt | Should -Not -BeNullOrEmpty
        (Receive-AiTaskResult 's-hang' -ErrorAction SilentlyContinue).Status | Should -Be 'Cancelled'
    }

    It 'ends an Invoke-AiTask -AsJob job it stops as Stopped' {
        $job = Invoke-AiTask -Agent hang -Prompt 'x' -AsJob -Confirm:$false
        (Stop-AiTask $job.TaskId -Confirm:$false).Status | Should -Be 'Cancelled'
        $job | Wait-Job -Timeout 30 | Out-Null
        $job.State | Should -Be 'Stopped'
    }

    It '-WhatIf leaves the task alone' {
        Start-AiTask -Agent first -Prompt 'x' -TaskId 's-2' -Confirm:$false | Out-Null
        Stop-AiTask 's-2' -WhatIf | Should -BeNullOrEmpty
        (Wait-AiTask 's-2' -Timeout 60).Status | Should -Be 'Failed'
    }

    It 'names an unknown task' {
        Stop-AiTask 'nope' -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'TaskNotFound,AiSwitch.PowerShell.Commands.StopAiTaskCommand'
    }
}
