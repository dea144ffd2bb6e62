#Requires -Version 7.4
# Wait-AiTask: waits for a background task, returns it finished; TaskNotFound for an unknown id.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/TaskAgents.ps1')
    $manifest = Initialize-AiTaskTestHome
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Wait-AiTask' {
    It 'returns the task once it has finished' {
        Start-AiTask -Agent first -Prompt 'x' -TaskId 'w-1' -Confirm:$false | Out-Null
        $done = Wait-AiTask -TaskId 'w-1' -Timeout 60
        $done.TaskId | Should -Be 'w-1'
        $done.CompletedAt | Should -Not -BeNullOrEmpty
        $done.Progress | Should -Be 100
    }

    It 'names an unknown task' {
        { Wait-AiTask -TaskId 'nope' -ErrorAction Stop } | Should -Throw -ErrorId 'TaskNotFound,AiSwitch.PowerShell.Commands.WaitAiTaskCommand'
    }

    It 'reports an unknown id as a non-terminating error and still waits for the others' {
        Start-AiTask -Agent first -Prompt 'x' -TaskId 'w-2' -Confirm:$false | Out-Null
        $done = Wait-AiTask -TaskId 'nope', 'w-2' -Timeout 60 -ErrorVariable problems -ErrorAction SilentlyContinue
        $done.TaskId | Should -Be 'w-2'
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'TaskNotFound,AiSwitch.PowerShell.Commands.WaitAiTaskCommand'
        $problems[0].TargetObject | Should -Be 'nope'
    }
}
