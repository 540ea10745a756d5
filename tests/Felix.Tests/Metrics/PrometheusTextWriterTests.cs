using RoutedNet.Felix.Metrics;

namespace RoutedNet.Felix.Tests.Metrics;

public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void Sample_LabelWithQuoteBackslashNewline_Escaped()
    {
        var writer = new PrometheusTextWriter();

        writer.Sample("m", 1, ("l", "a\"b\\c\nd"));

        Assert.Equal("m{l=\"a\\\"b\\\\c\\nd\"} 1\n", writer.ToString());
    }

    [Fact]
    public void Family_HelpAndType_WrittenBeforeSamples()
    {
        var writer = new PrometheusTextWriter();

        writer.Family("routednet_x", "gauge", "Some help.");
        writer.Sample("routednet_x", 2.5);

        Assert.Equal("# HELP routednet_x Some help.\n# TYPE routednet_x gauge\nroutednet_x 2.5\n", writer.ToString());
    }

    [Fact]
    public void Histogram_Observations_CumulativeBucketsSumAndCount()
    {
        var histogram = new Histogram([0.1, 1]);
        histogram.Observe(0.05);
        histogram.Observe(0.5);
        histogram.Observe(5);
        var writer = new PrometheusTextWriter();

        writer.Histogram("d", histogram, ("r", "routes"));

        Assert.Equal(
            "d_bucket{r=\"routes\",le=\"0.1\"} 1\n" +
            "d_bucket{r=\"routes\",le=\"1\"} 2\n" +
            "d_bucket{r=\"routes\",le=\"+Inf\"} 3\n" +
            "d_sum{r=\"routes\"} 5.55\n" +
            "d_count{r=\"routes\"} 3\n",
            writer.ToString());
    }
}
