#Requires -Version 7.4
# Help: for every exported cmdlet, Get-Help -Full reads the module's MAML and has a synopsis, a description, a text for
# every parameter, inputs, outputs and an example whose code parses and uses only real commands and parameters; its
# syntax is the cmdlet's own (Get-Command); the about_AiSwitch topics load.
# Run by pester/Invoke-Pester.ps1 in a fresh pwsh with $env:AISWITCH_MODULE_PATH set to the built module folder.

BeforeDiscovery {
    $exportedCmdlets = @((Import-PowerShellDataFile -LiteralPath (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1')).CmdletsToExport)
    $aboutTopics = @('about_AiSwitch', 'about_AiSwitch_Presets', 'about_AiSwitch_Tasks')
}

BeforeAll {
    $env:AISWITCH_HOME = Join-Path $TestDrive 'home'
    Import-Module -Name (Join-Path $env:AISWITCH_MODULE_PATH 'AiSwitch.psd1') -Force -ErrorAction Stop
    $commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters

    # Every parameter of a syntax line as "Name/required/position", as Get-Command sees it and as help tells it.
    function Get-CommandSetLine([System.Management.Automation.CommandParameterSetInfo] $Set) {
        ($Set.Parameters | Where-Object Name -NotIn $commonParameters | Sort-Object Name | ForEach-Object {
                '{0}/{1}/{2}' -f $_.Name, $_.IsMandatory.ToString().ToLowerInvariant(), $(if ($_.Position -ge 0) { $_.Position } else { 'named' })
            }) -join ','
    }

    function Get-HelpSyntaxLine($SyntaxItem) {
        ($SyntaxItem.parameter | Sort-Object name | ForEach-Object { '{0}/{1}/{2}' -f $_.name, $_.required, $_.position }) -join ','
    }
}

AfterAll {
    Remove-Module -Name AiSwitch -Force -ErrorAction SilentlyContinue
}

Describe 'Help for <_>' -ForEach $exportedCmdlets {
    BeforeAll {
        $name = $_
        $help = Get-Help -Name $name -Full -ErrorAction Stop
        $command = Get-Command -Name $name -Module AiSwitch -CommandType Cmdlet -ErrorAction Stop
    }

    It 'is read from the module''s MAML file' {
        # Without it, Get-Help makes help up from the syntax alone (ExtendedCmdletHelpInfo).
        $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
    }

    It 'has a synopsis' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($name))\s"
    }

    It 'has a description' {
        ($help.description.Text -join '').Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has a text for every parameter' {
        $withoutText = foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $commonParameters }) {
            $described = $help.parameters.parameter | Where-Object name -EQ $parameter
            if (-not ($described.description.Text -join '').Trim()) { $parameter }
        }
        $withoutText -join ', ' | Should -BeNullOrEmpty -Because 'each parameter needs a ### -Name text in its docs/cmdlets page'
    }

    It 'describes no parameter the cmdlet lacks' {
        @($help.parameters.parameter.name | Where-Object { -not $command.Parameters.ContainsKey($_) }) -join ', ' | Should -BeNullOrEmpty
    }

    It 'has the syntax lines Get-Command has' {
        $fromCommand = @($command.ParameterSets | ForEach-Object { Get-CommandSetLine $_ } | Sort-Object)
        $fromHelp = @($help.syntax.syntaxItem | ForEach-Object { Get-HelpSyntaxLine $_ } | Sort-Object)
        $fromHelp -join [Environment]::NewLine | Should -Be ($fromCommand -join [Environment]::NewLine)
    }

    It 'names its inputs and outputs' {
        @($help.inputTypes.inputType.type.name | Where-Object { $_ }).Count | Should -BeGreaterThan 0
        @($help.returnValues.returnValue.type.name | Where-Object { $_ }).Count | Should -BeGreaterThan 0
    }

    It 'has at least one example with code and an explanation' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterThan 0
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty -Because $example.title
            ($example.remarks.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs a sentence that explains it"
        }
    }

    It 'has examples that parse and use only real commands and parameters' {
        $problems = foreach ($example in @($help.examples.example)) {
            $tokens = $null
            $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($example.code, [ref] $tokens, [ref] $errors)
            foreach ($parseError in $errors) { "$($example.title): $($parseError.Message)" }
            foreach ($call in $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)) {
                $used = $call.GetCommandName()
                if (-not $used -or $used -match '[\\/]') { continue } # a script of the user's own (./deploy.ps1)
                $target = Get-Command -Name $used -ErrorAction SilentlyContinue
                if (-not $target) { "$($example.title): no command '$used'"; continue }
                if ($target.ModuleName -ne 'AiSwitch') { continue }
                foreach ($parameter in $call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                    try { $null = $target.ResolveParameter($parameter.ParameterName) }
                    catch { "$($example.title): $used has no parameter -$($parameter.ParameterName)" }
                }
            }
        }
        $problems -join [Environment]::NewLine | Should -BeNullOrEmpty
    }
}

Describe 'About topic <_>' -ForEach $aboutTopics {
    It 'is found by Get-Help, with its synopsis' {
        $topic = Get-Help -Name $_ -ErrorAction Stop
        ($topic | Out-String) | Should -Match "TOPIC\s+$_\s+SHORT DESCRIPTION"
        (Get-Help -Name $_ -Category HelpFile).Synopsis | Should -Not -BeNullOrEmpty
    }
}

Describe 'about_AiSwitch' {
    BeforeAll {
        $text = Get-Help -Name about_AiSwitch | Out-String
    }

    It 'explains the home folder and AISWITCH_HOME' {
        $text | Should -Match 'AISWITCH_HOME'
        $text | Should -Match '~/\.aiswitch'
    }

    It 'explains error handling with stable error ids and -ErrorAction Stop' {
        $text | Should -Match 'FullyQualifiedErrorId'
        $text | Should -Match '-ErrorAction\s+Stop'
    }

    It 'explains jobs' {
        $text | Should -Match 'Invoke-AiTask -AsJob'
        $text | Should -Match 'Receive-Job'
    }

    It 'is listed with the other topics' {
        (Get-Help -Name 'about_AiSwitch*' | Sort-Object Name).Name -join ',' | Should -Be 'about_AiSwitch,about_AiSwitch_Presets,about_AiSwitch_Tasks'
    }
}

Describe 'about_AiSwitch_Presets' {
    It 'gives the order in which an agent''s preset is chosen' {
        $text = Get-Help -Name about_AiSwitch_Presets | Out-String
        $text | Should -Match '(?s)1\. The task''s or the start''s own -Preset.*2\. The agent''s switched environment.*3\. The preset Use-AiPreset applied.*4\. The agent definition''s default preset'
    }
}
