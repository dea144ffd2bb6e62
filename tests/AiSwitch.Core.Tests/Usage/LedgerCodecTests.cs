using AiSwitch.Core.Usage;

namespace AiSwitch.Core.Tests.Usage;

public sealed class LedgerCodecTests
{
    [Theory]
    [InlineData("2026-11-21T12:34:56Z")]
    [InlineData("2026-11-21T12:34:56.5Z")]
    [InlineData("2026-11-21T12:34:56.1234567Z")]
    [InlineData("2024-02-29T00:00:00.001Z")]
    public void TheWritersTimeFormIsParsedExactlyAsTheGeneralParserDoes(string text)
    {
        Assert.True(LedgerCodec.TryParseUtc(System.Text.Encoding.ASCII.GetBytes(text), out var fast));
        Assert.Equal(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture), fast);
    }

    [Theory]
    [InlineData("2026-11-21T12:34:56+01:00")]
    [InlineData("2026-11-21T12:34:56")]
    [InlineData("2026-02-30T12:34:56Z")]
    [InlineData("2026-11-21T24:00:00Z")]
    [InlineData("2026-11-21T12:34:56.12345678Z")]
    [InlineData("2026-11-21 12:34:56Z")]
    public void OtherFormsAreLeftToTheGeneralParser(string text)
        => Assert.False(LedgerCodec.TryParseUtc(System.Text.Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void ALineWithAnOffsetTimeStillReads()
    {
        var line = """{"time":"2026-11-21T13:00:00+01:00","agent":"a","input":1,"output":2,"cost_usd":0.5,"cost_source":"agent","unknown":{"x":[1]}}"""u8;

        Assert.True(LedgerCodec.TryRead(line, new StringTable(), withIds: false, out var record));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero), record.Time);
        Assert.Equal((1L, 2L, 0.5m, CostSource.Agent), (record.InputTokens, record.OutputTokens, record.CostUsd, record.CostSource));
    }
}
