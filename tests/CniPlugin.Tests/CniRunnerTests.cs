using System.Text;
using System.Text.Json;
using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Tests;

public class CniRunnerTests
{
    /// <summary>A role that records the verb it got and answers ADD with one address.</summary>
    private sealed class RecordingPlugin : ICniPlugin
    {
        public List<string> Calls { get; } = [];

        public Exception? Failure { get; init; }

        public CniResult Add(CniRequest request)
        {
            Record("ADD");
            return new CniResult
            {
                Interfaces = [new CniInterface { Name = "eth0", Sandbox = request.Environment.Netns }],
                Ips = [new CniIpConfig { Interface = 0, Address = "10.244.1.5/32" }],
            };
        }

        public void Del(CniRequest request) => Record("DEL");

        public void Check(CniRequest request) => Record("CHECK");

        public void Status(CniRequest request) => Record("STATUS");

        public void Gc(CniRequest request) => Record("GC");

        private void Record(string verb)
        {
            Calls.Add(verb);
            if (Failure is not null)
            {
                throw Failure;
            }
        }
    }

    private static (int Exit, JsonElement Output) Run(ICniPlugin plugin, string command, string stdin, string netns = "/run/netns/p")
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = "c1",
            ["CNI_NETNS"] = netns,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = "/usr/lib/cni",
        };
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(stdin));
        using var output = new MemoryStream();
        var exit = CniRunner.Run(plugin, k => env.GetValueOrDefault(k), input, output, Stream.Null);
        var text = Encoding.UTF8.GetString(output.ToArray());
        return (exit, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement);
    }

    private static string Config(string version) => $$"""{"cniVersion":"{{version}}","name":"n","type":"routednet"}""";

    [Fact]
    public void Version_AnyInput_ListsEverySupportedVersion()
    {
        var (exit, output) = Run(new RecordingPlugin(), "VERSION", """{"cniVersion":"1.0.0"}""", netns: "dummy");

        Assert.Equal(0, exit);
        Assert.Equal(
            ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"],
            output.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
    }

    [Theory]
    [InlineData("0.3.1", true)]
    [InlineData("1.0.0", false)]
    public void Add_Success_ResultInConfigVersion(string version, bool hasIpVersion)
    {
        var (exit, output) = Run(new RecordingPlugin(), "ADD", Config(version));

        Assert.Equal(0, exit);
        Assert.Equal(version, output.GetProperty("cniVersion").GetString());
        Assert.Equal(hasIpVersion, output.GetProperty("ips")[0].TryGetProperty("version", out _));
    }

    [Theory]
    [InlineData("", CniErrorCode.DecodingFailure)]
    [InlineData("{", CniErrorCode.DecodingFailure)]
    [InlineData("""{"cniVersion":"9.9.9","name":"n","type":"routednet"}""", CniErrorCode.IncompatibleVersion)]
    [InlineData("""{"cniVersion":"1.0.0","type":"routednet"}""", CniErrorCode.InvalidNetworkConfig)]
    public void Add_BadStdin_ErrorJsonAndNonZeroExit(string stdin, int code)
    {
        var plugin = new RecordingPlugin();

        var (exit, output) = Run(plugin, "ADD", stdin);

        Assert.NotEqual(0, exit);
        Assert.Equal(code, output.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(output.GetProperty("msg").GetString()));
        Assert.Empty(plugin.Calls);
    }

    [Theory]
    [InlineData("CHECK", "0.3.1")]
    [InlineData("STATUS", "1.0.0")]
    [InlineData("GC", "1.0.0")]
    public void Verb_OlderThanItsSpecVersion_IncompatibleVersion(string command, string version)
    {
        var plugin = new RecordingPlugin();

        var (exit, output) = Run(plugin, command, Config(version));

        Assert.Equal(1, exit);
        Assert.Equal(CniErrorCode.IncompatibleVersion, output.GetProperty("code").GetInt32());
        Assert.Empty(plugin.Calls);
    }

    [Theory]
    [InlineData("DEL", "0.3.0")]
    [InlineData("CHECK", "0.4.0")]
    [InlineData("STATUS", "1.1.0")]
    [InlineData("GC", "1.1.0")]
    public void Verb_Allowed_ReachesPluginWithEmptyStdout(string command, string version)
    {
        var plugin = new RecordingPlugin();

        var (exit, output) = Run(plugin, command, Config(version));

        Assert.Equal(0, exit);
        Assert.Equal(JsonValueKind.Undefined, output.ValueKind);
        Assert.Equal([command], plugin.Calls);
    }

    [Fact]
    public void Add_PluginThrowsCniException_CodeMsgDetailsAndVersion()
    {
        var plugin = new RecordingPlugin { Failure = new CniException(CniErrorCode.TryAgainLater, "busy", "retry") };

        var (exit, output) = Run(plugin, "ADD", Config("0.4.0"));

        Assert.Equal(1, exit);
        Assert.Equal(CniErrorCode.TryAgainLater, output.GetProperty("code").GetInt32());
        Assert.Equal("busy", output.GetProperty("msg").GetString());
        Assert.Equal("retry", output.GetProperty("details").GetString());
        Assert.Equal("0.4.0", output.GetProperty("cniVersion").GetString());
    }

    [Fact]
    public void Add_PluginCrashes_StillErrorJson()
    {
        var plugin = new RecordingPlugin { Failure = new InvalidOperationException("boom") };

        var (exit, output) = Run(plugin, "ADD", Config("1.0.0"));

        Assert.Equal(1, exit);
        Assert.Contains("boom", output.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoCommand_BadEnvironment()
    {
        using var input = new MemoryStream();
        using var output = new MemoryStream();

        var exit = CniRunner.Run(new RecordingPlugin(), _ => null, input, output, Stream.Null);

        Assert.Equal(1, exit);
        Assert.Equal(CniErrorCode.InvalidEnvironment, JsonDocument.Parse(output.ToArray()).RootElement.GetProperty("code").GetInt32());
    }
}
