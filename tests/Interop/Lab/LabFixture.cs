using System.Security.Cryptography;

namespace RoutedNet.Interop.Lab;

/// <summary>
/// One lab (`routednetctl lab up`: 3 nodes × 2 pods, optionally a router in the tor namespace)
/// for a whole test class, in its own directory and with its own namespace prefix so that it
/// never meets another lab on the machine; `lab down` removes it afterwards.
/// </summary>
public abstract class LabFixture : IAsyncLifetime
{
    protected virtual IReadOnlyList<string> UpArgs => [];

    protected virtual int PodsPerNode => 2;

    public LabCli Cli { get; } = new(Directory.CreateTempSubdirectory("rnt-lab-").FullName);

    public LabState Initial { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var prefix = $"rnlab-t{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        try
        {
            await Cli.LabAsync(["up", "--nodes", "3", "--pods-per-node", PodsPerNode.ToString(System.Globalization.CultureInfo.InvariantCulture), "--prefix", prefix, .. UpArgs]);
            Initial = await Cli.StatusAsync();
        }
        catch
        {
            // A fixture that fails to start is never disposed: take down what `up` made so far.
            await LabCli.RunAsync("lab", "down", "--lab-dir", Cli.LabDir);
            throw;
        }
    }

    /// <summary>`lab down` removes every namespace, process and file of the lab, its directory included.</summary>
    public async Task DisposeAsync() => await Cli.LabAsync("down");
}

public sealed class MeshLabFixture : LabFixture;

/// <summary>3 nodes and no pods: `lab netpol` adds its own layout.</summary>
public sealed class PolicyLabFixture : LabFixture
{
    protected override int PodsPerNode => 0;
}

public sealed class BirdLabFixture : LabFixture
{
    protected override IReadOnlyList<string> UpArgs => ["--tor", "bird"];
}

public sealed class FrrLabFixture : LabFixture
{
    protected override IReadOnlyList<string> UpArgs => ["--tor", "frr"];
}

public sealed class GoBgpLabFixture : LabFixture
{
    protected override IReadOnlyList<string> UpArgs => ["--tor", "gobgp"];
}

public sealed class GoBgpBackendLabFixture : LabFixture
{
    protected override IReadOnlyList<string> UpArgs => ["--tor", "bird", "--bgp-backend", "gobgp"];
}

/// <summary>
/// `--no-as-override`: the router sends the nodes' AS back in the path; the mesh is off so the
/// nodes depend on those routes; one pod per node is enough to ping across.
/// </summary>
public abstract class NoAsOverrideLabFixture(string tor) : LabFixture
{
    protected override IReadOnlyList<string> UpArgs => ["--tor", tor, "--no-mesh", "--no-as-override"];

    protected override int PodsPerNode => 1;
}

public sealed class BirdNoAsOverrideLabFixture() : NoAsOverrideLabFixture("bird");

public sealed class FrrNoAsOverrideLabFixture() : NoAsOverrideLabFixture("frr");
