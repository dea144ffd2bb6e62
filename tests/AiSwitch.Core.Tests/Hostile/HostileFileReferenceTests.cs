using System.Diagnostics;
using AiSwitch.Core.Home;
using AiSwitch.Core.Presets;
using AiSwitch.Core.Tests.Presets;
using Xunit;

namespace AiSwitch.Core.Tests.Hostile;

/// <summary>
/// The hostile-input suite, <c>file:</c> part: a reference may name only a regular file of at most 1 MiB. Before,
/// /dev/zero grew the process to 4.2 GB and died, /dev/urandom grew without end and a FIFO hung for good.
/// </summary>
[Trait("Suite", "Hostile")]
[Collection(HostileSuite.Name)]
public sealed class HostileFileReferenceTests : IDisposable
{
    // A guard, not a measure: a resolver that blocks on a FIFO or reads an endless device fails here instead of hanging.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TempPresetHome _home = new();

    public HostileFileReferenceTests() => Directory.CreateDirectory(_home.Root);

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("/dev/zero", "a character device")]
    [InlineData("/dev/urandom", "a character device")]
    [InlineData("/dev/null", "a character device")]
    public async Task A_device_is_refused_without_being_read(string device, string kind)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);

        var error = await ResolveFailsAsync("file:" + device);

        Assert.Contains($"'{device}' is {kind}, not a regular file", error.Message, StringComparison.Ordinal);
        Assert.Contains("Point it at a file that holds only the value", error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetTotalMemory(forceFullCollection: true) - before < 16 * 1024 * 1024, "reading the device grew the heap");
    }

    [Fact]
    public async Task A_fifo_is_refused_without_being_opened()
    {
        var fifo = Path.Combine(_home.Root, "pipe");
        await MakeFifoAsync(fifo);

        var error = await ResolveFailsAsync("file:" + fifo);

        Assert.Contains($"'{fifo}' is a FIFO (named pipe), not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_is_refused_as_a_folder()
    {
        var error = await ResolveFailsAsync("file:" + _home.Root);

        Assert.Contains($"'{_home.Root}' is a folder, not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_to_a_device_is_refused_and_a_link_to_a_file_is_read()
    {
        var toDevice = Path.Combine(_home.Root, "zero-link");
        File.CreateSymbolicLink(toDevice, "/dev/zero");
        var target = Path.Combine(_home.Root, "key.txt");
        await File.WriteAllTextAsync(target, "sk-linked\n");
        var toFile = Path.Combine(_home.Root, "key-link");
        File.CreateSymbolicLink(toFile, target);

        var error = await ResolveFailsAsync("file:" + toDevice);

        Assert.Contains("is a character device, not a regular file", error.Message, StringComparison.Ordinal);
        Assert.Equal("sk-linked", Resolver().Resolve("p", "API_KEY", "file:" + toFile));
    }

    [Fact]
    public async Task A_regular_file_over_the_limit_is_refused_naming_the_limit()
    {
        var big = Path.Combine(_home.Root, "big.txt");
        await File.WriteAllBytesAsync(big, new byte[ReferenceResolver.MaxFileBytes + 1]);

        var error = await ResolveFailsAsync("file:" + big);

        Assert.Contains($"'{big}' is more than the {ReferenceResolver.MaxFileBytes} bytes a variable may take", error.Message, StringComparison.Ordinal);
    }

    private ReferenceResolver Resolver() => new(new InMemoryEnvironment([]));

    private async Task<AiSwitchException> ResolveFailsAsync(string reference)
    {
        var resolving = Task.Run(() => Resolver().Resolve("leaky", "API_KEY", reference));
        var error = await Assert.ThrowsAsync<AiSwitchException>(() => resolving.WaitAsync(Patience));
        Assert.Equal(ErrorId.ReferenceUnresolved, error.Id);
        Assert.Contains($"Preset 'leaky': API_KEY refers to '{reference}'", error.Message, StringComparison.Ordinal);
        return error;
    }

    private static async Task MakeFifoAsync(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("mkfifo did not start");
        var stderr = await mkfifo.StandardError.ReadToEndAsync();
        await mkfifo.WaitForExitAsync();
        Assert.True(mkfifo.ExitCode == 0, $"mkfifo failed: {stderr}");
    }
}
