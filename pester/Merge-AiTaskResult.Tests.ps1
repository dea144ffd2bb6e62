#Requires -Version 7.4
# Merge-AiTaskResult: each strategy's winner from piped results, agreement, totals, the error for an empty pipe.

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    $manifest = Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1'
    Import-Module -Name $manifest -Force -ErrorAction Stop
    function New-Result($Agent, $Output, $Ms, $Cost) {
        [AiSwitch.TaskResult]@{ TaskId = "t.$Agent"; Agent = $Agent; Status = 'Completed'; Output = $Output; DurationMs = $Ms; CostUsd = $Cost; InputTokens = 10; OutputTokens = 5 }
    }
    $results = @(
        New-Result a 'Paris.' 900 0.03
        New-Result b 'paris' 300 0.01
        New-Result c 'It is Paris, the capital' 500 0.02
    )
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Merge-AiTaskResult' {
    It 'picks <Strategy> winner <Winner>' -ForEach @(
        @{ Strategy = 'Fastest'; Winner = 'b' }
        @{ Strategy = 'Cheapest'; Winner = 'b' }
        @{ Strategy = 'Longest'; Winner = 'c' }
        @{ Strategy = 'Majority'; Winner = 'a' }
    ) {
        $merged = $results | Merge-AiTaskResult -Strategy $Strategy
        $merged | Should -BeOfType ([AiSwitch.AggregatedResult])
        $merged.Winner | Should -Be $Winner
        $merged.TotalInputTokens | Should -Be 30
        $merged.Results | Should -Be 3
    }

    It 'reports the share of answers agreeing with the majority' {
        ($results | Merge-AiTaskResult Majority).Agreement | Should -BeGreaterThan 0.66
    }

    It 'refuses an empty pipeline' {
        { @() | Merge-AiTaskResult -ErrorAction Stop } | Should -Throw
    }
}
