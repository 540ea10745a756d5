using System.CommandLine;

namespace RoutedNet.Ctl.Lab;

internal static partial class LabCommands
{
    private static Command AddService(Option<string> labDir)
    {
        var name = new Argument<string>("NAME") { Description = $"The Service, NAME (namespace {LabPod.DefaultPodNamespace}) or NAMESPACE/NAME" };
        var type = new Option<string>("--type") { Description = "ClusterIP (--ip is the cluster IP) or LoadBalancer (--ip is status.loadBalancer.ingress)", DefaultValueFactory = _ => "ClusterIP" };
        var policy = new Option<string>("--external-traffic-policy") { Description = "Local: only nodes with a ready endpoint announce the /32; Cluster: only the ranges", DefaultValueFactory = _ => "Cluster" };
        var ip = new Option<string>("--ip") { Description = "The VIP", Required = true };
        var endpoints = new Option<string>("--endpoints") { Description = "POD[,POD…] as `lab status` names them (nodeN-podK or NAMESPACE/NAME): the Service's endpoints, ready" };
        var add = new Command("add-service", "A Service in the lab's datastore with lab pods as its endpoints; nodes announce it over BGP as BGPConfiguration's service lists allow")
        {
            name, type, policy, ip, endpoints,
        };
        add.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(labDir)!, async lab =>
        {
            var state = lab.Directory.Load();
            var pods = (parse.GetValue(endpoints) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var service = LabServices.Build(state, parse.GetValue(name)!, parse.GetValue(type)!, parse.GetValue(policy)!, parse.GetValue(ip)!, pods);
            await LabServices.AddAsync(state, service, Console.Out, cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return add;
    }

    private static Command DelService(Option<string> labDir)
    {
        var name = new Argument<string>("NAME") { Description = "The Service, as add-service named it" };
        var del = new Command("del-service", "Delete a Service from the lab's datastore (its /32s are withdrawn)") { name };
        del.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(labDir)!, async lab =>
        {
            await LabServices.DelAsync(lab.Directory.Load(), parse.GetValue(name)!, Console.Out, cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return del;
    }
}
