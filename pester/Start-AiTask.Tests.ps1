#Requires -Version 7.4
# Start-AiTask: returns at once with an AiTask handle; the handle pipes into Wait-AiTask and Receive-AiTaskResult;
# the -TaskId given is the task's id everywhere; -Preset for this run; -WhatIf starts nothing; an unknown agent fails at once.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/TaskAgents.ps1')
    . (Join-Path $PSScriptRoot 'Support/ReferenceAgent.ps1')
    $manifest = Initialize-AiTaskTestHome
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Start-AiTask' {
    It 'returns an AiTask handle that Wait-AiTask and Receive-AiTaskResult accept from the pipeline' {
        $task = Start-AiTask -Agent first -Prompt 'x' -TaskId 'bg-1' -Confirm:$false
        $task | Should -BeOfType ([AiSwitch.AiTask])
        $task.TaskId | Should -Be 'bg-1'
        ($task | Wait-AiTask -Timeout 60).Status | Should -Be 'Failed'
        ($task | Receive-AiTaskResult -ErrorAction SilentlyContinue).Agent | Should -Be 'first'
    }

    It 'keeps the -TaskId it was given: Get-, Wait-, Stop-AiTask and Receive-AiTaskResult all find my-task' {
        (Start-AiTask -Agent first -Prompt 'x' -TaskId 'my-task' -Confirm:$false).TaskId | Should -Be 'my-task'
        (Get-AiTask 'my-task').TaskId | Should -Be 'my-task'
        (Wait-AiTask 'my-task' -Timeout 60).TaskId | Should -Be 'my-task'
        (Receive-AiTaskResult 'my-task' -Keep -ErrorAction SilentlyContinue).TaskId | Should -Be 'my-task'
        (Stop-AiTask 'my-task' -Confirm:$false).TaskId | Should -Be 'my-task'
    }

    It 'runs with -Preset for this run' {
        New-AiPreset -Name sat-task -Variable @{ SAT_MARK = 'sat-task' } | Out-Null
        Register-ReferenceAgent sat-echo '--echo-env', 'SAT_MARK' | Out-Null
        $task = Start-AiTask -Agent sat-echo -Prompt 'x' -Preset sat-task -Confirm:$false
        $task | Wait-AiTask -Timeout 60 | Out-Null
        $result = $task | Receive-AiTaskResult
        ($result.Output, $result.Preset) | Should -Be @('SAT_MARK=sat-task', 'sat-task')
    }

    It '-WhatIf starts nothing' {
        Start-AiTask -Agent first -Prompt 'x' -TaskId 'bg-whatif' -WhatIf | Should -BeNullOrEmpty
        Get-AiTask -TaskId 'bg-whatif' -ErrorVariable unknown -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $unknown[0].FullyQualifiedErrorId | Should -Be 'TaskNotFound,AiSwitch.PowerShell.Commands.GetAiTaskCommand'
    }

    It 'fails at once for an unknown agent' {
        { Start-AiTask -Agent nope -Prompt 'x' -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentNotFound,AiSwitch.PowerShell.Commands.StartAiTaskCommand'
    }
}
