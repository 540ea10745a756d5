using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Api;

namespace RoutedNet.KubeApiServer.Control;

/// <summary>
/// Test-requested failures: each rule fails the Nth request matching its verb and resource from
/// the moment it is added (then is spent), with a Status of its code, e.g. a 409 Conflict on the
/// 3rd write to ipamblocks. Also a fixed latency added to every API request.
/// </summary>
public sealed class FaultInjector
{
    private sealed class Rule
    {
        public required string Verb { get; init; }
        public string? Resource { get; init; }
        public int Remaining { get; set; }
        public int Code { get; init; }
        public required string Reason { get; init; }
        public required string Message { get; init; }
    }

    private static readonly string[] Writes = ["create", "update", "patch", "delete", "deletecollection"];
    private readonly List<Rule> _rules = [];
    private readonly Lock _gate = new();

    public int LatencyMs { get; private set; }

    /// <summary>Body: {"verb":"write|create|update|patch|delete|get|list|watch|*","resource":"ipamblocks.routednet.io","nth":3,"code":409,"reason":"Conflict","message":"..."} or {"latencyMs":50}.</summary>
    public void Add(JsonObject body)
    {
        lock (_gate)
        {
            if (body["latencyMs"] is { } latency)
            {
                LatencyMs = (int)(Json.Long(latency) ?? 0);
                if (body["nth"] is null && body["code"] is null)
                {
                    return;
                }
            }
            var code = (int?)Json.Long(body["code"]) ?? 409;
            _rules.Add(new Rule
            {
                Verb = (string?)body["verb"] ?? "write",
                Resource = (string?)body["resource"],
                Remaining = (int?)Json.Long(body["nth"]) ?? 1,
                Code = code,
                Reason = (string?)body["reason"] ?? DefaultReason(code),
                Message = (string?)body["message"] ?? "injected by the stand-in's fault rules (/routednet-test/faults)",
            });
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            LatencyMs = 0;
        }
    }

    /// <summary>Throws the Status of the rule this request spends, if any.</summary>
    public void Check(string verb, string resource, string name)
    {
        lock (_gate)
        {
            Rule? fired = null;
            foreach (var rule in _rules.ToList())
            {
                var verbMatches = rule.Verb == "*" || rule.Verb == verb || (rule.Verb == "write" && Writes.Contains(verb));
                if (!verbMatches || (rule.Resource is not null && rule.Resource != resource && rule.Resource != resource.Split('/')[0]))
                {
                    continue;
                }
                if (--rule.Remaining == 0)
                {
                    _rules.Remove(rule);
                    fired ??= rule;
                }
            }
            if (fired is not null)
            {
                var message = fired.Code == 409 && fired.Reason == "Conflict"
                    ? $"Operation cannot be fulfilled on {resource} \"{name}\": {Status.ModifiedMessage}"
                    : fired.Message;
                throw new ApiException(fired.Code, fired.Reason, message, new JsonObject { ["name"] = name, ["kind"] = resource });
            }
        }
    }

    private static string DefaultReason(int code) => code switch
    {
        409 => "Conflict",
        410 => "Expired",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "Unknown",
    };
}
