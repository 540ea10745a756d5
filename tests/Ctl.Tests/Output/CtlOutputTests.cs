using RoutedNet.Ctl.Output;

namespace RoutedNet.Ctl.Tests.Output;

/// <summary>The one formatter entry point: the same tree as JSON or YAML, the text for table and wide.</summary>
public class CtlOutputTests
{
    // lab status hands over its JSON contract as a finished document (with its newline).
    private const string LabJson = "{\"nodes\":[{\"name\":\"node1\",\"agentPid\":42}],\"pods\":[]}\n";

    [Theory]
    [InlineData("json", "{\n  \"nodes\": [\n    {\n      \"name\": \"node1\",\n      \"agentPid\": 42\n    }\n  ],\n  \"pods\": []\n}\n")]
    [InlineData("yaml", "nodes:\n- name: node1\n  agentPid: 42\npods: []\n")]
    [InlineData("table", "table:False")]
    [InlineData("wide", "table:True")]
    public void Format_RawDocument_EachForm(string format, string expected)
    {
        Assert.Equal(expected, CtlOutput.Format((OutputFormat)OutputOption.Names.ToList().IndexOf(format), w => w.WriteRawValue(LabJson), wide => $"table:{wide}"));
    }
}
