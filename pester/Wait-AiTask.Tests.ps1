#Requires -Version 7.4
# Wait-AiTask: waits for a background task, returns it finished; TaskNotFound for an unknown id.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    New-Item -ItemType Directory -Path (Join-Path $env:AISWITCH_HOME 'config') -Force | Out-Null
    "agents:`n  - name: first`n    adapter: jsonrpc`n    command: /nonexistent/aiswitch-pester-agent`n" | Set-Content (Join-Path $env:AISWITCH_HOME 'config/agents.yaml')
    $manifest = Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1'
    Import-Module -Name $manifest -Force -ErrorAction Stop
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
}
