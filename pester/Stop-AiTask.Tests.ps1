#Requires -Version 7.4
# Stop-AiTask: stops a background task (its state becomes Cancelled or it had already ended), -WhatIf changes nothing,
# TaskNotFound for an unknown id.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/TaskAgents.ps1')
    $manifest = Initialize-AiTaskTestHome
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
