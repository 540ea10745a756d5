namespace RoutedNet.Interop.Lab;

/// <summary>What one flow saw: sent in all, the first sequence number that arrived, and the ones after it that never did.</summary>
public sealed record FlowReport(string Name, int Sent, int First, int Received, IReadOnlyList<int> Missing, int SendErrors)
{
    public override string ToString()
    {
        var gaps = new List<string>();
        for (var i = 0; i < Missing.Count;)
        {
            var start = Missing[i];
            var end = start;
            while (++i < Missing.Count && Missing[i] == end + 1)
            {
                end = Missing[i];
            }
            gaps.Add(start == end ? $"{start}" : $"{start}-{end}");
        }
        return $"{Name}: sent {Sent}, first arrived #{First}, then received {Received}, lost {Missing.Count}{(gaps.Count > 0 ? $" (#{string.Join(", #", gaps.Take(10))})" : "")}{(SendErrors > 0 ? $", {SendErrors} send errors" : "")}";
    }
}
