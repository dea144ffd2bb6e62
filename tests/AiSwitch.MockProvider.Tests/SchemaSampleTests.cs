using System.Text.Json;

namespace AiSwitch.MockProvider.Tests;

public sealed class SchemaSampleTests
{
    private static JsonElement Sample(string schema) =>
        JsonDocument.Parse(WireJsonText(SchemaSample.Generate(JsonDocument.Parse(schema).RootElement))).RootElement;

    private static string WireJsonText(System.Text.Json.Nodes.JsonNode? node) => node?.ToJsonString() ?? "null";

    [Theory]
    [InlineData("""{"type":"string"}""", "\"mock\"")]
    [InlineData("""{"type":"string","minLength":6}""", "\"mockxx\"")]
    [InlineData("""{"type":"string","maxLength":2}""", "\"mo\"")]
    [InlineData("""{"type":"string","format":"date-time"}""", "\"2026-01-01T00:00:00Z\"")]
    [InlineData("""{"type":"integer"}""", "1")]
    [InlineData("""{"type":"integer","minimum":5,"maximum":9}""", "5")]
    [InlineData("""{"type":"integer","exclusiveMinimum":5}""", "6")]
    [InlineData("""{"type":"integer","maximum":-3}""", "-3")]
    [InlineData("""{"type":"number","minimum":0.25}""", "0.25")]
    [InlineData("""{"type":"boolean"}""", "true")]
    [InlineData("""{"type":"null"}""", "null")]
    [InlineData("""{"enum":["x","y"]}""", "\"x\"")]
    [InlineData("""{"const":42}""", "42")]
    [InlineData("""{"type":["null","integer"]}""", "1")]
    [InlineData("""{"anyOf":[{"type":"null"},{"type":"boolean"}]}""", "true")]
    [InlineData("""{"type":"array","items":{"type":"integer"},"minItems":3}""", "[1,1,1]")]
    [InlineData("""{"type":"array","items":{"type":"integer"},"maxItems":0}""", "[]")]
    [InlineData("""{"type":"object"}""", "{}")]
    public void ScalarsAndArraysTakeTheirMinimalFittingValue(string schema, string expected) =>
        Assert.Equal(expected, Sample(schema).GetRawText());

    [Fact]
    public void NestedObjectsFillEveryDeclaredProperty()
    {
        var sample = Sample("""
            {"type":"object","properties":{
               "a":{"type":"object","properties":{"b":{"type":"object","properties":{"c":{"type":"integer"}}}}},
               "list":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}}}}}}
            """);

        Assert.Equal(1, sample.GetProperty("a").GetProperty("b").GetProperty("c").GetInt32());
        Assert.Equal("mock", sample.GetProperty("list")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void ReferencesIntoDefsAreFollowedAndAllOfIsMerged()
    {
        var sample = Sample("""
            {"$defs":{"Point":{"type":"object","properties":{"x":{"type":"number"},"y":{"type":"number"}}}},
             "type":"object","properties":{
               "p":{"$ref":"#/$defs/Point"},
               "both":{"allOf":[{"type":"object","properties":{"k":{"type":"string"}}},{"type":"object","properties":{"v":{"type":"boolean"}}}]}}}
            """);

        Assert.Equal(1.5, sample.GetProperty("p").GetProperty("y").GetDouble());
        Assert.Equal("mock", sample.GetProperty("both").GetProperty("k").GetString());
        Assert.True(sample.GetProperty("both").GetProperty("v").GetBoolean());
    }

    [Fact]
    public void SelfReferencingSchemaStopsAtTheDepthLimit()
    {
        var sample = Sample("""{"type":"object","properties":{"next":{"$ref":"#"}}}""");

        var depth = 0;
        for (var node = sample; node.ValueKind == JsonValueKind.Object; node = node.GetProperty("next"))
        {
            depth++;
        }

        Assert.InRange(depth, 2, 30);
    }
}
