using CsCheck;

namespace NanoAgent.Fuzz.Tests;

/// <summary>
/// Runs a parser on mutated corpus seeds with CsCheck: every input must parse or fail with the parser's documented
/// exception, and the whole run must end in bounded time (a hang fails the test instead of blocking CI).
/// </summary>
/// <remarks>
/// CI runs <see cref="DefaultIterations"/> inputs per parser (a few seconds). A long run:
/// <c>NANOAGENT_FUZZ_ITER=1000000 dotnet test Tests/NanoAgent.Fuzz.Tests</c>. CsCheck prints the seed of a failure;
/// replay it with <c>CsCheck_Seed=&lt;seed&gt;</c>. Turn every failure into a test in RegressionTests.
/// </remarks>
public static class Fuzzer
{
    /// <summary>Inputs per parser when NANOAGENT_FUZZ_ITER is not set.</summary>
    public const int DefaultIterations = 20_000;

    /// <summary>Gets the inputs per parser: NANOAGENT_FUZZ_ITER or <see cref="DefaultIterations"/>.</summary>
    public static long Iterations =>
        long.TryParse(Environment.GetEnvironmentVariable("NANOAGENT_FUZZ_ITER"), out long n) && n > 0 ? n : DefaultIterations;

    /// <summary>Mutates seeds of <paramref name="corpus"/> and feeds them to <paramref name="parse"/>.</summary>
    /// <param name="corpus">The corpus folder name.</param>
    /// <param name="parse">Parses one input; may throw only exceptions <paramref name="documented"/> accepts.</param>
    /// <param name="documented">Whether an exception is the parser's documented one.</param>
    public static void Run(string corpus, Action<byte[]> parse, Func<Exception, bool> documented)
    {
        byte[][] seeds = Corpus.Load(corpus);
        foreach (byte[] seed in seeds)
        {
            Check(seed, parse, documented); // every seed itself must be handled
        }

        Gen<Mutation> mutation = Gen.Select(Gen.Int[0, Mutation.Kinds - 1], Gen.Int[0, int.MaxValue], Gen.Byte)
            .Select((k, p, v) => new Mutation(k, p, v));
        Gen<byte[]> inputs = Gen.Select(Gen.Int[0, seeds.Length - 1], mutation.Array[1, 8])
            .Select((s, m) => Mutation.Apply(seeds[s], m));

        long iterations = Iterations;
        var timeout = TimeSpan.FromSeconds(60 + (iterations / 1000));
        Task run = Task.Run(() => inputs.Sample(input => Check(input, parse, documented), iter: iterations));
        Assert.True(run.Wait(timeout), $"{corpus}: {iterations} inputs did not finish in {timeout} (hang?)");
        run.GetAwaiter().GetResult();
    }

    /// <summary>Parses one input and fails on any exception the parser does not document.</summary>
    /// <param name="input">The bytes.</param>
    /// <param name="parse">The parser.</param>
    /// <param name="documented">Whether an exception is documented.</param>
    public static void Check(byte[] input, Action<byte[]> parse, Func<Exception, bool> documented)
    {
        try
        {
            parse(input);
        }
        catch (Exception e) when (documented(e))
        {
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Undocumented {e.GetType().Name} on input {Convert.ToHexString(input)}: {e.Message}", e);
        }
    }
}
