using System.CommandLine;
using System.Net;
using System.Text.Json;
using RoutedNet.Ctl.Output;
using RoutedNet.Ipam;
using RoutedNet.Ipam.Gc;

namespace RoutedNet.Ctl.Commands;

/// <summary>ipam show | check | release | gc | configure.</summary>
internal static class IpamCommands
{
    public static Command Build(Option<string?> datastore)
    {
        var ipam = new Command("ipam", "Inspect and repair IP address management");
        ipam.Subcommands.Add(Show(datastore));
        ipam.Subcommands.Add(Check(datastore));
        ipam.Subcommands.Add(Release(datastore));
        ipam.Subcommands.Add(Gc(datastore));
        ipam.Subcommands.Add(Configure(datastore));
        return ipam;
    }

    private static Command Show(Option<string?> datastore)
    {
        var blocks = new Option<bool>("--show-blocks") { Description = "Also list each block" };
        var borrowed = new Option<bool>("--show-borrowed") { Description = "List addresses held in other nodes' blocks" };
        var ip = new Option<string?>("--ip") { Description = "Show who holds this address" };
        var output = OutputOption.Create();
        var command = new Command("show", "Per pool (and block): total, in use, free, owner") { blocks, borrowed, ip, output };
        command.SetAction((parse, _) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            var client = new IpamClient(store);
            if (parse.GetValue(ip) is { } text)
            {
                var address = ParseIp(text);
                Console.Write(IpamViews.Address(address, await client.GetAddressAsync(address).ConfigureAwait(false), parse.GetValue(output)));
                return 0;
            }
            var usage = await client.GetUsageAsync().ConfigureAwait(false);
            Console.Write(IpamViews.Usage(usage, parse.GetValue(output), parse.GetValue(blocks), parse.GetValue(borrowed)));
            return 0;
        }));
        return command;
    }

    private static Command Check(Option<string?> datastore)
    {
        var live = new Option<string?>("--live") { Description = "File of live handle ids (one a line, or a JSON array): others are reported as leaked" };
        var output = OutputOption.Create();
        var command = new Command("check", "Check IPAM consistency; exit 1 when problems are found") { live, output };
        command.SetAction((parse, _) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            var liveSet = parse.GetValue(live) is { } file ? ReadLive(file) : null;
            var report = await new IpamClient(store).CheckAsync(liveSet).ConfigureAwait(false);
            Console.Write(IpamViews.Check(report, parse.GetValue(output)));
            return (int)(report.IsClean ? CtlExitCode.Ok : CtlExitCode.Problem);
        }));
        return command;
    }

    private static Command Release(Option<string?> datastore)
    {
        var ip = new Option<string>("--ip") { Description = "Address to release", Required = true };
        var output = OutputOption.Create();
        var command = new Command("release", "Release one address") { ip, output };
        command.SetAction((parse, _) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            var address = ParseIp(parse.GetValue(ip)!);
            var handle = await new IpamClient(store).ReleaseAddressAsync(address).ConfigureAwait(false);
            if (handle is null)
            {
                throw new CtlException(CtlExitCode.Problem, $"{address} is not allocated");
            }
            Console.Write(IpamViews.Released(address, handle, parse.GetValue(output)));
            return 0;
        }));
        return command;
    }

    private static Command Gc(Option<string?> datastore)
    {
        var live = new Option<string>("--live") { Description = "File of the live handle ids in the scope (one a line, or a JSON array); required: without it every handle would look dead", Required = true };
        var grace = new Option<int>("--grace-period") { Description = "Never release a handle younger than this many seconds", DefaultValueFactory = _ => 60 };
        var node = new Option<string?>("--node") { Description = "Only handles whose addresses were allocated for this node (default: every node)" };
        var network = new Option<string?>("--network") { Description = "Only handles of this CNI network, NETWORK.CONTAINERID.IFNAME (default: every network)" };
        var noneLive = new Option<bool>("--none-live") { Description = "Accept an empty live list: every attachment in the scope is dead (without it an empty list is refused)" };
        var output = OutputOption.Create();
        var command = new Command("gc", "Release every handle in the scope (default: the whole cluster) that is not in the live list") { live, grace, node, network, noneLive, output };
        command.SetAction((parse, _) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            if (parse.GetValue(grace) < 0)
            {
                throw new CtlException("--grace-period must not be negative");
            }
            if (parse.GetValue(node) is { Length: 0 } || parse.GetValue(network) is { Length: 0 })
            {
                throw new CtlException("--node and --network must not be empty");
            }
            var scope = GcScope.Of(parse.GetValue(node), parse.GetValue(network));
            var liveHandles = ReadLive(parse.GetValue(live)!);
            // An empty list is far more often a wrong or truncated file than a cluster with no pod:
            // taken as it is, it would release every address in the scope.
            if (liveHandles.Count == 0 && !parse.GetValue(noneLive))
            {
                throw new CtlException($"the live list {parse.GetValue(live)} is empty: that would release every address in {scope}; pass --none-live if no attachment there is live");
            }
            var released = await new IpamClient(store).GcAsync(liveHandles, TimeSpan.FromSeconds(parse.GetValue(grace)), scope).ConfigureAwait(false);
            Console.Write(IpamViews.Collected(released, scope, parse.GetValue(output)));
            return 0;
        }));
        return command;
    }

    private static Command Configure(Option<string?> datastore)
    {
        var strict = new Option<bool?>("--strict-affinity") { Description = "true: never borrow addresses from other nodes' blocks", Arity = ArgumentArity.ZeroOrOne };
        var maxBlocks = new Option<int?>("--max-blocks-per-host") { Description = "Blocks one node may claim (0 = unlimited)" };
        var coolDown = new Option<int?>("--release-cooldown") { Description = "Seconds before a released address is reused" };
        var output = OutputOption.Create();
        var command = new Command("configure", "Change cluster-wide IPAM settings") { strict, maxBlocks, coolDown, output };
        command.SetAction((parse, _) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            var strictValue = parse.GetResult(strict) is null ? (bool?)null : parse.GetValue(strict) ?? true;
            var maxValue = parse.GetValue(maxBlocks);
            var coolValue = parse.GetValue(coolDown);
            if (maxValue < 0 || coolValue < 0)
            {
                throw new CtlException("--max-blocks-per-host and --release-cooldown must not be negative");
            }
            var spec = await new IpamClient(store).ConfigureAsync(c => c with
            {
                StrictAffinity = strictValue ?? c.StrictAffinity,
                MaxBlocksPerHost = maxValue ?? c.MaxBlocksPerHost,
                ReleaseCooldownSeconds = coolValue ?? c.ReleaseCooldownSeconds,
            }).ConfigureAwait(false);
            Console.Write(IpamViews.Config(spec, parse.GetValue(output)));
            return 0;
        }));
        return command;
    }

    /// <summary>Live handle ids: a JSON array of strings, or one id per line (# comments).</summary>
    internal static HashSet<string> ReadLive(string path)
    {
        var text = CtlRunner.ReadFile(path);
        if (text.TrimStart().StartsWith('['))
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.EnumerateArray().Select(e => e.GetString() ?? "").ToHashSet(StringComparer.Ordinal);
        }
        return text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal);
    }

    private static IPAddress ParseIp(string text) =>
        IPAddress.TryParse(text, out var address) ? address : throw new CtlException($"\"{text}\" is not an IP address");

}
