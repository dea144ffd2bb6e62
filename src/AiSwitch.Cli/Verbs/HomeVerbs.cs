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
            var home = context.Session.Home;
            if (parse.GetValue(create))
            {
                home.EnsureCreated();
            }

            context.Output.WriteLine(home.Root);
            return 0;
        });
        return command;
    }
}
