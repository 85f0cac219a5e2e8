namespace NanoAgent.Build.Tests;

/// <summary>
/// build/Portable.props + build/BannedSymbols.txt must stop code the nanoFramework 1.x mscorlib cannot run (RS0030 from
/// Microsoft.CodeAnalysis.BannedApiAnalyzers, an error because Directory.Build.props treats warnings as errors).
/// Three real builds sharing one restore.
/// </summary>
public class BannedApiTests : IClassFixture<BannedApiProbe>
{
    private readonly BannedApiProbe _probe;

    public BannedApiTests(BannedApiProbe probe) => _probe = probe;

    [Fact]
    public void PortableBuild_Linq_FailsWithRs0030()
    {
        (int exitCode, string output) = _probe.Build("Linq");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("RS0030", output);
        Assert.Contains("no LINQ", output);
    }

    [Fact]
    public void PortableBuild_GenericList_FailsWithRs0030()
    {
        (int exitCode, string output) = _probe.Build("GenericList");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("RS0030", output);
        Assert.Contains("ArrayList or Hashtable", output);
    }

    [Fact]
    public void PortableBuild_Math_FailsWithRs0030()
    {
        // System.Math is not in nanoFramework's mscorlib 1.17 (it ships as the separate nanoFramework.System.Math package).
        (int exitCode, string output) = _probe.Build("MathMin");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("RS0030", output);
        Assert.Contains("compare inline", output);
    }

    [Fact]
    public void PortableBuild_AllowedCode_Builds()
    {
        (int exitCode, string output) = _probe.Build("Allowed");

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("RS0030", output);
    }
}
