using System.CommandLine;

namespace AiSwitch.Cli;

/// <summary><c>aiswitch home</c>: prints the home folder in use (AISWITCH_HOME or ~/.aiswitch).</summary>
internal static class HomeVerbs
{
    public static Command Create(CliContext context)
    {
        var create = new Option<bool>("--create") { Description = "Create the folder layout if it is missing." };
        var command = new Command("home", "Print the AiSwitch home folder in use (AISWITCH_HOME, or ~/.aiswitch).") { create };
        command.SetAction(parse =>
        {
            if (parse.GetValue(create))
            {
                context.Session.EnsureHome();
            }

            context.Output.WriteLine(context.Session.HomePath);
            return 0;
        });
        return command;
    }
}
