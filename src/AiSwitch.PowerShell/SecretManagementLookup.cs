using System.Management.Automation;

namespace AiSwitch.PowerShell;

/// <summary>
/// Resolves <c>secret:[VAULT/]NAME</c> references with SecretManagement's Get-Secret, in the calling runspace.
/// Only valid while the cmdlet runs synchronously on its pipeline thread (environment operations do).
/// </summary>
internal static class SecretManagementLookup
{
    private const string ByName = "param($name) Get-Secret -Name $name -AsPlainText -ErrorAction Stop";
    private const string ByVault = "param($name, $vault) Get-Secret -Name $name -Vault $vault -AsPlainText -ErrorAction Stop";

    public static Func<string, string?> For(PSCmdlet cmdlet) => target =>
    {
        var (vault, name) = PresetDoor.SplitSecretReference(target);
        var results = vault is null
            ? cmdlet.InvokeCommand.InvokeScript(ByName, name)
            : cmdlet.InvokeCommand.InvokeScript(ByVault, name, vault);
        return results.Count == 0 ? null : results[0]?.BaseObject as string;
    };
}
