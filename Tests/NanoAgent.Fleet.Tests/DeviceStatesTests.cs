namespace NanoAgent.Fleet.Tests;

public class DeviceStatesTests
{
    [Fact]
    public void CanMove_TheDocumentedTable()
    {
        var allowed = new List<string>();
        foreach (DeviceState from in DeviceStates.All)
        {
            foreach (DeviceState to in DeviceStates.All)
            {
                if (DeviceStates.CanMove(from, to))
                {
                    allowed.Add($"{from.Name()}>{to.Name()}");
                }
            }
        }

        Assert.Equal(
            ["queued>in_progress", "queued>cancelled", "in_progress>queued", "in_progress>in_progress", "in_progress>succeeded",
             "in_progress>failed", "in_progress>timed_out", "in_progress>rejected"],
            allowed);
    }

    [Fact]
    public void Names_RoundTrip()
    {
        foreach (DeviceState s in DeviceStates.All)
        {
            Assert.True(DeviceStates.TryParse(s.Name(), out DeviceState back));
            Assert.Equal(s, back);
        }

        Assert.False(DeviceStates.TryParse("done", out _));
    }
}
