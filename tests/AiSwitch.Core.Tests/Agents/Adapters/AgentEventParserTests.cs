using AiSwitch.Core.Agents.Adapters;
using FsCheck;
using FsCheck.Fluent;

namespace AiSwitch.Core.Tests.Agents.Adapters;

/// <summary>Properties every parser keeps whatever an agent prints: it never throws, and only whole JSON events count.</summary>
public sealed class AgentEventParserTests
{
    private static readonly Func<AgentEventParser>[] Parsers = [() => new ClaudeStreamParser(), () => new CodexEventParser(), () => new GeminiStreamParser()];

    [Fact]
    public void AnyLineIsAcceptedWithoutThrowingAndTextThatIsNotAJsonObjectIsNeverTheProtocol()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
        {
            var line = text ?? "";
            foreach (var create in Parsers)
            {
                var parser = create();
                var effect = parser.Accept(line);
                if (line.Trim().Length > 0 && !line.TrimStart().StartsWith('{'))
                {
                    Assert.Equal(LineKind.NotProtocol, effect.Kind);
                    Assert.Equal(1, parser.NonProtocolLines);
                }
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ACutFinalEventIsNeverTakenForTheEndOfTheTask()
    {
        string[] finals =
        [
            Fixtures.Lines("claude-plain.jsonl")[^1],
            Fixtures.Lines("codex-plain.jsonl")[^1],
            Fixtures.Lines("gemini-plain.jsonl")[^1],
        ];
        var cuts = Gen.Choose(0, 2).SelectMany(which => Gen.Choose(1, finals[which].Length - 1).Select(length => (which, length)));
        Prop.ForAll(cuts.ToArbitrary(), cut =>
        {
            var parser = Parsers[cut.which]();
            Assert.NotEqual(LineKind.Final, parser.Accept(finals[cut.which][..cut.length]).Kind);
            Assert.False(parser.Completed);
        }).QuickCheckThrowOnFailure();
    }
}
