#Requires -Version 7.4
# Get-AiTask: this session's tasks and another session's (state/tasks.json), wildcards, the format view.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/TaskAgents.ps1')
    $manifest = Initialize-AiTaskTestHome
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Get-AiTask' {
    It 'sees a task run by another runspace through tasks.json' {
        $ps = [powershell]::Create().AddScript("Import-Module -Name '$manifest'; Invoke-AiTask -Agent first -Prompt x -TaskId other-1 -Confirm:`$false -ErrorAction SilentlyContinue")
        $null = $ps.Invoke()
        $ps.Dispose()
        $seen = Get-AiTask -TaskId 'other-*'
        $seen.TaskId | Should -Be 'other-1'
        $seen.Status | Should -Be 'Failed'
        $seen.OwnerPid | Should -Be $PID
    }

    It 'reports a task id that matches nothing as a non-terminating ObjectNotFound error, and a wildcard as nothing' {
        Invoke-AiTask -Agent first -Prompt 'x' -TaskId 'gat-1' -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
        $found = Get-AiTask -TaskId 't-nosuch', 'gat-1' -ErrorVariable problems -ErrorAction SilentlyContinue
        $found.TaskId | Should -Be 'gat-1'
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'TaskNotFound,AiSwitch.PowerShell.Commands.GetAiTaskCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-AiTask -TaskId 'zz-nothing-*' -ErrorVariable quiet | Should -BeNullOrEmpty
        $quiet | Should -BeNullOrEmpty
    }

    It 'has a table view' {
        # A task of its own: an empty list formats to nothing, whatever the view.
        Invoke-AiTask -Agent first -Prompt 'x' -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
        (Get-AiTask | Format-Table | Out-String) | Should -Match 'TaskId\s+Status\s+Done\s+Agents'
    }
}
