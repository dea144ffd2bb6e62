#Requires -Modules Pester
# Register-AiAgent: definitions in config/agents.yaml, validated before anything is written.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module $env:AISWITCH_MODULE_PATH -Force
    $agentsFile = Join-Path $env:AISWITCH_HOME 'config/agents.yaml'
}

Describe 'Register-AiAgent' {
    It 'registers an agent with every parameter' {
        $definition = Register-AiAgent -Name rga-reviewer -Adapter jsonrpc -Command /opt/reviewer -Argument --stdio -Preset kimi `
            -Tag review, python -MaxConcurrency 2 -WorkingDirectory $TestDrive -Model k2 -Timeout 90
        $definition.Name | Should -Be 'rga-reviewer'
        $definition.Arguments | Should -Be @('--stdio')
        $definition.Tags | Should -Be @('review', 'python')
        $definition.DefaultTimeout | Should -Be ([timespan]::FromSeconds(90))
        $definition.PSObject.TypeNames[0] | Should -Be 'AiSwitch.AgentDefinition'
        Get-Content $agentsFile -Raw | Should -Match 'name: "rga-reviewer"'
    }

    It 'takes definitions from the pipeline by property name' {
        $rows = @(
            [pscustomobject]@{ Name = 'rga-csv-a'; Adapter = 'codex'; Command = '/opt/a' }
            [pscustomobject]@{ Name = 'rga-csv-b'; Adapter = 'gemini'; Model = 'gemini-2.5-pro' }
        )
        $defined = $rows | Register-AiAgent
        $defined.Name | Should -Be @('rga-csv-a', 'rga-csv-b')
        (Get-AiAgent rga-csv-b).Model | Should -Be 'gemini-2.5-pro'
    }

    It 'overrides a built-in by name' {
        Register-AiAgent -Name claude -Adapter claude-code -Command /opt/claude/bin/claude | Out-Null
        (Get-AiAgent claude).Command | Should -Be '/opt/claude/bin/claude'
        (Get-AiAgent claude).BuiltIn | Should -BeFalse
    }

    It 'refuses a duplicate without -Force and replaces it with -Force' {
        Register-AiAgent -Name rga-dup -Adapter codex | Out-Null
        { Register-AiAgent -Name rga-dup -Adapter gemini -ErrorAction Stop } |
            Should -Throw -ErrorId 'AgentAlreadyExists,AiSwitch.PowerShell.Commands.RegisterAiAgentCommand'
        (Register-AiAgent -Name rga-dup -Adapter gemini -Force).Adapter | Should -Be 'gemini'
    }

    It 'names the known adapters for an unknown one' {
        { Register-AiAgent -Name rga-bad -Adapter copilot -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,AiSwitch.PowerShell.Commands.RegisterAiAgentCommand' -ExpectedMessage '*Known adapters: anthropic, claude-code, claude-code-session, codex, gemini, jsonrpc, openai*'
    }

    It 'refuses an unsafe name' {
        { Register-AiAgent -Name '../etc' -Adapter codex -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidAgentName,AiSwitch.PowerShell.Commands.RegisterAiAgentCommand'
    }

    It 'with -WhatIf writes nothing' {
        Register-AiAgent -Name rga-whatif -Adapter codex -WhatIf
        { Get-AiAgent rga-whatif -ErrorAction Stop } | Should -Throw -ErrorId 'AgentNotFound,AiSwitch.PowerShell.Commands.GetAiAgentCommand'
    }

    It 'tab-completes adapter names' {
        $completions = TabExpansion2 -inputScript 'Register-AiAgent -Name x -Adapter cl' -cursorColumn 36
        $completions.CompletionMatches.CompletionText | Should -Contain 'claude-code'
    }
}
