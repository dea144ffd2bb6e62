#Requires -Modules Pester
# Get-AiAgent: built-ins and registered agents with their status; wildcards; a literal miss is an error.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module $env:AISWITCH_MODULE_PATH -Force
    Register-AiAgent -Name gaa-one -Adapter jsonrpc -Command /opt/one -Tag review | Out-Null
    Register-AiAgent -Name gaa-two -Adapter codex | Out-Null
}

Describe 'Get-AiAgent' {
    It 'lists the built-ins with no registration' {
        $agents = Get-AiAgent
        $agents.Name | Should -Contain 'claude'
        $agents.Name | Should -Contain 'codex'
        $agents.Name | Should -Contain 'gemini'
        ($agents | Where-Object Name -eq 'claude').Source | Should -Be 'built-in'
    }

    It 'finds the built-ins on PATH' {
        $bin = Join-Path $TestDrive 'bin'
        New-Item -ItemType Directory -Path $bin -Force | Out-Null
        $fake = Join-Path $bin 'gemini'
        Set-Content -Path $fake -Value "#!/bin/sh`necho fake"
        if (-not $IsWindows) { chmod +x $fake }
        $saved = $env:PATH
        try {
            $env:PATH = $bin
            (Get-AiAgent gemini).CommandPath | Should -Be $fake
        } finally {
            $env:PATH = $saved
        }
    } -Skip:$IsWindows

    It 'matches wildcards and returns nothing for a wildcard that matches none' {
        (Get-AiAgent gaa-*).Name | Should -Be @('gaa-one', 'gaa-two')
        Get-AiAgent nothing-* | Should -BeNullOrEmpty
    }

    It 'shows a stopped agent as Stopped' {
        $agent = Get-AiAgent gaa-one
        $agent.Status.ToString() | Should -Be 'Stopped'
        $agent.Tags | Should -Be @('review')
        $agent.PSObject.TypeNames[0] | Should -Be 'AiSwitch.AiAgent'
    }

    It 'with -Running leaves out agents no session runs' {
        Get-AiAgent gaa-* -Running | Should -BeNullOrEmpty
    }

    It 'takes names from the pipeline' {
        ('gaa-one', 'gaa-two' | Get-AiAgent).Count | Should -Be 2
        ([pscustomobject]@{ Name = 'gaa-two' } | Get-AiAgent).Adapter | Should -Be 'codex'
    }

    It 'reports an unknown literal name with a suggestion' {
        { Get-AiAgent cladue -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentNotFound,AiSwitch.PowerShell.Commands.GetAiAgentCommand' -ExpectedMessage "*Did you mean 'claude'?*"
    }

    It 'reports a malformed agents file with its line' {
        $file = Join-Path $env:AISWITCH_HOME 'config/agents.yaml'
        $saved = Get-Content $file -Raw
        try {
            Set-Content -Path $file -Value "agents:`n  - name: a`n    adaptor: codex"
            { Get-AiAgent -ErrorAction Stop } |
                Should -Throw -ErrorId 'AgentDefinitionInvalid,AiSwitch.PowerShell.Commands.GetAiAgentCommand' -ExpectedMessage '*line 3, column 5*'
        } finally {
            Set-Content -Path $file -Value $saved -NoNewline
        }
    }

    It 'shows a per-task agent''s process only while its task runs' {
        # A codex-adapter agent whose process says its pid once the prompt is in (so AiSwitch has seen it start), then
        # waits to be released: the FIFOs make each step wait for the other side instead of for time.
        $folder = Join-Path $TestDrive 'per-task'
        New-Item -ItemType Directory -Path $folder | Out-Null
        $started = Join-Path $folder 'started'
        $release = Join-Path $folder 'release'
        mkfifo $started $release
        $agent = Join-Path $folder 'agent.sh'
        Set-Content -Path $agent -Value "#!/bin/sh`ncat > /dev/null`necho `$`$ > '$started'`nread line < '$release'`nexit 3"
        chmod +x $agent
        Register-AiAgent -Name gaa-task -Adapter codex -Command $agent | Out-Null

        $task = Start-AiTask -Agent gaa-task -Prompt 'hello'
        $processId = [int] [IO.File]::ReadAllText($started)
        $running = Get-AiAgent gaa-task
        $running.Pid | Should -Be $processId
        $running.Uptime | Should -Not -BeNullOrEmpty
        (Get-AiAgent -Running).Name | Should -Contain 'gaa-task'

        [IO.File]::WriteAllText($release, "done`n")
        $task | Wait-AiTask | Out-Null
        $done = Get-AiAgent gaa-task
        $done.TasksDone | Should -Be 1
        $done.Pid | Should -BeNullOrEmpty -Because "process $processId has exited"
        $done.Uptime | Should -BeNullOrEmpty -Because 'no process of the agent runs'
        Get-AiAgent -Running | Where-Object Name -EQ 'gaa-task' | Should -BeNullOrEmpty -Because 'nothing of it runs'
        ($done | Format-Table | Out-String) | Should -Not -Match "\b$processId\b"
    } -Skip:$IsWindows

    It 'shows the circuit that opened when distribution found an agent''s command missing' {
        Register-AiAgent -Name gaa-missing -Adapter jsonrpc -Command /nonexistent/gaa-missing | Out-Null
        Get-AiAgent gaa-missing | ForEach-Object Circuit | Should -Be 'Closed'

        $results = 'first', 'second' | Invoke-AiTask -Agent gaa-missing -Distribute LeastBusy -ThrottleLimit 1 -ErrorAction SilentlyContinue

        $results.ErrorId | Should -Be @('AgentCommandNotFound', 'AgentCircuitOpen') -Because 'the second task is not sent to an agent known to be down'
        $agent = Get-AiAgent gaa-missing
        $agent.Circuit | Should -Be 'Open'
        $agent.FailureStreak | Should -Be 1
        $agent.ProbeAt | Should -Not -BeNullOrEmpty
        ($agent | Format-Table | Out-String) | Should -Match 'gaa-missing\s+jsonrpc\s+\w+\s+Open'
        ($agent | Format-List | Out-String) | Should -Match 'ProbeAt\s+:'
    }

    It 'has a table view' {
        (Get-AiAgent gaa-one | Format-Table | Out-String) | Should -Match 'Adapter\s+Status'
    }

    It 'tab-completes agent names' {
        $completions = TabExpansion2 -inputScript 'Get-AiAgent gaa-t' -cursorColumn 17
        $completions.CompletionMatches.CompletionText | Should -Contain 'gaa-two'
    }
}
