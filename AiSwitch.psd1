@{
    # ModuleVersion is stamped from Directory.Build.props (the one version source) by every build.
    RootModule           = 'AiSwitch.PowerShell.dll'
    ModuleVersion = '0.1.0'
    GUID                 = '5f0c3c2e-8d7b-4c1e-9a55-2f7b9d0e4a61'
    Author               = 'AiSwitch contributors'
    CompanyName          = 'AiSwitch'
    Copyright            = '(c) AiSwitch contributors. MIT License.'
    Description          = 'Switch AI API presets and drive several AI coding agents (Claude Code, Codex, Gemini CLI, JSON-RPC agents, direct HTTP) from PowerShell: presets, snapshots and rollback, supervision, parallel tasks, token usage and quotas.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'

    # Every type a user sees (outputs, inputs, exceptions), loaded before the cmdlets so [AiSwitch.TaskResult] resolves.
    RequiredAssemblies   = @('AiSwitch.Contracts.dll')

    FormatsToProcess     = @('AiSwitch.format.ps1xml')
    TypesToProcess       = @('AiSwitch.types.ps1xml')

    CmdletsToExport      = @(
        # Locks
        'Lock-AiResource'
        'Unlock-AiResource'
        'Get-AiLock'
        'Clear-AiStaleLock'
        # Presets
        'Get-AiPreset'
        'New-AiPreset'
        'Set-AiPreset'
        'Remove-AiPreset'
        'Import-AiPreset'
        'Use-AiPreset'
        'Grant-AiProjectPin'
        'Revoke-AiProjectPin'
        # Environments
        'Switch-AiEnvironment'
        'Checkpoint-AiEnvironment'
        'Restore-AiEnvironment'
        'Get-AiEnvironmentSnapshot'
        'Remove-AiEnvironmentSnapshot'
        # Tasks
        'Invoke-AiTask'
        'Start-AiTask'
        'Get-AiTask'
        'Wait-AiTask'
        'Receive-AiTaskResult'
        'Stop-AiTask'
        'Merge-AiTaskResult'
        # Usage
        'Get-AiTokenUsage'
        'Set-AiTokenQuota'
        'Get-AiTokenQuota'
        'Remove-AiTokenQuota'
        'Import-AiTokenUsage'
        'Get-AiModelPrice'
        'Get-AiAgentMetrics'
        'Export-AiMetrics'
        'Watch-AiAgent'
        # Agents
        'Register-AiAgent'
        'Unregister-AiAgent'
        'Get-AiAgent'
        'Start-AiAgent'
        'Stop-AiAgent'
        'Restart-AiAgent'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('AI', 'LLM', 'Agents', 'Claude', 'Codex', 'Gemini', 'OpenAI', 'Anthropic', 'Environment', 'Automation', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/aiswitch/AiSwitch'
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
