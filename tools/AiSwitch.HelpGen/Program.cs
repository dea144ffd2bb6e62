// Run by AiSwitch.PowerShell.csproj (target BuildHelp) after each build that changed the cmdlets or the pages.
return AiSwitch.HelpGen.HelpGenCommand.Run(args, Console.Out, Console.Error);
