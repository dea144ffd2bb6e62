#Requires -Version 7.4
# Receive-AiTaskResult: results handed out once, -Keep leaves them, unknown ids are non-terminating TaskNotFound.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/TaskAgents.ps1')
    $manifest = Initialize-AiTaskTestHome
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Receive-AiTaskResult' {
    It 'hands each result out once unless -Keep' {
        Start-AiTask -Agent first -Prompt 'x' -TaskId 'r-1' -Confirm:$false | Wait-AiTask | Out-Null
        (Receive-AiTaskResult 'r-1' -Keep -ErrorAction SilentlyContinue) | Should -HaveCount 1
        (Receive-AiTaskResult 'r-1' -ErrorAction SilentlyContinue) | Should -HaveCount 1
        Receive-AiTaskResult 'r-1' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'writes a non-terminating TaskNotFound for an unknown id and goes on' {
        Start-AiTask -Agent first -Prompt 'x' -TaskId 'r-2' -Confirm:$false | Wait-AiTask | Out-Null
        $result = Receive-AiTaskResult 'nope', 'r-2' -Keep -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -Be 'TaskNotFound,AiSwitch.PowerShell.Commands.ReceiveAiTaskResultCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $result | Should -HaveCount 1
    }

    It 'writes a non-terminating error for each failed result it hands out, with the result as its target' {
        Start-AiTask -Agent first -Prompt 'x' -TaskId 'r-3' -Confirm:$false | Wait-AiTask | Out-Null
        $result = Receive-AiTaskResult 'r-3' -ErrorVariable problems -ErrorAction SilentlyContinue
        $result.Status | Should -Be 'Failed'
        $problems | Should -HaveCount 1
        $problems[0].TargetObject.TaskId | Should -Be 'r-3'
        $problems[0].FullyQualifiedErrorId | Should -Be "$($result.ErrorId),AiSwitch.PowerShell.Commands.ReceiveAiTaskResultCommand"
    }
}
