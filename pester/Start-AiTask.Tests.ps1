#Requires -Version 7.4
# Start-AiTask: returns at once with an AiTask handle; the handle pipes into Wait-AiTask and Receive-AiTaskResult;
# -WhatIf starts nothing; an unknown agent fails at once.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/TaskAgents.ps1')
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
        ($task | Receive-AiTaskResult).Agent | Should -Be 'first'
    }

    It '-WhatIf starts nothing' {
        Start-AiTask -Agent first -Prompt 'x' -TaskId 'bg-whatif' -WhatIf | Should -BeNullOrEmpty
        Get-AiTask -TaskId 'bg-whatif' | Should -BeNullOrEmpty
    }

    It 'fails at once for an unknown agent' {
        { Start-AiTask -Agent nope -Prompt 'x' -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentNotFound,AiSwitch.PowerShell.Commands.StartAiTaskCommand'
    }
}
