using System.CommandLine;

namespace AiSwitch.Cli;

/// <summary>
/// <c>aiswitch pin allow|deny|status [PATH]</c>: which project pins (<c>.aiswitch.yaml</c>) may take effect. A pin applies
/// only once its exact content is allowed, like direnv's <c>.envrc</c>; a change needs allowing again.
/// </summary>
internal static class PinVerbs
{
    public static Command Create(CliContext context) => new("pin", "Allow or deny a project pin (.aiswitch.yaml): it takes effect only once its exact content is allowed.")
    {
        Verb(context, "allow", "Allow the pin's current content to take effect (a later change needs allowing again).", path => context.Session.Environments.AllowPin(path)),
        Verb(context, "deny", "Withdraw the pin's allowance: apply refuses it until it is allowed again.", path => context.Session.Environments.DenyPin(path)),
        Verb(context, "status", "Show the pin, what it sets, and whether its content is allowed.", path => context.Session.Environments.GetPin(path)),
    };

    private static Command Verb(CliContext context, string name, string description, Func<string, ProjectPinStatus> action)
    {
        var path = new Argument<string?>("path") { Description = "The pin file, or a folder in its project (default: this folder).", Arity = ArgumentArity.ZeroOrOne };
        var format = OutputRenderer.FormatOption();
        var command = new Command(name, description) { path, format };
        command.SetAction(parse =>
        {
            var status = action(parse.GetValue(path) ?? Environment.CurrentDirectory);
            OutputRenderer.Write(context.Output, [status], parse.GetValue(format));
            return 0;
        });
        return command;
    }
}
