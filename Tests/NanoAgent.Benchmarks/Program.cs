using BenchmarkDotNet.Running;

namespace NanoAgent.Benchmarks;

/// <summary>Entry point: hands the command line to BenchmarkDotNet's switcher (use --filter, --job short, --list flat).</summary>
public static class Program
{
    /// <summary>Runs the selected benchmarks.</summary>
    /// <param name="args">BenchmarkDotNet arguments.</param>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
