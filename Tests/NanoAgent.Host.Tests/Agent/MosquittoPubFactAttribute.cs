namespace NanoAgent.Host.Tests.Agent;

/// <summary>A fact that is reported as skipped (never passed) when mosquitto_pub (package mosquitto-clients) is not installed.</summary>
public sealed class MosquittoPubFactAttribute : FactAttribute
{
    public MosquittoPubFactAttribute()
    {
        if (Binary is null)
        {
            Skip = "mosquitto_pub not found: install mosquitto-clients to run this interop test";
        }
    }

    public static string? Binary { get; } = new[] { "/usr/bin", "/usr/local/bin" }
        .Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        .Select(d => Path.Combine(d, "mosquitto_pub"))
        .FirstOrDefault(File.Exists);
}
