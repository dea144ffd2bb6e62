# Agent.Tests.ps1: treat an agent like any other dependency — ask, then assert on the TaskResult.
# Run it with: pwsh -NonInteractive -Command 'Invoke-Pester -Path ./Agent.Tests.ps1 -CI'
BeforeAll {
    Import-Module AiSwitch
    # A cheap preset for the agents under test, for this session only (see about_AiSwitch_Presets).
    Use-AiPreset kimi -ErrorAction Stop | Out-Null
}

Describe 'the code review agent' {
    It 'finds the planted bug and stays within budget' {
        $result = Invoke-AiTask -Agent claude -Timeout 300 -Retry 2 -Prompt @'
Here is a function: function Add($a, $b) { $a - $b }. Reply with exactly BUG if it is wrong, OK if it is right.
'@
        $result.Status        | Should -Be 'Completed' -Because $result.Error
        $result.Output.Trim() | Should -Match '^BUG'
        $result.CostUsd       | Should -BeLessThan 0.05
    }

    It 'agrees across agents' {
        $merged = Invoke-AiTask -Agent claude, codex -Timeout 300 -Prompt 'What is 17 * 23? Digits only.' |
            Merge-AiTaskResult -Strategy Majority
        $merged.Output    | Should -Be '391'
        $merged.Agreement | Should -Be 1
    }
}
