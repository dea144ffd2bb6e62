#Requires -Version 7.4
# Merge-AiTaskResult: each strategy's winner from piped results, agreement, totals, the error for an empty pipe;
# results that went through Export-Clixml, Export-Csv or a Start-Job process come back in as results.

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

    It 'takes results back from Import-Clixml' {
        $path = Join-Path $TestDrive 'results.xml'
        $results | Export-Clixml -LiteralPath $path
        $merged = Import-Clixml -LiteralPath $path | Merge-AiTaskResult -Strategy Fastest
        ($merged.Winner, $merged.Results, $merged.TotalInputTokens) | Should -Be @('b', 3, 30)
    }

    It 'takes results back from Import-Csv' {
        $path = Join-Path $TestDrive 'results.csv'
        $results | Export-Csv -LiteralPath $path
        $merged = Import-Csv -LiteralPath $path | Merge-AiTaskResult -Strategy Cheapest
        ($merged.Winner, $merged.Results, $merged.TotalCostUsd) | Should -Be @('b', 3, 0.06)
    }

    It 'takes results from a Start-Job process' {
        $job = Start-Job -ArgumentList $manifest -ScriptBlock {
            param($manifest)
            Import-Module -Name $manifest
            [AiSwitch.TaskResult]@{ TaskId = 't.a'; Agent = 'a'; Status = 'Completed'; Output = 'Paris.'; DurationMs = 900; InputTokens = 10 }
            [AiSwitch.TaskResult]@{ TaskId = 't.b'; Agent = 'b'; Status = 'Completed'; Output = 'paris'; DurationMs = 300; InputTokens = 10 }
        }
        $merged = $job | Receive-Job -Wait -AutoRemoveJob | Merge-AiTaskResult -Strategy Fastest
        ($merged.Winner, $merged.Results) | Should -Be @('b', 2)
    }

    It 'names what is missing from an object that is no task result' {
        { [pscustomobject]@{ Name = 'x' } | Merge-AiTaskResult -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,AiSwitch.PowerShell.Commands.MergeAiTaskResultCommand' -ExpectedMessage '*TaskId*'
    }

    It 'refuses an empty pipeline' {
        { @() | Merge-AiTaskResult -ErrorAction Stop } | Should -Throw
    }
}
