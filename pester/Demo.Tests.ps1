#Requires -Version 7.4
# The README's main job, ./demo (demo.ps1), run the way a user runs it: a fresh process that starts the mock provider,
# points two agents at it and writes runs.csv. Each run gets its own -Folder and -AiSwitchHome under $TestDrive.
# The Claude Code and Codex CLIs it finds in tests/e2e/node_modules/.bin; without them that test fails, never skips.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Support/Pwsh.ps1')
    $repo = Split-Path -Parent $PSScriptRoot
    $reply = 'Hello from the AiSwitch mock provider: no network, no key, no cost.'
    # The demo builds and runs the configuration given; the module under test says which one is built.
    $module = Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -PassThru -ErrorAction Stop
    $configuration = $module.ImplementingAssembly.GetCustomAttributes([Reflection.AssemblyConfigurationAttribute], $false)[0].Configuration

    function Invoke-Demo([string[]] $Arguments) {
        Invoke-CapturedProcess (New-PwshStartInfo (@('-File', (Join-Path $repo 'demo.ps1'), '-Configuration', $configuration) + $Arguments))
    }

    # The mock's pid, from the line the demo prints when it has started it.
    function Get-MockPid([string] $Output) {
        if ($Output -notmatch 'Mock provider: http://127\.0\.0\.1:\d+ \(pid (\d+)\)') {
            throw "The demo printed no 'Mock provider: <url> (pid N)' line. It printed:`n$Output"
        }
        [int] $Matches[1]
    }

    function Test-ProcessAlive([int] $Id) {
        $process = Get-Process -Id $Id -ErrorAction Ignore
        [bool] ($process -and -not $process.HasExited)
    }
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe './demo with the SDK agents (-NoCli)' {
    BeforeAll {
        $folder = Join-Path $TestDrive 'sdk'
        $run = Invoke-Demo @('-NoBuild', '-NoCli', '-Folder', $folder, '-AiSwitchHome', (Join-Path $TestDrive 'sdk-home'), '-Prompt', 'Say hi to the test.')
        $csv = Join-Path $folder 'runs.csv'
        $rows = @(if (Test-Path -LiteralPath $csv) { Import-Csv -LiteralPath $csv })
    }

    It 'exits 0' {
        $run.ExitCode | Should -Be 0 -Because "stdout:`n$($run.Output)`nstderr:`n$($run.Error)"
    }

    It 'writes one completed row per agent with the mock''s reply and its token counts' {
        ($rows.Agent | Sort-Object) | Should -Be @('anthropic', 'openai')
        foreach ($row in $rows) {
            $row.Status | Should -Be 'Completed' -Because "$($row.Agent) failed: $($row.Error)"
            $row.Output | Should -Be $reply
            $row.Prompt | Should -Be 'Say hi to the test.'
            # The mock's 120 uncached + 40 cache-read input tokens; both SDK agents count input with cache.
            ($row.InputTokens, $row.CacheReadTokens, $row.OutputTokens) | Should -Be @('160', '40', '16')
        }
        @($rows.BatchId | Sort-Object -Unique) | Should -HaveCount 1
    }

    It 'shows the CSV and the table' {
        $run.Output | Should -Match ([regex]::Escape('"TaskId","Agent"'))
        $run.Output | Should -Match "anthropic\s+Completed\s+160\s+16"
        $run.Output | Should -Match "openai\s+Completed\s+160\s+16"
    }

    It 'stops the mock provider when it ends' {
        Test-ProcessAlive (Get-MockPid $run.Output) | Should -BeFalse
    }
}

Describe './demo, the one command: build, then the Claude Code and Codex CLIs' {
    BeforeAll {
        $bin = Join-Path $repo 'tests' 'e2e' 'node_modules' '.bin'
        foreach ($cli in 'claude', 'codex') {
            if (-not (Test-Path -LiteralPath (Join-Path $bin $cli))) {
                throw "The $cli CLI is not installed in $bin. Run 'npm ci --no-audit --no-fund' in $(Join-Path $repo 'tests' 'e2e') (building the solution does it)."
            }
        }
        $folder = Join-Path $TestDrive 'cli'
        $arguments = @('-Configuration', $configuration, '-Folder', $folder, '-AiSwitchHome', (Join-Path $TestDrive 'cli-home'))
        # The bash entry point where there is one; on Windows the README's command for it.
        $start = if ($IsWindows) {
            New-PwshStartInfo (@('-File', (Join-Path $repo 'demo.ps1')) + $arguments)
        }
        else {
            $bash = [Diagnostics.ProcessStartInfo]::new('bash')
            foreach ($argument in @((Join-Path $repo 'demo')) + $arguments) { $bash.ArgumentList.Add($argument) }
            $bash
        }
        $run = Invoke-CapturedProcess $start
        $csv = Join-Path $folder 'runs.csv'
        $rows = @(if (Test-Path -LiteralPath $csv) { Import-Csv -LiteralPath $csv })
    }

    It 'builds, runs and exits 0' {
        $run.ExitCode | Should -Be 0 -Because "stdout:`n$($run.Output)`nstderr:`n$($run.Error)"
        $run.Output | Should -Match "Building the module and the mock provider \($configuration\)"
    }

    It 'writes one completed row per CLI with the mock''s reply' {
        ($rows.Agent | Sort-Object) | Should -Be @('claude', 'codex')
        foreach ($row in $rows) {
            $row.Status | Should -Be 'Completed' -Because "$($row.Agent) failed: $($row.Error)"
            $row.Output | Should -Be $reply
        }
        # 120 uncached + 40 cache-read input tokens: input includes the cache for every agent (docs/usage.md).
        ($rows | Where-Object Agent -eq 'claude').InputTokens | Should -Be '160'
        ($rows | Where-Object Agent -eq 'codex').InputTokens | Should -Be '160'
    }

    It 'stops the mock provider when it ends' {
        Test-ProcessAlive (Get-MockPid $run.Output) | Should -BeFalse
    }
}

Describe './demo that fails after starting the mock' {
    BeforeAll {
        # A home that is a file: the first cmdlet that writes to it fails, with the mock already running.
        $notAFolder = Join-Path $TestDrive 'home-is-a-file'
        Set-Content -LiteralPath $notAFolder -Value 'not a folder'
        $folder = Join-Path $TestDrive 'failing'
        $run = Invoke-Demo @('-NoBuild', '-NoCli', '-Folder', $folder, '-AiSwitchHome', $notAFolder)
    }

    It 'exits 1 with an error naming the home' {
        $run.ExitCode | Should -Be 1 -Because "stdout:`n$($run.Output)`nstderr:`n$($run.Error)"
        $run.Error | Should -Match ([regex]::Escape($notAFolder))
        Join-Path $folder 'runs.csv' | Should -Not -Exist
    }

    It 'still stops the mock provider' {
        Test-ProcessAlive (Get-MockPid $run.Output) | Should -BeFalse
    }
}
